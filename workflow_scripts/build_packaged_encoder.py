"""A packaged real encoder (encoder.name: packaged:<key>) as a model directory:
dequantised weights, tokenizer and config from the installed packages, checked."""

import logging

from xlt.core.fileio import write_json
from xlt.core.scripting import run
from xlt.encoders.packaged import build_model_directory


def main(job):
    record = build_model_directory(job.wildcards.key, job.output.encoder)
    check = record["translation_check"]
    logging.info(
        "%s: %d parameters; %d of %d sentences nearest their translation (cosine %.3f vs %.3f)",
        record["encoder"], record["parameters"], check["found"], check["pairs"],
        check["translations"], check["mismatched"],
    )  # fmt: skip
    write_json(job.output.record, record)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
