"""Encode each language's raw text with the frozen encoder (a file per language in
one directory): the word vectors MAN-MoE's discriminator reads as that language's
unlabelled text."""

import logging
from pathlib import Path

from xlt.core.device import resolve_device
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_raw_sentences
from xlt.encoders.features import encode_words, save_features, unlabelled_split
from xlt.encoders.loading import load_encoder


def main(job):
    device = resolve_device(job.params.device)
    tokenizer, encoder = load_encoder(job.input.encoder)
    encoder.to(device)
    out = Path(job.output.features)
    out.mkdir(parents=True, exist_ok=True)
    for lang, text in zip(job.params.languages, as_list(job.input.texts), strict=True):
        sentences = read_raw_sentences(text, job.params.max_sentences)
        logging.info("%s (%s): %d sentences", text, lang, len(sentences))
        vectors = encode_words(encoder, tokenizer, sentences, job.params.max_length, device)
        info = {
            "text": str(text),
            "language": lang,
            "encoder": str(job.input.encoder),
            "dim": int(encoder.config.hidden_size),
            "sentences": {"text": len(sentences)},
        }
        save_features(out / f"{lang}.pt", {"text": unlabelled_split(vectors, sentences)}, info)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
