"""The tasks: what each one reads, predicts and is scored by.

A ``Task`` declares its data (``corpus``: which raw source and what a record
holds), its kind (which head, loss and decoding train and predict it; see
``xlt.task_models``), its label set (metadata/tagsets.yaml) and its metrics.
This module stays light (no torch): the workflow asks it while it builds the
DAG. Adding a task: its entry here, its labels in tagsets.yaml, a reader in
``xlt.data.preprocess`` and, for a new kind, a task model in ``xlt.task_models`` (a
``TaskModel``, registered in ``xlt.task_models.registry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from xlt.core.paths import METADATA
from xlt.tasks import metrics

TAGSETS_PATH = METADATA / "tagsets.yaml"


@dataclass(frozen=True)
class Task:
    """One task.

    ``kind``: ``tagging`` (a label per word: linear head on each word's first
    subword with characters, cross-entropy, argmax), ``parsing`` (a head and a
    relation per word: biaffine arc and relation scorers, cross-entropy on both,
    maximum-spanning-tree decoding), ``pair_classification`` or
    ``classification`` (a class per sentence pair or sentence: linear head on
    the first token), ``extractive_qa`` (an answer span of a context per
    question: start and end logits on every subword of windows of the
    context, the best span). ``corpus``: the raw data it is read from (``ud``: CoNLL-U
    treebanks; ``wikiann``: NER columns; ``conll``: the CoNLL-2002/2003 shared tasks'
    NER files, ``xlt.data.sources.conll``; ``xnli``: premise-hypothesis-label rows
    in XTREME's TSV layout; ``sentences``: text-label rows, ``xlt.data.sources.sentences``;
    ``squad``: questions on paragraphs in SQuAD v1.1 JSON, ``xlt.data.sources.squad``).
    ``record``: the fields of one preprocessed record. ``metrics``: what a score reports, the
    headline (model selection, tables) first. ``labelled_splits``: the splits
    that carry gold labels in every source (a source whose test split lacks
    them, e.g. XTREME's PAN-X, is scored on dev by configuration);
    ``label_field``: the record field that holds the task's labels;
    ``text_fields``: the fields whose words a corpus summary counts (default:
    every field but the labels).
    """

    name: str
    kind: str
    corpus: str
    record: tuple[str, ...]
    metrics: tuple[str, ...]
    description: str
    labelled_splits: tuple[str, ...] = ("train", "dev", "test")
    label_field: str = "labels"
    text_fields: tuple[str, ...] = ()

    @property
    def metric(self) -> str:
        """The headline metric."""
        return self.metrics[0]


TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task(
            "pos",
            "tagging",
            "ud",
            ("words", "labels"),
            ("accuracy",),
            "universal POS tags of UD treebanks, word accuracy",
        ),
        Task(
            "ner",
            "tagging",
            "wikiann",
            ("words", "labels"),
            ("span_f1", "precision", "recall"),
            "WikiANN named entities in IOB2, entity-span F1",
        ),
        Task(
            "conll_ner",
            "tagging",
            "conll",
            ("words", "labels"),
            ("span_f1", "precision", "recall"),
            "CoNLL-2002/2003 named entities (PER, LOC, ORG, MISC; IOB1 read as IOB2), "
            "entity-span F1",
        ),
        Task(
            "dep",
            "parsing",
            "ud",
            ("words", "upos", "heads", "deprels"),
            ("las", "uas"),
            "UD basic trees: biaffine parser, MST decoding, LAS and UAS",
            label_field="deprels",
        ),
        Task(
            "xnli",
            "pair_classification",
            "xnli",
            ("premise", "hypothesis", "label"),
            ("accuracy",),
            "XNLI premise-hypothesis pairs: entailment, neutral or contradiction, accuracy",
            label_field="label",
        ),
        Task(
            "sentiment",
            "classification",
            "sentences",
            ("text", "label"),
            ("accuracy",),
            "a sentence's polarity (e.g. product reviews), accuracy",
            label_field="label",
        ),
        Task(
            "qa",
            "extractive_qa",
            "squad",
            ("id", "article", "context", "question", "answers"),
            ("exact_match", "f1"),
            "extractive QA: SQuAD v1.1 train, XQuAD per language; exact match and F1",
            label_field="answers",
            text_fields=("question", "context"),
        ),
    )
}


def get(task: str) -> Task:
    """The task named ``task``; ValueError naming the known ones otherwise."""
    try:
        return TASKS[task]
    except KeyError:
        raise ValueError(f"unknown task '{task}' (known: {', '.join(TASKS)})") from None


@cache
def tagsets(path: str = str(TAGSETS_PATH)) -> dict:
    """metadata/tagsets.yaml, read once: per task, its labels and its metric."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def record_words(task: str, record: dict) -> int:
    """Words of a record: its word list, or its texts' space-separated tokens."""
    if "words" in record:
        return len(record["words"])
    spec = get(task)
    fields = spec.text_fields or [f for f in spec.record if f != spec.label_field]
    return sum(len(record[f].split()) for f in fields)


def record_tokens(task: str, record: dict) -> list[str]:
    """The words of a one-sequence record: a tagging record's word list, or a
    classification record's text split at whitespace."""
    spec = get(task)
    if spec.kind == "tagging":
        return list(record["words"])
    if spec.kind == "classification":
        (field,) = [f for f in spec.record if f != spec.label_field]
        return record[field].split()
    raise ValueError(f"task '{task}' ({spec.kind}) has no single word sequence per record")


def record_labels(task: str, record: dict) -> list[str] | None:
    """A record's gold labels (one per word, or the sentence's one); None for a
    task whose gold is not drawn from a label set (qa: answer spans)."""
    value = record[get(task).label_field]
    if isinstance(value, str):
        return [value]
    if all(isinstance(item, str) for item in value):
        return list(value)
    return None


def labels(task: str) -> list[str]:
    """The labels of ``task`` (relations for dep), in tag-set order; ValueError for
    an unknown task."""
    get(task)
    return list(tagsets()[task]["labels"])


def metric_name(task: str) -> str:
    """Name of ``task``'s default headline metric (``accuracy``, ``span_f1``,
    ``las``; dep's can be set to ``uas`` in task_options)."""
    return get(task).metric


def sentence_counts(task: str, gold: list[list[str]], pred: list[list[str]]) -> list[tuple]:
    """(hits, predicted, gold) per sentence of a task scored from per-word or
    per-sentence labels (``metrics.sentence_counts``)."""
    return metrics.sentence_counts(metric_name(task), gold, pred)


def score(task: str, gold: list[list[str]], pred: list[list[str]]) -> dict:
    """A tagging task's headline score (0-100 scale) plus its details, from
    per-word gold and predicted labels; ``degenerate`` when one label was
    predicted for every word (``metrics.one_class``)."""
    name = metric_name(task)
    degenerate = metrics.one_class(gold, pred)
    if name == "accuracy":
        value = metrics.accuracy(gold, pred)
        return {"metric": name, "score": 100 * value, "degenerate": degenerate}
    if name == "span_f1":
        result = metrics.span_f1(gold, pred)
        return {
            "metric": name,
            "score": 100 * result["f1"],
            "precision": 100 * result["precision"],
            "recall": 100 * result["recall"],
            "n_gold_spans": result["n_gold"],
            "n_pred_spans": result["n_pred"],
            "degenerate": degenerate,
        }
    raise ValueError(f"task '{task}' is not scored from per-word labels (metric '{name}')")
