"""Exact, resumable checkpoints: a run's state with its identity and the random
number generators' state, written atomically, read back only by the same run."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import numpy as np
import torch

from xlt.core.fileio import atomic_path

log = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global random number generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def save_atomic(obj, path) -> None:
    """``torch.save`` to ``path`` through a temporary file (never half-written)."""
    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


def rng_state() -> dict:
    """torch's CPU RNG state (and CUDA's, when available), as a checkpoint keeps it."""
    state = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Restore an RNG state saved by ``rng_state``."""
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def load_run_checkpoint(path, identity) -> dict | None:
    """The checkpoint at ``path`` if it holds the run ``identity`` (its RNG state
    restored), else None: absent, or another run's (logged, left for the next save
    to replace)."""
    path = Path(path)
    if not path.exists():
        return None
    saved = torch.load(path, map_location="cpu", weights_only=False)
    if saved["identity"] != identity:
        log.info("ignoring checkpoint %s of a different run", path)
        return None
    set_rng_state(saved["rng"])
    return saved


def save_run_checkpoint(path, identity, payload: dict) -> None:
    """Write ``payload`` with the run's ``identity`` and the RNG state, atomically."""
    with atomic_path(path) as tmp:
        torch.save({"identity": identity, **payload, "rng": rng_state()}, tmp)
