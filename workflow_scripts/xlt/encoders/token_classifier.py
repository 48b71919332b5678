"""Encoders with a task head (token classifier), their files, word-level prediction."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from xlt.encoders.loading import load_encoder
from xlt.encoders.windows import collate, make_windows

# The head's weights; the fine-tuned encoder beside it is a safetensors file too.
HEAD_FILE = "head.safetensors"


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


def resolve_device(name: str) -> torch.device:
    """The torch device ``training.device`` names: ``auto`` takes CUDA when one is
    visible; ``cuda`` without a visible GPU is an error."""
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("training.device is cuda but no CUDA device is visible")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def device_description(device) -> dict:
    """Where a run ran: device, host, CPU, the GPU's name on CUDA, torch's threads."""
    info = {"device": str(device), "host": platform.node(), "cpu": platform.processor() or None}
    if str(device).startswith("cuda"):
        info["gpu"] = torch.cuda.get_device_name(device)
    info["torch_threads"] = torch.get_num_threads()
    return info


def autocast(device: torch.device):
    """bf16 autocast on GPU; a no-op on CPU, where it would only slow things down."""
    device = torch.device(device)
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")


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


def save_classifier(model: EncoderWithHead, tokenizer, labels, info: dict, directory) -> None:
    """Write head, labels and (when fine-tuned) the encoder into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    save_file(model.head.state_dict(), directory / HEAD_FILE)
    (directory / "labels.json").write_text(json.dumps(labels) + "\n")
    (directory / "classifier.json").write_text(json.dumps(info, indent=2) + "\n")
    tokenizer.save_pretrained(directory / "encoder")
    if model.fine_tune:
        model.encoder.save_pretrained(directory / "encoder")


def head_state(directory) -> dict:
    """The head's weights in a classifier directory (``head.pt`` in one written
    before the head was stored as safetensors)."""
    directory = Path(directory)
    if (directory / HEAD_FILE).exists():
        return load_file(directory / HEAD_FILE)
    return torch.load(directory / "head.pt", map_location="cpu", weights_only=True)


def load_classifier(directory, encoder_dir, device) -> tuple[EncoderWithHead, object, list, dict]:
    """Inverse of save_classifier, for any task's model (``classifier.json`` names
    the task); a frozen-encoder run reads the encoder from ``encoder_dir``."""
    from xlt.tasks import models

    directory = Path(directory)
    info = json.loads((directory / "classifier.json").read_text())
    labels = json.loads((directory / "labels.json").read_text())
    source = directory / "encoder" if info["fine_tune"] else Path(encoder_dir)
    tokenizer, encoder = load_encoder(source)
    task_model = models.for_task(info["task"], tokenizer, info["max_length"], info.get("options"))
    model = task_model.build(encoder, info["dropout"], info["fine_tune"])
    model.head.load_state_dict(head_state(directory))
    return model.to(device), tokenizer, labels, info
