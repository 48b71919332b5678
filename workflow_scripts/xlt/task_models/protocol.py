"""The interface every task model implements (``typing.Protocol``): what the
training loop (``xlt.task_models.training``), the evaluation scripts and the
families ask of a task kind. A new kind implements these methods; it need not
inherit anything.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import torch

from xlt.encoders.with_head import EncoderWithHead


@runtime_checkable
class TaskModel(Protocol):
    """The head, loss, decoding and scoring of one task kind on an encoder."""

    task: str
    labels: list[str]

    def build(
        self, encoder, dropout: float, fine_tune: bool, frozen_layers: int = 0
    ) -> EncoderWithHead:
        """The model: the encoder with this kind's head (``head`` is what a
        frozen-encoder run trains)."""
        ...

    def units(self, records: list[dict]) -> list:
        """The training units of ``records`` (e.g. subword windows)."""
        ...

    def unit_length(self, unit) -> int:
        """A unit's length in subwords (batches group similar lengths)."""
        ...

    def loss(self, model: EncoderWithHead, units: list, device) -> torch.Tensor:
        """The training loss of a batch of units."""
        ...

    def prepare(self, records: list[dict]) -> Any:
        """What ``predict`` needs of ``records``, made once (a dev set scored every
        epoch is tokenised once)."""
        ...

    def predict(self, model: EncoderWithHead, prepared, device) -> list:
        """One prediction per record of ``prepare``'s records."""
        ...

    def score(self, records: list[dict], predictions: list) -> dict:
        """``metric``, ``score`` (0-100) and the metric's details."""
        ...

    def write_predictions(self, path, records: list[dict], predictions) -> None:
        """A TSV of the predictions a person can read."""
        ...
