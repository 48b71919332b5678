"""Word vectors of the factorization experiment.

With a frozen encoder (the default), every method (PF-d, PF-lr, LS, NS, JM,
BEA) puts a linear classifier on the same vectors, so the encoder runs once
per corpus, not once per (method, partition, seed), and the vectors are
cached. With a fine-tuned encoder, WordEncoder computes the same vectors
from text, with gradients, inside each method's training. A word is
represented by the final-layer vector of its first subword, the position the
fine-tuned classifiers of the zero-shot method are trained on.

A cache file holds, per split, ``vectors`` [words, e] (float16 on disk),
``labels`` [words] (label ids; [sentences] for a sentence classification task,
``per_sentence``) and
``offsets`` [sentences + 1]: sentence s covers rows offsets[s]:offsets[s+1].
Rows are the words of the corpus records (``read_task_corpus``; a
classification record's words are its text's space-separated tokens,
``tasks.record_tokens``), record by record and word by word; no sentence or
word is left out. A split of raw text has no labels (``unlabelled_split``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from xlt import tasks
from xlt.core.fileio import atomic_path
from xlt.data.corpus import read_task_corpus


@dataclass
class FeatureSplit:
    """Word vectors of one corpus split and their label ids; sentence s covers rows
    ``offsets[s]:offsets[s+1]``. ``chars``, optional and not cached, holds per word
    what a model reads besides its vector (MAN-MoE's character ids); ``select``
    and ``concatenate`` carry it along. With ``per_sentence`` (a sentence
    classification task) ``labels`` holds one label id per sentence."""

    vectors: torch.Tensor  # [words, e] float32
    labels: torch.Tensor  # [words] long, or [sentences] with per_sentence
    offsets: torch.Tensor  # [sentences + 1] long
    chars: torch.Tensor | None = None  # [words, ...] or None
    per_sentence: bool = False

    @property
    def sentences(self) -> int:
        """Number of sentences."""
        return len(self.offsets) - 1

    def sentence_labels(self, label_ids: torch.Tensor) -> list[list[int]]:
        """Split a flat per-word sequence back into sentences."""
        bounds = self.offsets.tolist()
        flat = label_ids.tolist()
        return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def select(self, sentence_ids) -> FeatureSplit:
        """The sub-corpus of the given sentences, in the given order."""
        ids = torch.as_tensor(list(sentence_ids), dtype=torch.long)
        starts = self.offsets[ids]
        lengths = self.offsets[ids + 1] - starts
        offsets = torch.zeros(len(ids) + 1, dtype=torch.long)
        offsets[1:] = torch.cumsum(lengths, 0)
        # word rows of every chosen sentence in order, without a tensor per sentence:
        # each row's position in the result, shifted to its sentence's start
        shift = torch.repeat_interleave(starts - offsets[:-1], lengths)
        index = torch.arange(int(offsets[-1])) + shift
        chars = None if self.chars is None else self.chars[index]
        if self.per_sentence:
            labels = self.labels[ids]
        else:
            labels = self.labels[index]
        return FeatureSplit(self.vectors[index], labels, offsets, chars, self.per_sentence)


def _gold_and_predicted(task: str, split: FeatureSplit, predicted: torch.Tensor):
    """Gold and predicted label names per sentence (one label a sentence for a
    per-sentence split)."""
    names = tasks.labels(task)
    if split.per_sentence:
        gold = [[names[i]] for i in split.labels.tolist()]
        pred = [[names[i]] for i in predicted.tolist()]
    else:
        gold = [[names[i] for i in s] for s in split.sentence_labels(split.labels)]
        pred = [[names[i] for i in s] for s in split.sentence_labels(predicted)]
    return gold, pred


def split_result(task: str, split: FeatureSplit, predicted: torch.Tensor) -> dict:
    """The task's score details (``tasks.score``: ``score`` 0-100, ``degenerate``
    when one label was predicted for everything) of predicted label ids (per word,
    or per sentence with ``per_sentence``)."""
    return tasks.score(task, *_gold_and_predicted(task, split, predicted))


def split_score(task: str, split: FeatureSplit, predicted: torch.Tensor) -> float:
    """The task's headline score (0-100) of predicted label ids."""
    return split_result(task, split, predicted)["score"]


def split_sentence_counts(task: str, split: FeatureSplit, predicted: torch.Tensor) -> list:
    """Per sentence of ``split``, the (hits, predicted, gold) counts its score sums
    (``tasks.sentence_counts``); a per-sentence split has one label a sentence."""
    gold, pred = _gold_and_predicted(task, split, predicted)
    return [list(c) for c in tasks.sentence_counts(task, gold, pred)]


def concatenate(splits: list[FeatureSplit]) -> FeatureSplit:
    """The splits one after another as one FeatureSplit (their offsets shifted;
    ``chars`` only when every split has them); all per word or all per sentence."""
    if len({s.per_sentence for s in splits}) > 1:
        raise ValueError("cannot concatenate per-word and per-sentence labels")
    offsets = [torch.zeros(1, dtype=torch.long)]
    base = 0
    for split in splits:
        offsets.append(split.offsets[1:] + base)
        base += int(split.offsets[-1])
    chars = [s.chars for s in splits]
    return FeatureSplit(
        torch.cat([s.vectors for s in splits]),
        torch.cat([s.labels for s in splits]),
        torch.cat(offsets),
        None if any(c is None for c in chars) else torch.cat(chars),
        bool(splits) and splits[0].per_sentence,
    )


def encode_words(
    encoder, tokenizer, sentences: list[list[str]], max_length: int, device, batch_size: int = 64
) -> torch.Tensor:
    """First-subword vector of every word, sentences concatenated in order: [words, e]."""
    from xlt.encoders.with_head import word_outputs

    encoder.eval()
    starts = [0]
    for words in sentences:
        starts.append(starts[-1] + len(words))
    out = torch.zeros(starts[-1], encoder.config.hidden_size)

    def last_layer(ids, mask):
        return encoder(input_ids=ids, attention_mask=mask).last_hidden_state.float()

    for window, hidden in word_outputs(
        last_layer, tokenizer, sentences, max_length, device, batch_size
    ):
        first = starts[window.sentence] + window.first_word
        out[first : first + len(window.word_starts)] = hidden[window.word_starts]
    return out


def _offsets(lengths: list[int]) -> torch.Tensor:
    offsets = torch.zeros(len(lengths) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(torch.tensor(lengths, dtype=torch.long), 0)
    return offsets


def label_id_lists(records: list[dict], label_ids: dict, field: str = "labels") -> list[list[int]]:
    """Every record's labels (its ``field``: a list, or one label) as ids (an unknown
    label is an error naming the sentence)."""
    result = []
    for i, record in enumerate(records):
        ids = []
        value = record[field]
        for label in [value] if isinstance(value, str) else value:
            if label not in label_ids:
                raise ValueError(f"sentence {i + 1}: label {label!r} is not in the task's tag set")
            ids.append(label_ids[label])
        result.append(ids)
    return result


def feature_split(
    vectors: torch.Tensor, records: list[dict], label_ids: dict, task: str | None = None
) -> FeatureSplit:
    """Bundle encoded vectors with the records' labels (an unknown label is an error):
    a label per word, or with ``task`` a sentence classification task, one per
    record, whose words are ``tasks.record_tokens``."""
    if task is not None and tasks.get(task).kind == "classification":
        field = tasks.get(task).label_field
        labels = [ids[0] for ids in label_id_lists(records, label_ids, field)]
        lengths = [len(tasks.record_tokens(task, r)) for r in records]
        if sum(lengths) != len(vectors):
            raise ValueError(f"{len(vectors)} vectors for {sum(lengths)} words")
        return FeatureSplit(
            vectors, torch.tensor(labels, dtype=torch.long), _offsets(lengths), per_sentence=True
        )
    labels = [i for ids in label_id_lists(records, label_ids) for i in ids]
    if len(labels) != len(vectors):
        raise ValueError(f"{len(vectors)} vectors for {len(labels)} labelled words")
    offsets = _offsets([len(r["words"]) for r in records])
    return FeatureSplit(vectors, torch.tensor(labels, dtype=torch.long), offsets)


def unlabelled_split(vectors: torch.Tensor, sentences: list[list[str]]) -> FeatureSplit:
    """Vectors of raw text's words; every label id is 0 (never read)."""
    offsets = _offsets([len(s) for s in sentences])
    if int(offsets[-1]) != len(vectors):
        raise ValueError(f"{len(vectors)} vectors for {int(offsets[-1])} words")
    return FeatureSplit(vectors, torch.zeros(len(vectors), dtype=torch.long), offsets)


# ---------------------------------------------------------------------------
# Fine-tuning: the same word vectors, computed by an encoder that trains.


@dataclass
class TextSplit:
    """Sentences and their label ids: what a fine-tuned encoder reads."""

    words: list[list[str]]
    labels: list[list[int]]

    @property
    def sentences(self) -> int:
        """Number of sentences."""
        return len(self.words)

    def select(self, sentence_ids) -> TextSplit:
        """The sub-corpus of the given sentences, in the given order."""
        return TextSplit(
            [self.words[s] for s in sentence_ids], [self.labels[s] for s in sentence_ids]
        )


def text_split(records: list[dict], label_ids: dict) -> TextSplit:
    """Words and label ids of task-corpus records (an unknown label is an error naming
    the sentence)."""
    return TextSplit([r["words"] for r in records], label_id_lists(records, label_ids))


def read_text_split(path, task: str) -> TextSplit:
    """A task corpus file as a TextSplit; an unknown label is an error naming the file."""
    label_ids = {label: i for i, label in enumerate(tasks.labels(task))}
    try:
        return text_split(read_task_corpus(path), label_ids)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


class WordEncoder:
    """A trainable encoder that gives word vectors (first subwords' final layer)."""

    def __init__(self, encoder, tokenizer, max_length: int, device):
        self.encoder, self.tokenizer = encoder, tokenizer
        self.max_length, self.device = max_length, device

    def vectors(self, split: TextSplit) -> tuple[torch.Tensor, torch.Tensor]:
        """(vectors [words, e] with gradients, label ids [words]) of a training batch;
        words come in window order, which the token-level loss does not mind."""
        from xlt.core.device import autocast
        from xlt.encoders.windows import IGNORE, collate, make_windows

        windows = make_windows(self.tokenizer, split.words, split.labels, self.max_length)
        ids, mask, gold = collate(windows, self.tokenizer.pad_token_id)
        with autocast(self.device):
            hidden = self.encoder(
                input_ids=ids.to(self.device), attention_mask=mask.to(self.device)
            ).last_hidden_state
        keep = gold != IGNORE
        return hidden.float()[keep.to(self.device)], gold[keep].to(self.device)

    @torch.no_grad()
    def encode(self, split: TextSplit) -> FeatureSplit:
        """Vectors of every word of ``split`` in sentence order, without dropout."""
        was_training = self.encoder.training
        vectors = encode_words(
            self.encoder, self.tokenizer, split.words, self.max_length, self.device
        )
        self.encoder.train(was_training)
        labels = torch.tensor([i for ids in split.labels for i in ids], dtype=torch.long)
        return FeatureSplit(vectors, labels, _offsets([len(w) for w in split.words]))


def save_features(path, splits: dict[str, FeatureSplit], info: dict) -> None:
    """Write splits (vectors as float16) and ``info`` to a cache file, atomically."""
    payload = {
        "info": info,
        "splits": {
            name: {
                "vectors": s.vectors.to(torch.float16),
                "labels": s.labels,
                "offsets": s.offsets,
                "per_sentence": s.per_sentence,
            }
            for name, s in splits.items()
        },
    }
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def language_files(directory, languages) -> dict[str, Path]:
    """The cache file of each language in an encode_features directory."""
    return {lang: Path(directory) / f"{lang}.pt" for lang in languages}


def load_features(path) -> tuple[dict[str, FeatureSplit], dict]:
    """The splits (vectors as float32) and info of a cache file from ``save_features``."""
    payload = torch.load(path, map_location="cpu", weights_only=True)
    splits = {
        name: FeatureSplit(
            s["vectors"].float(),
            s["labels"],
            s["offsets"],
            per_sentence=s.get("per_sentence", False),
        )  # fmt: skip
        for name, s in payload["splits"].items()
    }
    return splits, payload["info"]
