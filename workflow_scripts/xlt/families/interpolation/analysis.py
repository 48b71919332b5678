"""Scores along the interpolation line and plane, normalised and summarised as
in Wu et al. (2022): each score is divided by the bilingual model's score on the
same dev set from the same seed (the line's alpha = 1, the plane's origin), so
that curves of different tasks and language pairs can be averaged; curves are
then summarised by their mean and 95 % confidence band (Student's t over the
curves pooled), and by the variance of the normalised scores over seeds.

A tidy points table has one row per evaluated point and dev set: ``task``,
``source``, ``target``, ``seed``, ``kind`` (``source_line``: theta_src to
theta_bi; ``target_line``: theta_tgt to theta_bi; ``plane``), ``alpha`` (lines)
or ``a1``/``a2`` (plane), ``dev`` (``source`` or ``target``: whose dev set) and
``score``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

CURVE = ["task", "source", "target", "seed", "kind", "dev"]


def _is_bilingual(points: pd.DataFrame) -> pd.Series:
    line = points.kind.ne("plane") & points.alpha.eq(1.0)
    plane = points.kind.eq("plane") & points.a1.eq(0.0) & points.a2.eq(0.0)
    return line | plane


def normalise(points: pd.DataFrame) -> pd.DataFrame:
    """Add ``normalised``: the score over the bilingual model's score of the same
    curve (task, pair, seed, kind, dev set). A curve without its bilingual
    point, or whose bilingual score is 0, is an error naming it."""
    points = points.copy()
    for column in ("alpha", "a1", "a2"):
        if column not in points:
            points[column] = np.nan
    anchors = points[_is_bilingual(points)].set_index(CURVE).score
    if anchors.index.duplicated().any():
        raise ValueError("a curve has its bilingual point twice")
    keys = pd.MultiIndex.from_frame(points[CURVE])
    missing = sorted(set(keys) - set(anchors.index))
    if missing:
        raise ValueError(f"no bilingual point (alpha = 1, or the plane's origin) for {missing[0]}")
    base = anchors.reindex(keys).to_numpy(float)
    if (base == 0).any():
        raise ValueError("a bilingual model scores 0: its curve cannot be normalised")
    points["normalised"] = points.score.to_numpy(float) / base
    return points


def band(values) -> tuple[float, float, float, int]:
    """Mean and 95 % confidence band (Student's t) of ``values``; NaN band for one."""
    values = np.asarray(values, float)
    n = len(values)
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half, n


def line_summary(points: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per (``by`` ..., kind, dev, alpha): mean and 95 % band of the normalised
    scores of every curve in the group (Figure 2 with ``by=[]``, pooling tasks
    and pairs; Figures 6-9 with ``by=["task"]``)."""
    lines = normalise(points)
    lines = lines[lines.kind.ne("plane")]
    rows = []
    keys = [*by, "kind", "dev", "alpha"]
    for values, group in lines.groupby(keys, sort=True):
        mean, low, high, n = band(group.normalised)
        row = dict(zip(keys, values, strict=True))
        rows.append({**row, "mean": mean, "low": low, "high": high, "curves": n})
    return pd.DataFrame(rows)


def seed_variance(points: pd.DataFrame) -> pd.DataFrame:
    """Per (kind, dev, alpha): the variance over seeds of the normalised scores
    (ddof=1), averaged over tasks and pairs (Figure 5)."""
    lines = normalise(points)
    lines = lines[lines.kind.ne("plane")]
    per_pair = (
        lines.groupby(["task", "source", "target", "kind", "dev", "alpha"], sort=True)
        .normalised.var(ddof=1)
        .rename("variance")
        .reset_index()
    )
    return per_pair.groupby(["kind", "dev", "alpha"], sort=True).variance.mean().reset_index()


def collect(paths) -> pd.DataFrame:
    """The grid files of every job as one tidy table (points and geometry)."""
    frames = [pd.read_csv(path) for path in paths]
    if not frames:
        raise ValueError("no interpolation grids to aggregate")
    return pd.concat(frames, ignore_index=True)


GEOMETRY = ["norm_src", "norm_tgt", "norm_ratio", "angle_degrees"]


def geometry_table(points: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, pair, seed): the directions' norms, ratio and angle."""
    keys = ["task", "source", "target", "seed"]
    return points[keys + GEOMETRY].drop_duplicates(keys).sort_values(keys, ignore_index=True)


def markdown(lines: pd.DataFrame, geometry: pd.DataFrame) -> str:
    """The pooled and per-task normalised scores at the line's key points, and the
    directions' geometry."""
    parts = ["## Normalised scores along the lines (score / bilingual model's)", ""]
    shown = lines[lines.alpha.isin([0.0, 0.5, 1.0])]
    header = ["group", "line", "dev", "alpha 0", "alpha 0.5", "alpha 1", "curves"]
    parts += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (group, kind, dev), block in shown.groupby(["group", "kind", "dev"], sort=True):
        means = dict(zip(block.alpha, block["mean"], strict=True))
        cells = [group, kind, dev]
        cells += [f"{means[a]:.3f}" if a in means else "" for a in (0.0, 0.5, 1.0)]
        cells.append(str(int(block.curves.max())))
        parts.append("| " + " | ".join(cells) + " |")
    parts += ["", "## The directions delta_src and delta_tgt (Appendix B)", ""]
    header = ["task", "pair", "seed", "norm delta_src", "norm delta_tgt", "ratio", "angle (deg)"]
    parts += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in geometry.itertuples():
        cells = [row.task, f"{row.source}-{row.target}", str(row.seed)]
        cells += [f"{row.norm_src:.3f}", f"{row.norm_tgt:.3f}", f"{row.norm_ratio:.3f}"]
        cells.append(f"{row.angle_degrees:.1f}")
        parts.append("| " + " | ".join(cells) + " |")
    return "\n".join(parts) + "\n"
