"""Fetch CoNLL-2002 (esp.*, ned.*) from NLTK's data (``xlt.data.sources.conll``)."""

import logging
from pathlib import Path

from xlt.core.scripting import run
from xlt.data.sources.conll import download_conll2002


def main(job):
    dest = Path(job.output.files[0]).parent
    download_conll2002(dest)
    logging.info("CoNLL-2002 in %s", dest)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
