"""An encoder with a task head on top: the base every task model builds on
(``EncoderWithHead``), the token classifier, freezing lower layers, and word-level
outputs and prediction over subword windows."""

from __future__ import annotations

import torch
from torch import nn

from xlt.core.device import autocast
from xlt.encoders.windows import collate, make_windows


class EncoderWithHead(nn.Module):
    """An encoder, dropout on its output and a task head (``self.head``).

    ``fine_tune`` False freezes the encoder (only the head trains);
    ``frozen_layers`` freezes its embeddings and lowest layers only.
    """

    def __init__(self, encoder, head: nn.Module, dropout: float, fine_tune=True, frozen_layers=0):
        super().__init__()
        self.encoder = encoder
        self.fine_tune = fine_tune
        self.dropout = nn.Dropout(dropout)
        self.head = head
        if not fine_tune:
            for p in self.encoder.parameters():
                p.requires_grad_(False)
        elif frozen_layers:
            freeze_lower_layers(encoder, frozen_layers)

    def train(self, mode: bool = True):
        """Set the training mode; a frozen encoder stays in eval mode (no dropout)."""
        super().train(mode)
        if not self.fine_tune:  # a frozen encoder keeps its dropout off
            self.encoder.eval()
        return self

    def hidden(self, input_ids, attention_mask):
        """The encoder's last layer [batch, length, hidden], after dropout."""
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        return self.dropout(out.last_hidden_state)


class TokenClassifier(EncoderWithHead):
    """Encoder + dropout + linear layer over each subword vector."""

    def __init__(
        self,
        encoder,
        num_labels: int,
        dropout: float,
        fine_tune: bool = True,
        frozen_layers: int = 0,
    ):
        head = nn.Linear(encoder.config.hidden_size, num_labels)
        super().__init__(encoder, head, dropout, fine_tune, frozen_layers)

    def forward(self, input_ids, attention_mask):
        """Logits [batch, length, num_labels] of every subword."""
        return self.head(self.hidden(input_ids, attention_mask))


def freeze_lower_layers(encoder, layers: int) -> None:
    """Freeze the embeddings and the lowest ``layers`` transformer layers (Wu and
    Dredze 2019, whose "freeze layer n" counts the embeddings as layer 0)."""
    blocks = getattr(getattr(encoder, "encoder", None), "layer", None)
    if blocks is None or not hasattr(encoder, "embeddings"):
        raise ValueError(
            f"cannot freeze lower layers of a {type(encoder).__name__}: "
            "no embeddings / encoder.layer (a BERT-style encoder is needed)"
        )
    if layers > len(blocks):
        raise ValueError(
            f"config key 'factorization.jm_frozen_layers': {layers} layers to freeze, "
            f"but the encoder has {len(blocks)}"
        )
    for module in [encoder.embeddings, *blocks[:layers]]:
        for p in module.parameters():
            p.requires_grad_(False)


@torch.no_grad()
def word_outputs(
    forward,
    tokenizer,
    sentences: list[list[str]],
    max_length: int,
    device,
    batch_size=64,
    windows=None,
):
    """Yield (window, per-subword outputs) for every window of ``sentences``.

    ``forward(ids, mask)`` returns [batch, length, ...]; windows are batched by
    length (little padding) and the caller puts results back by
    ``window.sentence``, ``window.first_word`` and ``window.word_starts``.
    ``windows``: those of ``sentences`` made earlier (a dev set scored every
    epoch is tokenised once).
    """
    if windows is None:
        windows = make_windows(tokenizer, sentences, None, max_length)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
    for start in range(0, len(order), batch_size):
        batch = [windows[i] for i in order[start : start + batch_size]]
        ids, mask, _ = collate(batch, tokenizer.pad_token_id)
        with autocast(device):
            outputs = forward(ids.to(device), mask.to(device))
        outputs = outputs.cpu()
        for row, window in enumerate(batch):
            yield window, outputs[row]


def predict(
    model,
    tokenizer,
    sentences: list[list[str]],
    max_length: int,
    device,
    batch_size=64,
    windows=None,
):
    """Label ids of every word of every sentence (windows merged back); ``windows``
    as for ``word_outputs``."""
    model.eval()
    out = [[None] * len(words) for words in sentences]

    def best_labels(ids, mask):
        return model(ids, mask).argmax(-1)

    for window, best in word_outputs(
        best_labels, tokenizer, sentences, max_length, device, batch_size, windows
    ):
        for k, position in enumerate(window.word_starts):
            out[window.sentence][window.first_word + k] = int(best[position])
    return out
