"""The interpolation study's claims on small normalised tables worked out by hand."""

from pathlib import Path

import pandas as pd
import pytest

from xlt.core import findings
from xlt.core.findings import FAILS, HOLDS, NOT_TESTED, Tables
from xlt.families.interpolation import findings as wu_findings

REGISTRY = Path(__file__).resolve().parents[3] / "metadata" / "claims.yaml"


@pytest.fixture
def claims():
    return {c.id: c for c in findings.load_claims(REGISTRY)}


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


def test_flat_source_and_rising_target(tmp_path, claims):
    rows = (line_rows("pos", 1, [1.0, 0.98, 1.0, 0.5], [0.5, 0.75, 1.0, 0.0])
            + line_rows("ner", 1, [0.99, 1.0, 1.0, 0.4], [0.4, 0.6, 1.0, 0.0])
            + line_rows("dep", 1, [1.0, 1.0, 1.0, 0.3], [0.6, 0.9, 1.0, 0.0]))  # fmt: skip
    write(tmp_path, "interpolation_points.csv", rows)
    tables = Tables(tmp_path, {})
    [flat] = wu_findings.source_flat_target_rising(claims["source_flat_target_rising"], tables)
    # per line, target range minus source range (alpha 1.5 left out):
    # pos 0.5 - 0.02, ner 0.6 - 0.01, dep 0.4 - 0 -> mean 1.47 / 3
    assert flat.value == pytest.approx((0.48 + 0.59 + 0.4) / 3)
    assert (flat.n, flat.verdict) == (3, HOLDS)
    [linear] = wu_findings.target_rises_linearly(claims["target_rises_linearly"], tables)
    # pos: 0.5 0.75 1 is exactly linear in alpha: r = 1
    assert linear.value > 0.9 and linear.verdict == HOLDS


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
    [row] = wu_findings.plane_target_steeper(claims["plane_target_steeper"], Tables(tmp_path, {}))
    assert row.verdict == NOT_TESTED
