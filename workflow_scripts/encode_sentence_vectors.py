"""Sentence vectors of each language of a parallel text (a file per language in
one directory): the mean of its subword vectors in every hidden layer of the
encoder as pretrained. The text's files are checked for alignment before the
encoder runs."""

import logging
from pathlib import Path

import torch

from xlt.core.device import resolve_device
from xlt.core.fileio import atomic_path
from xlt.core.scripting import run
from xlt.data.sources.parallel import pud_files, read_parallel
from xlt.encoders.loading import load_encoder
from xlt.encoders.sentence_vectors import layer_sentence_vectors


def main(job):
    files = dict(job.params.files)
    if any(path is None for path in files.values()):  # PUD of a UD release downloaded since
        found = pud_files(job.params.pud_root, list(files))
        files = {code: str(path) for code, path in found.items()}
    corpus = read_parallel(job.params.kind, files, job.params.max_sentences)
    device = resolve_device(job.params.device)
    tokenizer, encoder = load_encoder(job.input.encoder)
    encoder.to(device)
    layers = list(range(encoder.config.num_hidden_layers + 1))
    out = Path(job.output.vectors)
    out.mkdir(parents=True, exist_ok=True)
    for lang in job.params.languages:
        sentences = corpus.sentences[lang]
        logging.info("%s/%s: %d sentences", job.wildcards.text, lang, len(sentences))
        vectors = layer_sentence_vectors(
            encoder, tokenizer, sentences, layers, job.params.max_length, device,
            job.params.batch_size,
        )  # fmt: skip
        with atomic_path(out / f"{lang}.pt") as tmp:
            torch.save(
                {"vectors": vectors, "layers": layers, "ids": corpus.ids, "language": lang,
                 "file": str(files[lang]), "encoder": str(job.input.encoder)},
                tmp,
            )  # fmt: skip


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
