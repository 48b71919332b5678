"""A dev split held out of a source language's training data where its data has
none: a deterministic share of the sentences, chosen by a keyed hash of their
words (independent of the records' order)."""

from __future__ import annotations

import hashlib

DEV_HOLDOUT = 0.1  # share of a dev-less source language's train used as its dev


def _holdout_rank(words: list[str], seed: int) -> bytes:
    text = "\t".join(words).encode("utf-8")
    return hashlib.blake2b(text, key=str(seed).encode(), digest_size=16).digest()


def split_off_dev(records: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """(train, dev): dev = the ``DEV_HOLDOUT`` share with the lowest keyed hash.

    Independent of record order; at least one sentence on each side.
    """
    if len(records) < 2:
        raise ValueError("need at least 2 training sentences to hold out a dev split")
    size = min(len(records) - 1, max(1, round(DEV_HOLDOUT * len(records))))
    ranked = sorted(
        range(len(records)), key=lambda i: (_holdout_rank(records[i]["words"], seed), i)
    )
    held = set(ranked[:size])
    train = [r for i, r in enumerate(records) if i not in held]
    dev = [r for i, r in enumerate(records) if i in held]
    return train, dev
