"""Encode one family's corpora of one task with the frozen encoder, a file per
language: word vectors + labels (a label per word, or per sentence for a
classification task, whose words are its text's space-separated tokens)."""

import logging
from pathlib import Path

from xlt import tasks
from xlt.core.device import resolve_device
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.features import encode_words, feature_split, save_features
from xlt.encoders.loading import load_encoder

SPLITS = ("train", "dev", "test")


def encode_language(job, encoder, tokenizer, device, lang, paths):
    """The splits and info of one language's corpora (``paths``: split -> file)."""
    task = job.wildcards.task
    label_ids = {label: i for i, label in enumerate(tasks.labels(task))}
    splits = {}
    for split, path in paths.items():
        records = read_task_corpus(path)
        vectors = encode_words(
            encoder,
            tokenizer,
            [tasks.record_tokens(task, r) for r in records],
            job.params.max_length,
            device,
        )
        try:
            splits[split] = feature_split(vectors, records, label_ids, task)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
    info = {
        "task": task,
        "language": lang,
        "encoder": str(job.input.encoder),
        "dim": int(encoder.config.hidden_size),
        "sentences": {name: s.sentences for name, s in splits.items()},
    }
    return splits, info


def main(job):
    device = resolve_device(job.params.device)
    tokenizer, encoder = load_encoder(job.input.encoder)
    encoder.to(device)
    out = Path(job.output.features)
    out.mkdir(parents=True, exist_ok=True)
    languages = list(job.params.languages)
    for i, lang in enumerate(languages):
        paths = {split: as_list(job.input[split])[i] for split in SPLITS}
        splits, info = encode_language(job, encoder, tokenizer, device, lang, paths)
        save_features(out / f"{lang}.pt", splits, info)
        logging.info("%s %s: %d of %d languages encoded", job.wildcards.family,
                     job.wildcards.task, i + 1, len(languages))  # fmt: skip


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
