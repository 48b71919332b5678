"""Fetch a Hugging Face hub encoder into resources/ so compute jobs run offline."""

import logging

from xlt.core.scripting import run
from xlt.encoders.loading import download_hub_encoder


def main(job):
    files = download_hub_encoder(job.params.repo_id, job.output.encoder)
    logging.info("%s: %d files", job.params.repo_id, len(files))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
