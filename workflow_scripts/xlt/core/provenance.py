"""What every result records about how it was made."""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ["torch", "transformers", "tokenizers", "numpy", "pandas", "seqeval", "snakemake"]


def versions() -> dict:
    """Versions of Python and of ``PACKAGES`` (None for a package not installed)."""
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def fingerprint(obj) -> str:
    """Stable hash of everything that determines a training run."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def file_digest(path) -> str:
    """Short content hash of a file: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
