"""Task definitions: label sets and metrics, read from metadata/tagsets.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from xlt.core.paths import METADATA
from xlt.tasks import metrics

TAGSETS_PATH = METADATA / "tagsets.yaml"


@cache
def tagsets(path: str = str(TAGSETS_PATH)) -> dict:
    """metadata/tagsets.yaml, read once: per task, its labels and its metric."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def labels(task: str) -> list[str]:
    """The labels of ``task``, in tag-set order; ValueError for an unknown task."""
    try:
        return list(tagsets()[task]["labels"])
    except KeyError:
        raise ValueError(f"unknown task '{task}' (known: {', '.join(tagsets())})") from None


def metric_name(task: str) -> str:
    """Name of ``task``'s headline metric (``accuracy`` or ``span_f1``)."""
    return tagsets()[task]["metric"]


def score(task: str, gold: list[list[str]], pred: list[list[str]]) -> dict:
    """The task's headline score (0-100 scale) plus its details."""
    name = metric_name(task)
    if name == "accuracy":
        value = metrics.accuracy(gold, pred)
        return {"metric": name, "score": 100 * value}
    if name == "span_f1":
        result = metrics.span_f1(gold, pred)
        return {
            "metric": name,
            "score": 100 * result["f1"],
            "precision": 100 * result["precision"],
            "recall": 100 * result["recall"],
            "n_gold_spans": result["n_gold"],
            "n_pred_spans": result["n_pred"],
        }
    raise ValueError(f"unknown metric '{name}' for task '{task}'")
