"""The interpolation study's claims (Wu et al. 2022; metadata/claims.yaml) on a
run's ``tables/interpolation_points.csv`` (scores normalised by the bilingual
model's) and ``tables/interpolation_geometry.csv``. The unit is one model
triple: a (task, source, target, seed) line, plane or pair of offsets."""

from __future__ import annotations

import numpy as np

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables

POINTS = "interpolation_points.csv"
GEOMETRY = "interpolation_geometry.csv"
TRIPLE = ["task", "source", "target", "seed"]


def _line(tables: Tables):
    """The source line's points with alpha in [0, 1] (theta_src to theta_bi)."""
    points = tables.get(POINTS)
    if points is None:
        return None
    line = points[points.kind.eq("source_line")]
    return line[line.alpha.between(0.0, 1.0)]


def _per_triple(claim: Claim, values: list[float], detail: str) -> list[Finding]:
    value, low, high = findings.bootstrap_mean(values)
    return [findings.decide(claim, "all lines", value, low, high, len(values), detail=detail)]


def source_flat_target_rising(claim: Claim, tables: Tables) -> list[Finding]:
    """source_flat_target_rising: target range minus source range per line."""
    line = _line(tables)
    if line is None or line.empty:
        return [findings.not_tested(claim, f"no source line in tables/{POINTS}")]
    gaps = []
    for _, curve in line.groupby(TRIPLE, sort=True):
        spread = curve.groupby("dev").normalised.agg(lambda s: s.max() - s.min())
        if {"source", "target"} <= set(spread.index):
            gaps.append(float(spread["target"] - spread["source"]))
    return _per_triple(claim, gaps, "target range minus source range")


def target_rises_linearly(claim: Claim, tables: Tables) -> list[Finding]:
    """target_rises_linearly: Pearson r of alpha and target dev per line."""
    line = _line(tables)
    if line is None or line.empty:
        return [findings.not_tested(claim, f"no source line in tables/{POINTS}")]
    target = line[line.dev.eq("target")]
    correlations = []
    for _, curve in target.groupby(TRIPLE, sort=True):
        if curve.alpha.nunique() >= 3 and curve.normalised.std() > 0:
            correlations.append(float(np.corrcoef(curve.alpha, curve.normalised)[0, 1]))
    if not correlations:
        return [findings.not_tested(claim, "fewer than three alphas in [0, 1] on any line")]
    return _per_triple(claim, correlations, "mean Pearson r of alpha and target dev")


def plane_target_steeper(claim: Claim, tables: Tables) -> list[Finding]:
    """plane_target_steeper: target std minus source std per plane."""
    points = tables.get(POINTS)
    plane = None if points is None else points[points.kind.eq("plane")]
    if plane is None or plane.empty:
        return [findings.not_tested(claim, "no plane points (interpolation.plane_alphas)")]
    gaps = []
    for _, surface in plane.groupby(TRIPLE, sort=True):
        spread = surface.groupby("dev").normalised.std()
        if {"source", "target"} <= set(spread.index):
            gaps.append(float(spread["target"] - spread["source"]))
    return _per_triple(claim, gaps, "target std minus source std over the plane")


def geometry(column: str, detail: str):
    """The evaluator of the mean of the geometry table's ``column``."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        table = tables.get(GEOMETRY)
        if table is None or table.empty:
            return [findings.not_tested(claim, f"no tables/{GEOMETRY}")]
        return _per_triple(claim, table[column].dropna().tolist(), detail)

    return evaluate


CLAIMS = {
    "source_flat_target_rising": source_flat_target_rising,
    "target_rises_linearly": target_rises_linearly,
    "plane_target_steeper": plane_target_steeper,
    "delta_norm_ratio": geometry("norm_ratio", "mean of |delta_src| / |delta_tgt|"),
    "delta_angle": geometry("angle_degrees", "mean angle in degrees"),
}
