"""Encode a language's raw text with the frozen encoder: the word vectors MAN-MoE's
discriminator reads as that language's unlabelled text."""

import logging

from xlt.core.scripting import run
from xlt.data.corpus import read_raw_sentences
from xlt.encoders.features import encode_words, save_features, unlabelled_split
from xlt.encoders.loading import load_encoder
from xlt.encoders.token_classifier import resolve_device


def main(job):
    device = resolve_device(job.params.device)
    sentences = read_raw_sentences(job.input.text, job.params.max_sentences)
    logging.info("%s: %d sentences", job.input.text, len(sentences))
    tokenizer, encoder = load_encoder(job.input.encoder)
    encoder.to(device)
    vectors = encode_words(encoder, tokenizer, sentences, job.params.max_length, device)
    info = {
        "text": str(job.input.text),
        "language": job.wildcards.lang,
        "encoder": str(job.input.encoder),
        "dim": int(encoder.config.hidden_size),
        "sentences": {"text": len(sentences)},
    }
    save_features(job.output.features, {"text": unlabelled_split(vectors, sentences)}, info)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
