"""What explains transfer scores: feature correlations and a cross-validated
meta-regression (Lauscher et al. 2020, sec. 3.3, Tables 2 and 3).

Both take a frame with one row per target language, a score column and
feature columns (similarities to the source, pretraining corpus size, ...),
so they run on the pipeline's own scores and on published ones alike.

* ``correlations``: Pearson's r and Spearman's rho of the score with each
  feature, with two-sided p-values (scipy).
* ``meta_regression``: ordinary least squares with an intercept
  (statsmodels), scored by the Pearson correlation of its leave-one-out
  predictions with the scores; features are chosen greedily forward — start
  from none, add the feature that raises the leave-one-out Pearson most, stop
  when none raises it. Reported: the chosen features, their normalised weights
  (the absolute coefficients of the model fitted on every language, each
  feature z-scored first so that they are comparable, divided by their sum),
  and the Pearson, Spearman and mean absolute error of the leave-one-out
  predictions. z-scoring does not change the predictions: an affine change of
  a feature is absorbed by its coefficient and the intercept.

A constant feature carries no information and makes both undefined: it is an
error naming the feature (the caller decides whether to drop it, and says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlt.core.stats import pearson


def _checked(frame: pd.DataFrame, score: str, features: list[str]) -> None:
    missing = [c for c in [score, *features] if c not in frame.columns]
    if missing:
        raise ValueError(f"no column(s) {', '.join(missing)} (have: {', '.join(frame.columns)})")
    if len(frame) < 3:
        raise ValueError(f"{len(frame)} languages: correlations need at least 3")
    for column in [score, *features]:
        values = frame[column].to_numpy(float)
        if np.isnan(values).any():
            name = next((c for c in ("target", "language", "lang") if c in frame.columns), None)
            rows = frame[np.isnan(values)]
            which = ", ".join(map(str, rows[name])) if name else ", ".join(map(str, rows.index))
            raise ValueError(
                f"column {column!r} has missing values (rows of {name or 'index'} {which})"
            )
        if np.ptp(values) == 0:
            raise ValueError(f"column {column!r} is constant ({values[0]:g} for every language)")


def correlations(frame: pd.DataFrame, score: str, features: list[str]) -> pd.DataFrame:
    """One row per feature: ``pearson``, ``pearson_p``, ``spearman``,
    ``spearman_p`` (two-sided) and ``languages``."""
    from scipy import stats

    _checked(frame, score, features)
    y = frame[score].to_numpy(float)
    rows = []
    for feature in features:
        x = frame[feature].to_numpy(float)
        r, p = stats.pearsonr(x, y)
        rho, p_rho = stats.spearmanr(x, y)
        rows.append(
            {
                "feature": feature,
                "pearson": float(r),
                "pearson_p": float(p),
                "spearman": float(rho),
                "spearman_p": float(p_rho),
                "languages": len(y),
            }
        )
    return pd.DataFrame(rows).set_index("feature")


def loocv_predictions(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Leave-one-out predictions of OLS with an intercept: row i is predicted by
    the model fitted on every other row. ``x``: [rows, features]."""
    import statsmodels.api as sm

    x = np.asarray(x, float).reshape(len(y), -1)
    y = np.asarray(y, float)
    design = sm.add_constant(x, has_constant="add")
    predictions = np.empty(len(y))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        fit = sm.OLS(y[keep], design[keep]).fit()
        predictions[i] = float(design[i] @ fit.params)
    return predictions


@dataclass
class MetaRegression:
    """The chosen features (in the order chosen) with their normalised weights, and
    the leave-one-out scores; ``path``: (feature added, leave-one-out Pearson)."""

    features: list[str]
    weights: dict[str, float]
    pearson: float
    spearman: float
    mae: float
    languages: int
    path: list[tuple[str, float]]


# The least rise of the leave-one-out Pearson that counts as an improvement: a
# feature that adds nothing (a copy of one chosen) moves r only by rounding, which
# differs between BLAS builds and thread counts.
IMPROVEMENT = 1e-9


def _loocv_pearson(frame: pd.DataFrame, y: np.ndarray, chosen: list[str]) -> float:
    r = pearson(loocv_predictions(frame[chosen].to_numpy(float), y), y)
    return -math.inf if math.isnan(r) else r


def meta_regression(frame: pd.DataFrame, score: str, features: list[str]) -> MetaRegression:
    """Greedy forward selection of ``features`` by leave-one-out Pearson (ties go
    to the feature listed first; a feature joins only if it raises r by more than
    ``IMPROVEMENT``)."""
    import statsmodels.api as sm
    from scipy import stats

    _checked(frame, score, features)
    if len(frame) < 4:
        raise ValueError(f"{len(frame)} languages: leave-one-out regression needs at least 4")
    y = frame[score].to_numpy(float)
    chosen: list[str] = []
    best, path = -math.inf, []
    while len(chosen) < len(features):
        trials = [(f, _loocv_pearson(frame, y, [*chosen, f])) for f in features if f not in chosen]
        feature, r = max(trials, key=lambda trial: trial[1])  # max keeps the first of ties
        if not r > best + IMPROVEMENT:
            break
        chosen.append(feature)
        best = r
        path.append((feature, r))
    if not chosen:
        raise ValueError("no feature gives leave-one-out predictions that vary with the score")
    predictions = loocv_predictions(frame[chosen].to_numpy(float), y)
    x = frame[chosen].to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    coefficients = np.abs(sm.OLS(y, sm.add_constant(z, has_constant="add")).fit().params[1:])
    total = coefficients.sum()
    weights = {
        f: float(c / total) if total > 0 else 1 / len(chosen)
        for f, c in zip(chosen, coefficients, strict=True)
    }
    return MetaRegression(
        features=chosen,
        weights=weights,
        pearson=best,
        spearman=float(stats.spearmanr(predictions, y)[0]),
        mae=float(np.mean(np.abs(predictions - y))),
        languages=len(y),
        path=path,
    )
