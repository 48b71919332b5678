"""Evaluating a grid of points in one job, resumable point by point.

A job evaluates its whole grid in-process (no model is written per point) and
appends each point's scores to a JSON-lines file as soon as they are known.
Every line carries the grid's fingerprint (the models and settings it is
about): a job killed mid-grid and started again keeps the lines of the same
grid and goes on at the first point without one; lines of another grid, or a
line cut off by the kill, are dropped.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def point_key(point: dict) -> str:
    """A point's identity in the file, e.g. ``{"a1": 0.5, "a2": -0.1}``."""
    return json.dumps(point, sort_keys=True)


def _kept(path: Path, grid_id: str) -> dict[str, dict]:
    kept = {}
    if not path.exists():
        return kept
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # the last line of a killed job, cut off
        if row.get("grid") == grid_id:
            kept[point_key(row["point"])] = row
    return kept


def evaluate_grid(
    points: list[dict], evaluate: Callable[[dict], dict], path, grid_id: str
) -> list[dict]:
    """``evaluate(point)`` for every point without a kept result in ``path``; each
    result is appended (and flushed to disk) before the next point starts.
    Returns one row per point, in the order of ``points``."""
    path = Path(path)
    kept = _kept(path, grid_id)
    if kept:
        log.info("%d of %d points kept from an earlier run", len(kept), len(points))
    path.parent.mkdir(parents=True, exist_ok=True)
    # rewrite the file with only this grid's complete lines, then append
    lines = [json.dumps(row, sort_keys=True) for row in kept.values()]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    rows = []
    with path.open("a", encoding="utf-8") as out:
        for done, point in enumerate(points, start=1):
            key = point_key(point)
            if key not in kept:
                kept[key] = {"grid": grid_id, "point": point, "scores": evaluate(point)}
                out.write(json.dumps(kept[key], sort_keys=True) + "\n")
                out.flush()
                os.fsync(out.fileno())
                log.info("point %d/%d %s: %s", done, len(points), key, kept[key]["scores"])
            rows.append(kept[key])
    return rows
