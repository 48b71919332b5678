"""Build the embedded encoder: WordPiece tokenizer + masked-LM pretrained BERT."""

import logging
from pathlib import Path

from xlt.core.fileio import write_json
from xlt.core.scripting import as_list, run
from xlt.encoders.embedded import build_embedded_encoder


def main(job):
    # one text file per pretraining language, in the order of pretrain.languages
    # (each sentence's language: for pretrain.language_alpha)
    settings = job.params.settings
    paths = as_list(job.input.text)
    texts, languages = [], []
    for lang, path in zip(settings["pretrain"]["languages"], paths, strict=True):
        lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
        texts += lines
        languages += [lang] * len(lines)
    summary = build_embedded_encoder(texts, settings, job.output.encoder, job.threads, languages)
    summary["sentences"] = len(texts)
    logging.info("pretraining: %s", summary)
    write_json(job.output.summary, summary)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
