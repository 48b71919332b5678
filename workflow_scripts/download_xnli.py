"""One XNLI file from the hub, written in XTREME's layout (``xlt.data.sources.xnli``)."""

import logging

from xlt.core.scripting import run
from xlt.data.sources.xnli import write_xtreme
from xlt.data.sources.xnli_hub import load_xnli


def main(job):
    w = job.wildcards
    examples = load_xnli(w.lang, w.xnli_split, cache_dir="resources/xnli/hub-cache")
    write_xtreme(job.output.tsv, examples)
    logging.info("%s: %d examples", job.output.tsv, len(examples))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
