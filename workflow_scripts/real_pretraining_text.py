"""Unlabelled text of one real language (train/dev splits only) for the embedded encoder."""

import logging

from xlt.core.fileio import write_text
from xlt.core.scripting import run
from xlt.data.real_data import unlabelled_text


def main(job):
    lines = unlabelled_text(job.wildcards.lang, job.params.tasks, job.params.data)
    write_text(job.output.text, "".join(line + "\n" for line in lines))
    logging.info("%s: %d lines", job.output.text, len(lines))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
