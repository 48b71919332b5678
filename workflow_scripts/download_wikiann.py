"""Fetch one language of WikiANN (Rahimi et al. split) as train/dev/test files."""

import logging
from pathlib import Path

from xlt.core.fileio import atomic_path
from xlt.core.scripting import run
from xlt.data.ner_io import write_wikiann
from xlt.data.sources.wikiann import SPLITS, download_rahimi
from xlt.data.sources.wikiann_hub import load_hub


def main(job):
    code, source = job.wildcards.wikiann_code, job.wildcards.ner_source
    if source == "rahimi":
        download_rahimi(code, job.output.files)
    else:  # the hub's copy of the same split, written in the Rahimi file format
        with atomic_path(job.output.files, directory=True) as tmp:
            for split in SPLITS:
                write_wikiann(Path(tmp) / split, code, load_hub(code, split))
    logging.info("WikiANN %s (%s) in %s", code, source, job.output.files)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
