"""What every result records about how it was made."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

PACKAGES = ["torch", "transformers", "tokenizers", "numpy", "pandas", "seqeval", "snakemake"]


def versions() -> dict:
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def device_description(device) -> dict:
    import torch

    info = {"device": str(device), "host": platform.node(), "cpu": platform.processor() or None}
    if str(device).startswith("cuda"):
        info["gpu"] = torch.cuda.get_device_name(device)
    info["torch_threads"] = torch.get_num_threads()
    return info
