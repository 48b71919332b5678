"""The survey's claims on small pair tables worked out by hand."""

import pytest
import statsmodels.api as sm
from findings_helpers import write_table

from xlt.core.findings import FAILS, HOLDS, NOT_TESTED
from xlt.families.survey import findings as survey_findings


def pairs(analysis, task, points):
    rows = [{"analysis": analysis, "task": task, "source": "a", "target": "a",
             "value": 1.0, "score": 99.0}]  # the diagonal, left out  # fmt: skip
    rows += [{"analysis": analysis, "task": task, "source": "a", "target": f"t{i}",
              "value": v, "score": s} for i, (v, s) in enumerate(points)]  # fmt: skip
    return rows


def test_overlap_correlation_and_the_intercept(tmp_path, claims):
    points = [(0.1, 22.0), (0.3, 31.0), (0.5, 38.0), (0.7, 52.0), (0.9, 59.0)]
    tables = write_table(tmp_path, "survey_pairs.csv", pairs("overlap", "ner", points))
    [r] = survey_findings.CLAIMS["overlap_vs_ner"](claims["overlap_vs_ner"], tables)
    assert (r.n, r.verdict) == (5, HOLDS)  # the diagonal is not a transfer pair
    [intercept] = survey_findings.transfer_without_overlap(claims["transfer_without_overlap"],
                                                            tables)  # fmt: skip
    # least squares by hand: x mean 0.5, y mean 40.4, dy = -18.4 -9.4 -2.4 11.6 18.6,
    # Sxy = 7.36 + 1.88 + 0 + 2.32 + 7.44 = 19, Sxx = 0.4: slope 47.5,
    # intercept 40.4 - 23.75 = 16.65
    assert intercept.value == pytest.approx(16.65)
    fit = sm.OLS([p[1] for p in points], sm.add_constant([p[0] for p in points])).fit()
    assert (intercept.low, intercept.high) == pytest.approx(tuple(fit.conf_int(0.05)[0]))
    assert intercept.verdict == HOLDS


def test_an_intercept_below_zero_does_not_hold(tmp_path, claims):
    points = [(0.2, 0.0), (0.4, 10.0), (0.6, 20.0), (0.8, 31.0)]
    tables = write_table(tmp_path, "survey_pairs.csv", pairs("overlap", "ner", points))
    [row] = survey_findings.transfer_without_overlap(claims["transfer_without_overlap"], tables)
    assert row.value < 0 and row.verdict == FAILS


def test_the_layer_profile_needs_a_larger_encoder(tmp_path, claims):
    rows = [{"source": "a", "target": "b", "layer": layer, "accuracy": 50.0} for layer in (0, 1, 2)]
    tables = write_table(tmp_path, "survey_translation.csv", rows)
    [row] = survey_findings.translation_middle_layers(claims["translation_middle_layers"], tables)
    assert row.verdict == NOT_TESTED
    assert row.reason.startswith("needs a larger encoder: 2 layer(s)")


def test_the_layer_profile_of_a_deep_encoder(tmp_path, claims):
    # 6 layers; pair a->b peaks at layer 3 (80) above the ends (40, 60): +20;
    # pair a->c is best at its top layer: 70 - 75 = -5; pair a->d +30
    profiles = {"b": [40, 50, 70, 80, 70, 65, 60], "c": [30, 40, 50, 60, 65, 70, 75],
                "d": [20, 40, 60, 80, 60, 50, 50]}  # fmt: skip
    rows = [
        {"source": "a", "target": t, "layer": layer, "accuracy": acc}
        for t, profile in profiles.items()
        for layer, acc in enumerate(profile)
    ]
    tables = write_table(tmp_path, "survey_translation.csv", rows)
    [row] = survey_findings.translation_middle_layers(claims["translation_middle_layers"], tables)
    assert (row.value, row.n) == (pytest.approx((20 - 5 + 30) / 3), 3)
