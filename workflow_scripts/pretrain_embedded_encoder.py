"""Build the embedded encoder: WordPiece tokenizer + masked-LM pretrained BERT."""

import logging
from pathlib import Path

from xlt.core.fileio import write_json
from xlt.core.scripting import as_list, run
from xlt.encoders.embedded import build_embedded_encoder


def main(job):
    texts = []
    for path in as_list(job.input.text):
        texts += [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    summary = build_embedded_encoder(texts, job.params.settings, job.output.encoder, job.threads)
    summary["sentences"] = len(texts)
    logging.info("pretraining: %s", summary)
    write_json(job.output.summary, summary)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
