"""Read one raw split (CoNLL-U or NER columns), validate tags, write JSONL."""

import logging

from xlt.preprocess import preprocess
from xlt.scripting import run


def main(job):
    count = preprocess(job.wildcards.task, job.input.raw, job.output.corpus)
    logging.info("%s: %d sentences", job.output.corpus, count)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
