"""The all-pairs scores joined with a pair measure (word-piece overlap, shared
word-order features), and their correlations over the transfer pairs."""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

from xlt.core.stats import mean_std


def pair_scores(scores: pd.DataFrame, task: str) -> pd.DataFrame:
    """Mean score over seeds per (source, target) of ``task`` (columns source,
    target, score, std, seeds); a KeyError when the table has no row of it."""
    rows = scores[scores.task == task]
    if rows.empty:
        raise KeyError(f"the all-pairs scores have no row of task {task}")
    table = mean_std(rows, ["source", "target"])
    return table.rename(columns={"mean": "score", "std": "score_std"})


def join_measure(scores: pd.DataFrame, measure: pd.DataFrame, task: str) -> pd.DataFrame:
    """The measure's rows with the pair's mean score of ``task``; every transfer
    pair of the measure must have a score (a ValueError names those without)."""
    joined = measure.merge(pair_scores(scores, task), on=["source", "target"], how="left")
    missing = joined[joined.score.isna()]
    if not missing.empty:
        pairs = ", ".join(f"{s}->{t}" for s, t in zip(missing.source, missing.target, strict=True))
        raise ValueError(f"no {task} score for the pair(s) {pairs}")
    return joined.assign(task=task)


def correlation(frame: pd.DataFrame, x: str, y: str = "score") -> dict:
    """Pearson's r and Spearman's rho (with two-sided p-values) of ``x`` and ``y``
    over the transfer pairs (source != target); NaN where a side is constant or
    there are fewer than 3 pairs."""
    pairs = frame[frame.source != frame.target]
    result = {"n": len(pairs), "pearson_r": math.nan, "pearson_p": math.nan,
              "spearman_rho": math.nan, "spearman_p": math.nan}  # fmt: skip
    if len(pairs) < 3 or pairs[x].nunique() < 2 or pairs[y].nunique() < 2:
        return result
    r, p = stats.pearsonr(pairs[x], pairs[y])
    rho, p_rho = stats.spearmanr(pairs[x], pairs[y])
    result.update(pearson_r=float(r), pearson_p=float(p),
                  spearman_rho=float(rho), spearman_p=float(p_rho))  # fmt: skip
    return result
