"""A trained task model's directory: the head's weights, the labels, the model's
description (``classifier.json``) and, when fine-tuned, the encoder beside it."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from xlt.encoders.loading import load_encoder
from xlt.encoders.with_head import EncoderWithHead
from xlt.task_models.registry import for_task

# The head's weights; the fine-tuned encoder beside it is a safetensors file too.
HEAD_FILE = "head.safetensors"


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
    directory = Path(directory)
    info = json.loads((directory / "classifier.json").read_text())
    labels = json.loads((directory / "labels.json").read_text())
    source = directory / "encoder" if info["fine_tune"] else Path(encoder_dir)
    tokenizer, encoder = load_encoder(source)
    task_model = for_task(info["task"], tokenizer, info["max_length"], info.get("options"))
    model = task_model.build(encoder, info["dropout"], info["fine_tune"])
    model.head.load_state_dict(head_state(directory))
    return model.to(device), tokenizer, labels, info
