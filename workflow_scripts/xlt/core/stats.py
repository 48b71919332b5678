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
