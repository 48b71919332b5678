"""Task definitions: label sets and metrics, read from metadata/tagsets.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from . import metrics

TAGSETS_PATH = Path(__file__).resolve().parents[2] / "metadata" / "tagsets.yaml"


@cache
def tagsets(path: str = str(TAGSETS_PATH)) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def labels(task: str) -> list[str]:
    try:
        return list(tagsets()[task]["labels"])
    except KeyError:
        raise ValueError(f"unknown task '{task}' (known: {', '.join(tagsets())})") from None


def metric_name(task: str) -> str:
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
