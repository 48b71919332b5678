"""The interpolation study's claims on small normalised tables worked out by hand."""

import pandas as pd
import pytest

from xlt.core.findings import FAILS, HOLDS, NOT_TESTED, Tables
from xlt.families.interpolation import findings as wu_findings


def line_rows(task, seed, source, target):
    """Source-line points at alpha 0, 0.5, 1 (and 1.5, outside [0, 1])."""
    rows = []
    for dev, values in (("source", source), ("target", target)):
        for alpha, value in zip((0.0, 0.5, 1.0, 1.5), values, strict=True):
            rows.append({"task": task, "source": "a", "target": "b", "seed": seed,
                         "kind": "source_line", "alpha": alpha, "dev": dev,
                         "normalised": value})  # fmt: skip
    return rows


def write(tmp_path, name, rows):
    (tmp_path / "tables").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(tmp_path / "tables" / name, index=False)


def test_a_flat_source_and_a_straight_target(tmp_path, claims):
    rows = (line_rows("pos", 1, [1.0, 0.98, 1.0, 0.5], [0.5, 0.75, 1.0, 0.0])
            + line_rows("ner", 1, [0.99, 1.0, 1.0, 0.4], [0.4, 0.6, 1.0, 0.0])
            + line_rows("dep", 1, [1.0, 1.0, 0.97, 0.3], [0.6, 0.9, 1.0, 0.0]))  # fmt: skip
    write(tmp_path, "interpolation_points.csv", rows)
    tables = Tables(tmp_path, {})
    [flat] = wu_findings.source_flat(claims["source_flat"], tables)
    # dips below the lower end (alpha 1.5 is outside the line): pos 1.0 - 0.98,
    # ner none (1.0 above 0.99), dep none (1.0 above 0.97)
    assert flat.value == pytest.approx(0.02 / 3)
    assert (flat.n, flat.verdict) == (3, HOLDS)
    [bend] = wu_findings.target_rises_linearly(claims["target_rises_linearly"], tables)
    # chord at 0.5: pos 0.75 (bend 0), ner 0.7 (|0.6 - 0.7| / 0.6), dep 0.8 (0.1 / 0.4)
    assert bend.value == pytest.approx((0 + 0.1 / 0.6 + 0.25) / 3)


def test_a_target_that_falls_is_the_largest_bend(tmp_path, claims):
    rows = line_rows("pos", 1, [1, 1, 1, 1], [0.9, 0.8, 0.7, 0.0])
    write(tmp_path, "interpolation_points.csv", rows)
    [bend] = wu_findings.target_rises_linearly(
        claims["target_rises_linearly"], Tables(tmp_path, {})
    )
    assert bend.value == 1.0


def test_slopes_at_the_zero_shot_model_on_the_plane(tmp_path, claims):
    # target dev = 1 - 0.4 * a1 (steep along delta_src), source dev = 1 everywhere
    rows = []
    for task in ("pos", "ner", "dep"):
        for a1 in (0.0, 0.5, 1.0, 1.5):
            for a2 in (-0.5, 0.0, 0.5):
                for dev, value in (("target", 1 - 0.4 * a1), ("source", 1.0)):
                    rows.append({"task": task, "source": "a", "target": "b", "seed": 1,
                                 "kind": "plane", "a1": a1, "a2": a2, "dev": dev,
                                 "normalised": value})  # fmt: skip
    write(tmp_path, "interpolation_points.csv", rows)
    [row] = wu_findings.zero_shot_on_a_slope(claims["zero_shot_on_a_slope"], Tables(tmp_path, {}))
    # at (1, 0): along a1 both neighbours change by 0.2 per 0.5 = 0.4 per unit,
    # along a2 nothing: mean (0.4 + 0.4 + 0 + 0) / 4 = 0.2; source 0
    assert (row.value, row.n, row.verdict) == (pytest.approx(0.2), 3, HOLDS)


def test_norm_ratio_outside_the_band(tmp_path, claims):
    geometry = [
        {"task": t, "source": "a", "target": "b", "seed": 1, "norm_ratio": r, "angle_degrees": 55.0}
        for t, r in (("pos", 3.0), ("ner", 3.2), ("dep", 2.9))
    ]
    write(tmp_path, "interpolation_geometry.csv", geometry)
    tables = Tables(tmp_path, {})
    [ratio] = wu_findings.CLAIMS["delta_norm_ratio"](claims["delta_norm_ratio"], tables)
    assert (ratio.value, ratio.verdict) == (pytest.approx(3.0333333), FAILS)
    [angle] = wu_findings.CLAIMS["delta_angle"](claims["delta_angle"], tables)
    assert (angle.value, angle.low, angle.high, angle.verdict) == (55.0, 55.0, 55.0, HOLDS)


def test_without_a_plane_the_claim_is_not_tested(tmp_path, claims):
    write(tmp_path, "interpolation_points.csv", line_rows("pos", 1, [1] * 4, [1] * 4))
    [row] = wu_findings.zero_shot_on_a_slope(claims["zero_shot_on_a_slope"], Tables(tmp_path, {}))
    assert row.verdict == NOT_TESTED
