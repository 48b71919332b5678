"""Encode one (task, language)'s corpora with the frozen encoder: word vectors + labels
(a label per word, or per sentence for a classification task, whose words are its
text's space-separated tokens)."""

from xlt import tasks
from xlt.core.scripting import run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.features import encode_words, feature_split, save_features
from xlt.encoders.loading import load_encoder
from xlt.encoders.token_classifier import resolve_device


def main(job):
    w = job.wildcards
    device = resolve_device(job.params.device)
    tokenizer, encoder = load_encoder(job.input.encoder)
    encoder.to(device)
    label_ids = {label: i for i, label in enumerate(tasks.labels(w.task))}
    splits = {}
    for split in ("train", "dev", "test"):
        path = job.input[split]
        records = read_task_corpus(path)
        vectors = encode_words(
            encoder,
            tokenizer,
            [tasks.record_tokens(w.task, r) for r in records],
            job.params.max_length,
            device,
        )
        try:
            splits[split] = feature_split(vectors, records, label_ids, w.task)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
    info = {
        "task": w.task,
        "language": w.lang,
        "encoder": str(job.input.encoder),
        "dim": int(encoder.config.hidden_size),
        "sentences": {name: s.sentences for name, s in splits.items()},
    }
    save_features(job.output.features, splits, info)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
