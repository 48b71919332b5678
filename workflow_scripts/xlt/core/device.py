"""Devices: the one ``training.device`` names, where a run ran, and autocast."""

from __future__ import annotations

import platform

import torch


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
