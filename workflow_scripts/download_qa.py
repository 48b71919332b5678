"""One QA file from the hub, written as SQuAD v1.1 JSON (``xlt.data.sources.squad``)."""

import logging
import re

from xlt.core.scripting import run
from xlt.data.sources.squad import write_squad
from xlt.data.sources.squad_hub import load_qa

FILES = {"train-v1.1.json": ("en", "train"), "dev-v1.1.json": ("en", "dev")}


def main(job):
    name = job.wildcards.qa_file
    xquad = re.fullmatch(r"xquad\.([a-z]{2})\.json", name)
    lang, split = (xquad.group(1), "test") if xquad else FILES[name]
    records = load_qa(lang, split, cache_dir="resources/qa/hub-cache")
    write_squad(job.output.json, records)
    logging.info("%s: %d questions", job.output.json, len(records))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
