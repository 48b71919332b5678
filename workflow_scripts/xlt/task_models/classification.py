"""Sentence and sentence-pair classification on an encoder (XNLI; review sentiment).

The encoder reads the sentence, or both sentences as one input (``[CLS] a
[SEP] b [SEP]`` / ``<s> a </s></s> b </s>``, truncated longest-first to
``max_length`` subwords); a linear layer on its first token's final vector,
after dropout, gives the class (Lauscher et al. 2020; Wu and Dredze 2019).
Cross-entropy, argmax, accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from xlt import tasks
from xlt.core.device import autocast
from xlt.core.fileio import atomic_path
from xlt.encoders.windows import pad_inputs
from xlt.encoders.with_head import EncoderWithHead
from xlt.tasks.metrics import accuracy, one_class


class SequenceClassifier(EncoderWithHead):
    """Encoder + dropout + linear layer on the first token's vector."""

    def __init__(self, encoder, num_labels: int, dropout: float, fine_tune=True, frozen_layers=0):
        head = nn.Linear(encoder.config.hidden_size, num_labels)
        super().__init__(encoder, head, dropout, fine_tune, frozen_layers)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        """Logits [batch, num_labels]."""
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra)
        return self.head(self.dropout(out.last_hidden_state[:, 0]))


@dataclass
class Encoded:
    """One example as the encoder reads it, with its label id (None if unknown)."""

    input_ids: list[int]
    token_type_ids: list[int] | None
    label: int | None


class ClassificationModel:
    """Training and prediction of a classification task (a ``TaskModel``,
    ``xlt.task_models.protocol``); the task's ``record`` fields before ``label`` are its text(s)."""

    def __init__(self, task: str, tokenizer, max_length: int, options: dict | None = None):
        self.task = task
        self.tokenizer = tokenizer
        self.max_length = max_length
        spec = tasks.get(task)
        self.fields = tuple(f for f in spec.record if f != spec.label_field)
        self.label_field = spec.label_field
        self.labels = tasks.labels(task)
        self.label_id = {label: i for i, label in enumerate(self.labels)}
        self._loss = torch.nn.CrossEntropyLoss()

    def build(self, encoder, dropout: float, fine_tune: bool, frozen_layers: int = 0):
        """The encoder with a linear head on its first token."""
        return SequenceClassifier(encoder, len(self.labels), dropout, fine_tune, frozen_layers)

    def _encode(self, records: list[dict], with_labels: bool) -> list[Encoded]:
        texts = [[r[field] for r in records] for field in self.fields]
        encoded = self.tokenizer(
            *texts, truncation=True, max_length=self.max_length, return_attention_mask=False
        )
        types = encoded.get("token_type_ids")
        return [
            Encoded(
                encoded["input_ids"][i],
                types[i] if types is not None else None,
                self.label_id[r[self.label_field]] if with_labels else None,
            )
            for i, r in enumerate(records)
        ]

    def units(self, records: list[dict]) -> list[Encoded]:
        """Training units: every example, encoded, with its label."""
        return self._encode(records, with_labels=True)

    def unit_length(self, unit: Encoded) -> int:
        """Subwords of an example."""
        return len(unit.input_ids)

    def _batch(self, units, device):
        return pad_inputs(units, self.tokenizer.pad_token_id, device)

    def loss(self, model, units: list[Encoded], device) -> torch.Tensor:
        """Cross-entropy of a batch of examples."""
        gold = torch.tensor([u.label for u in units], device=device)
        with autocast(device):
            logits = model(*self._batch(units, device))
        return self._loss(logits.float(), gold)

    def prepare(self, records: list[dict]) -> list[Encoded]:
        """The examples, encoded once."""
        return self._encode(records, with_labels=False)

    @torch.no_grad()
    def predict(self, model, prepared: list[Encoded], device, batch_size: int = 64) -> list[str]:
        """The predicted class of every example."""
        model.eval()
        out: list = [None] * len(prepared)
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i].input_ids))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            with autocast(device):
                logits = model(*self._batch([prepared[i] for i in chosen], device))
            for i, best in zip(chosen, logits.argmax(-1).tolist(), strict=True):
                out[i] = self.labels[best]
        return out

    def score(self, records: list[dict], predictions: list[str]) -> dict:
        """Accuracy over the examples; ``degenerate`` when one class was predicted
        for every example."""
        gold = [[r[self.label_field]] for r in records]
        pred = [[p] for p in predictions]
        value = accuracy(gold, pred)
        return {"metric": "accuracy", "score": 100 * value, "examples": len(records),
                "degenerate": one_class(gold, pred)}  # fmt: skip

    def write_predictions(self, path, records: list[dict], predictions) -> None:
        """One row per example: its text(s), gold and predicted class."""
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
            out.write("\t".join([*self.fields, "gold", "predicted"]) + "\n")
            for record, predicted in zip(records, predictions, strict=True):
                cells = [record[f].replace("\t", " ") for f in self.fields]
                out.write("\t".join([*cells, record[self.label_field], predicted]) + "\n")
