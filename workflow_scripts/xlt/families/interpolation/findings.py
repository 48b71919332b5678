"""The interpolation study's claims (Wu et al. 2022; metadata/claims.yaml) on a
run's ``tables/interpolation_points.csv`` (scores normalised by the bilingual
model's) and ``tables/interpolation_geometry.csv``. The unit is one model
triple: a (task, source, target, seed) line, plane or pair of offsets.

The line's ends are fixed by training (the zero-shot model scores lower on the
target than the bilingual one), so the statistics look at the path between
them: a dip of source dev, a bend of target dev, the slopes at the zero-shot
model on the plane."""

from __future__ import annotations

import numpy as np

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables

POINTS = "interpolation_points.csv"
GEOMETRY = "interpolation_geometry.csv"
TRIPLE = ["task", "source", "target", "seed"]


def _lines(tables: Tables, dev: str):
    """Per (task, pair, seed) the source line's normalised ``dev`` scores over
    alpha in [0, 1], as a Series indexed by alpha; lines without inner alphas
    are left out."""
    points = tables.get(POINTS)
    if points is None:
        return []
    line = points[points.kind.eq("source_line") & points.dev.eq(dev)]
    line = line[line.alpha.between(0.0, 1.0)]
    curves = []
    for _, curve in line.groupby(TRIPLE, sort=True):
        series = curve.set_index("alpha").normalised.sort_index()
        if {0.0, 1.0} <= set(series.index) and len(series) > 2:
            curves.append(series)
    return curves


def _per_triple(claim: Claim, values: list[float], detail: str, scope: str) -> list[Finding]:
    value, low, high = findings.bootstrap_mean(values)
    return [findings.decide(claim, scope, value, low, high, len(values), detail=detail)]


def source_flat(claim: Claim, tables: Tables) -> list[Finding]:
    """source_flat: the largest dip of source dev inside the line, per line."""
    curves = _lines(tables, "source")
    if not curves:
        return [findings.not_tested(claim, "no source line with alphas inside (0, 1)")]
    dips = []
    for curve in curves:
        floor = min(curve[0.0], curve[1.0])
        dips.append(max(0.0, floor - float(curve.drop([0.0, 1.0]).min())))
    return _per_triple(claim, dips, "dip of normalised source dev", "source lines")


def target_rises_linearly(claim: Claim, tables: Tables) -> list[Finding]:
    """target_rises_linearly: the largest bend from the chord, as a share of the rise."""
    curves = _lines(tables, "target")
    if not curves:
        return [findings.not_tested(claim, "no source line with alphas inside (0, 1)")]
    bends = []
    for curve in curves:
        rise = curve[1.0] - curve[0.0]
        if rise <= 0:
            bends.append(1.0)
            continue
        inner = curve.drop([0.0, 1.0])
        chord = curve[0.0] + rise * inner.index.to_numpy(float)
        bends.append(float(np.abs(inner.to_numpy(float) - chord).max() / rise))
    return _per_triple(claim, bends, "largest bend / rise of target dev", "source lines")


def _slope(surface, a1: float, a2: float) -> float:
    """Mean |change| of normalised dev per unit of alpha from (a1, a2) to its
    nearest plane neighbours on either side along each axis (NaN without the
    point or any neighbour)."""
    grid = surface.set_index(["a1", "a2"]).normalised.to_dict()
    if (a1, a2) not in grid:
        return np.nan
    changes = []
    for axis in (0, 1):
        centre = (a1, a2)
        line = sorted(k[axis] for k in grid if k[1 - axis] == centre[1 - axis])
        below = [v for v in line if v < centre[axis]]
        above = [v for v in line if v > centre[axis]]
        for other in ([below[-1]] if below else []) + ([above[0]] if above else []):
            key = (other, a2) if axis == 0 else (a1, other)
            changes.append(abs(grid[key] - grid[centre]) / abs(other - centre[axis]))
    return float(np.mean(changes)) if changes else np.nan


def zero_shot_on_a_slope(claim: Claim, tables: Tables) -> list[Finding]:
    """zero_shot_on_a_slope: target slope minus source slope at the zero-shot model."""
    points = tables.get(POINTS)
    plane = None if points is None else points[points.kind.eq("plane")]
    if plane is None or plane.empty:
        return [findings.not_tested(claim, "no plane points (interpolation.plane_alphas)")]
    gaps = []
    for _, surface in plane.groupby(TRIPLE, sort=True):
        slopes = {dev: _slope(part, 1.0, 0.0) for dev, part in surface.groupby("dev")}
        gap = slopes.get("target", np.nan) - slopes.get("source", np.nan)
        if not np.isnan(gap):
            gaps.append(float(gap))
    if not gaps:
        return [findings.not_tested(claim, "the plane has no neighbours of the zero-shot model")]
    return _per_triple(claim, gaps, "target slope minus source slope", "planes")


def geometry(column: str, detail: str):
    """The evaluator of the mean of the geometry table's ``column``."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        table = tables.get(GEOMETRY)
        if table is None or table.empty:
            return [findings.not_tested(claim, f"no tables/{GEOMETRY}")]
        return _per_triple(claim, table[column].dropna().tolist(), detail, "model triples")

    return evaluate


CLAIMS = {
    "source_flat": source_flat,
    "target_rises_linearly": target_rises_linearly,
    "zero_shot_on_a_slope": zero_shot_on_a_slope,
    "delta_norm_ratio": geometry("norm_ratio", "mean of |delta_src| / |delta_tgt|"),
    "delta_angle": geometry("angle_degrees", "mean angle in degrees"),
}
