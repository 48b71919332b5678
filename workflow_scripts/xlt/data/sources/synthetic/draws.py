"""Deterministic random draws for the synthetic benchmark.

Every random choice of the generator comes from a stream named by its parts
(seed, purpose, language code, ...), hashed with SHA-256: ``_rng`` gives an
independent ``random.Random`` stream and ``_unit`` a single uniform number, both
stable across Python versions and independent of the order of calls.
"""

from __future__ import annotations

import hashlib
import random


def _digest(*parts) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()


def _rng(*parts) -> random.Random:
    """An independent stream named by ``parts`` (stable across Python versions)."""
    return random.Random(int.from_bytes(_digest(*parts)[:8], "big"))


def _unit(*parts) -> float:
    """A uniform number in [0, 1) named by ``parts``."""
    return int.from_bytes(_digest(*parts)[:7], "big") / 2**56
