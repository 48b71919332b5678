"""Normalisation by the bilingual model and the confidence bands, by hand."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from xlt.families.interpolation.analysis import band, line_summary, normalise, seed_variance


def curve(seed, dev, scores, task="pos", kind="source_line"):
    return [
        {"task": task, "source": "en", "target": "de", "seed": seed, "kind": kind,
         "dev": dev, "alpha": alpha, "score": score}
        for alpha, score in zip([0.0, 0.5, 1.0], scores, strict=True)
    ]  # fmt: skip


POINTS = pd.DataFrame(
    curve(1, "target", [40.0, 60.0, 80.0])
    + curve(2, "target", [30.0, 45.0, 60.0])
    + curve(1, "source", [90.0, 90.0, 90.0])
    + curve(2, "source", [88.0, 88.0, 80.0])
)


def test_scores_are_divided_by_the_bilingual_score_of_their_own_curve():
    table = normalise(POINTS).set_index(["seed", "dev", "alpha"]).normalised
    assert table[1, "target", 0.0] == 0.5 and table[2, "target", 0.5] == 0.75
    assert table[2, "source", 0.0] == pytest.approx(1.1)
    plane = pd.DataFrame(
        [{"task": "pos", "source": "en", "target": "de", "seed": 1, "kind": "plane",
          "dev": "target", "a1": a1, "a2": a2, "score": s}
         for a1, a2, s in [(0.0, 0.0, 50.0), (1.0, 0.0, 25.0), (0.0, 1.0, 60.0)]]
    )  # fmt: skip
    assert list(normalise(plane).normalised) == [1.0, 0.5, 1.2]


def test_a_curve_without_its_bilingual_point_is_refused():
    with pytest.raises(ValueError, match="no bilingual point"):
        normalise(POINTS[POINTS.alpha < 1])


def test_the_band_is_students_t_over_the_curves():
    mean, low, high, n = band([0.5, 0.5, 0.8])
    half = stats.t.ppf(0.975, 2) * np.std([0.5, 0.5, 0.8], ddof=1) / np.sqrt(3)
    assert (mean, n) == (pytest.approx(0.6), 3)
    assert (low, high) == (pytest.approx(0.6 - half), pytest.approx(0.6 + half))
    assert np.isnan(band([0.7])[1])


def test_line_summary_and_variance_over_seeds_by_hand():
    summary = line_summary(POINTS, by=[]).set_index(["dev", "alpha"])
    # target dev at alpha 0: 40/80 and 30/60 -> 0.5 for both seeds, no spread
    assert summary.loc[("target", 0.0), "mean"] == 0.5
    assert summary.loc[("target", 0.0), "low"] == pytest.approx(0.5)
    assert summary.loc[("source", 0.0), "mean"] == pytest.approx((1.0 + 1.1) / 2)
    variance = seed_variance(POINTS).set_index(["dev", "alpha"]).variance
    assert variance["source", 0.0] == pytest.approx(np.var([1.0, 1.1], ddof=1))
    assert variance["target", 1.0] == 0
