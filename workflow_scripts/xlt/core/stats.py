"""Statistics every family's tables and figures share: mean ± sample standard
deviation over seeds, its display, Pearson's r."""

from __future__ import annotations

import numpy as np
import pandas as pd


def mean_std(frame: pd.DataFrame, by: list[str], value: str = "score") -> pd.DataFrame:
    """Per group of ``by`` (sorted): mean, sample standard deviation (ddof=1; NaN
    for a single seed) and the number of rows (``seeds``) of ``value``."""
    grouped = frame.groupby(by, sort=True)[value]
    return grouped.agg(mean="mean", std=lambda s: s.std(ddof=1), seeds="count").reset_index()


def format_cell(mean: float, std: float) -> str:
    """``12.34 ± 0.56``, or the mean alone when there is no spread (one seed)."""
    return f"{mean:.2f}" if np.isnan(std) else f"{mean:.2f} ± {std:.2f}"


def pearson(x, y) -> float:
    """Pearson's r; NaN when either side is constant or has fewer than 3 points."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def refuse_duplicates(table: pd.DataFrame, keys: list[str], origin: str) -> None:
    """Raise ValueError if two rows of ``table`` share ``keys`` (one run counted
    twice would make a mean over seeds wrong and its std a false ± 0.00); the
    message lists each repeated key with the ``origin`` (e.g. file) of its rows."""
    repeated = table[table.duplicated(keys, keep=False)]
    if repeated.empty:
        return
    lines = []
    for values, rows in repeated.groupby(keys, sort=True):
        named = ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True))
        lines.append(f"{named}: {', '.join(map(str, rows[origin]))}")
    shown = lines[:10] + ([f"... and {len(lines) - 10} more"] if len(lines) > 10 else [])
    raise ValueError(
        f"{len(lines)} result(s) appear more than once (the same run counted twice):\n  "
        + "\n  ".join(shown)
    )
