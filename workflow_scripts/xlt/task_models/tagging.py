"""Tagging tasks (POS, NER) on an encoder: a label per word.

Each word's label sits on its first subword with characters (``windows``); a
linear head scores every subword, the cross-entropy counts labelled subwords
only, and a word's prediction is the argmax at that subword.
"""

from __future__ import annotations

import torch

from xlt import tasks
from xlt.core.device import autocast
from xlt.core.fileio import atomic_path
from xlt.encoders.windows import collate, make_windows
from xlt.encoders.with_head import TokenClassifier, predict


class TaggingModel:
    """Training and prediction of a tagging task (a ``TaskModel``, ``xlt.task_models.protocol``)."""

    def __init__(self, task: str, tokenizer, max_length: int, options: dict | None = None):
        self.task = task
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.labels = tasks.labels(task)
        self.label_id = {label: i for i, label in enumerate(self.labels)}
        self._loss = torch.nn.CrossEntropyLoss(ignore_index=-100)

    def build(self, encoder, dropout: float, fine_tune: bool, frozen_layers: int = 0):
        """The encoder with a linear head over every subword."""
        return TokenClassifier(encoder, len(self.labels), dropout, fine_tune, frozen_layers)

    def units(self, records: list[dict]) -> list:
        """Training units: windows of words with their labels."""
        words = [r["words"] for r in records]
        ids = [[self.label_id[t] for t in r["labels"]] for r in records]
        return make_windows(self.tokenizer, words, ids, self.max_length)

    def unit_length(self, unit) -> int:
        """Subwords of a window."""
        return len(unit.input_ids)

    def loss(self, model, units: list, device) -> torch.Tensor:
        """Cross-entropy of the labelled subwords of a batch of windows."""
        ids, mask, gold = collate(units, self.tokenizer.pad_token_id)
        with autocast(device):
            logits = model(ids.to(device), mask.to(device))
        return self._loss(logits.float().view(-1, len(self.labels)), gold.to(device).view(-1))

    def prepare(self, records: list[dict]):
        """What prediction needs, made once (a dev set is scored every epoch)."""
        words = [r["words"] for r in records]
        return words, make_windows(self.tokenizer, words, None, self.max_length)

    def predict(self, model, prepared, device) -> list[list[str]]:
        """The predicted label of every word of every record."""
        words, windows = prepared
        ids = predict(model, self.tokenizer, words, self.max_length, device, windows=windows)
        return [[self.labels[i] for i in sentence] for sentence in ids]

    def score(self, records: list[dict], predictions: list[list[str]]) -> dict:
        """Accuracy (pos) or entity-span F1 (ner) with its details."""
        return tasks.score(self.task, [r["labels"] for r in records], predictions)

    def write_predictions(self, path, records: list[dict], predictions) -> None:
        """One ``word gold predicted`` row per word, a blank line after each sentence."""
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
            out.write("word\tgold\tpredicted\n")
            for record, pred in zip(records, predictions, strict=True):
                for row in zip(record["words"], record["labels"], pred, strict=True):
                    out.write("\t".join(row) + "\n")
                out.write("\n")
