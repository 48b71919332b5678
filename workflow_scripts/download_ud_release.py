"""Download and unpack one official UD release (LINDAT) into resources/ud/."""

import logging

from xlt.core.scripting import run
from xlt.data.sources.ud import download_release, release_url


def main(job):
    version = job.wildcards.version
    logging.info("fetching UD %s from %s", version, release_url(version))
    download_release(version, job.output.release)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
