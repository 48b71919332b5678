"""Interleaved repeats for the benches that compare two things.

One timing of A against one of B decides nothing on a shared machine: five runs
of the same comparison have differed by 40 %. A comparison runs A B A B ... (at
least 5 pairs by default), takes the ratio within each pair, whose two runs saw
the same machine state, and reports the median ratio with its range.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

PAIRS = 5


def interleaved(run_a: Callable[[], float], run_b: Callable[[], float], pairs: int = PAIRS):
    """``pairs`` alternating measurements of A and B (each a number, e.g. seconds
    or a rate): the list of (a, b), in the order they ran."""
    if pairs < 1:
        raise ValueError(f"pairs must be at least 1, got {pairs}")
    measured = []
    for i in range(pairs):
        # alternate which side goes first, so neither always runs on a warmer machine
        if i % 2 == 0:
            a = run_a()
            b = run_b()
        else:
            b = run_b()
            a = run_a()
        measured.append((a, b))
    return measured


def ratio_summary(ratios: list[float]) -> str:
    """'median 1.31x (range 1.03-1.48, 5 pairs)'."""
    return (
        f"median {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}, {len(ratios)} pairs)"
    )
