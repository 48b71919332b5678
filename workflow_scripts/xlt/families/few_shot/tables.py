"""Tables of the few-shot family (Lauscher et al. 2020, Tables 4 and 5).

``collect`` reads every few-shot job's points and the zero-shot metrics of the
models they continued into one tidy table, k = 0 being the zero-shot score
(strategy ``zero-shot``). Means are taken in the paper's order: over the runs
of a (target, seed, strategy, k), over seeds, then over targets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from xlt.core.stats import refuse_duplicates
from xlt.families.few_shot.family import STRATEGIES

ZERO_SHOT = "zero-shot"  # the strategy of the k = 0 rows
COLUMNS = ["experiment", "task", "metric", "source", "target", "seed", "strategy", "k", "run"]
UNIT = ["task", "source", "target", "seed"]


def _read(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def collect(points_files, zero_shot_files, experiment: str) -> pd.DataFrame:
    """One row per few-shot point and one k = 0 row per continued zero-shot model
    and target; a zero-shot score missing for a point's unit, or a point counted
    twice, is an error naming the files."""
    rows = []
    for path in points_files:
        job = _read(path)
        unit = {key: job[key] for key in UNIT}
        for point in job["points"]:
            rows.append(
                {
                    **unit,
                    "experiment": experiment,
                    "metric": point["metric"],
                    "strategy": point["strategy"],
                    "k": point["k"],
                    "run": point["run"],
                    "score": point["score"],
                    "examples": point["examples"],
                    "degenerate": bool(point.get("degenerate", False)),
                    "file": str(path),
                }
            )
    if not rows:
        raise ValueError("no few-shot points to aggregate")
    units = {tuple(row[key] for key in UNIT) for row in rows}
    found = set()
    for path in zero_shot_files:
        metrics = _read(path)
        unit = tuple(metrics[key] for key in UNIT)
        if unit not in units or "skipped" in metrics:
            continue
        found.add(unit)
        rows.append(
            {
                **dict(zip(UNIT, unit, strict=True)),
                "experiment": experiment,
                "metric": metrics["metric"],
                "strategy": ZERO_SHOT,
                "k": 0,
                "run": 0,
                "score": metrics["score"],
                "examples": 0,
                "degenerate": bool(metrics.get("degenerate", False)),
                "file": str(path),
            }
        )
    missing = sorted(units - found)
    if missing:
        named = ", ".join(f"{t} {s}->{g} seed {d}" for t, s, g, d in missing)
        raise ValueError(f"no zero-shot score (k = 0) for {named}")
    table = pd.DataFrame(rows)
    refuse_duplicates(table, UNIT + ["strategy", "k", "run"], origin="file")
    columns = [*COLUMNS, "score", "examples", "degenerate"]
    return table[columns].sort_values(COLUMNS, ignore_index=True)


def _per_target(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean over runs, then over seeds: one score per (task, source, target, strategy, k)."""
    keys = ["experiment", "task", "metric", "source", "target", "strategy", "k"]
    runs = scores.groupby([*keys, "seed"], sort=True).score.mean().reset_index()
    return runs.groupby(keys, sort=True).score.mean().reset_index()


def by_k(scores: pd.DataFrame) -> pd.DataFrame:
    """Table 4: per (task, source, strategy, k) the mean over targets, its Δ to the
    k = 0 mean over the same targets, and the standard deviation over seeds of
    the mean over targets (NaN for one seed)."""
    per_target = _per_target(scores)
    zero = per_target[per_target.strategy == ZERO_SHOT].set_index(["task", "source", "target"])
    seeds = (
        scores[scores.strategy != ZERO_SHOT]
        .groupby(["task", "source", "strategy", "k", "target", "seed"])
        .score.mean()
        .groupby(["task", "source", "strategy", "k", "seed"])
        .mean()
        .groupby(["task", "source", "strategy", "k"])
        .std(ddof=1)
    )
    rows = []
    keys = ["experiment", "task", "metric", "source", "strategy", "k"]
    for values, block in per_target[per_target.strategy != ZERO_SHOT].groupby(keys, sort=True):
        row = dict(zip(keys, values, strict=True))
        base = zero.loc[[(row["task"], row["source"], t) for t in block.target]].score
        row.update(
            targets=len(block),
            score=block.score.mean(),
            zero_shot=base.mean(),
            std_over_seeds=seeds.get((row["task"], row["source"], row["strategy"], row["k"])),
        )
        row["delta"] = row["score"] - row["zero_shot"]
        rows.append(row)
    return pd.DataFrame(rows)


def per_language(scores: pd.DataFrame, strategy: str = "rand") -> pd.DataFrame:
    """Table 5: per (task, source, target) the score at k = 0 and at each k of
    ``strategy`` (mean over runs and seeds), one column per k."""
    per_target = _per_target(scores)
    chosen = per_target[per_target.strategy.isin([ZERO_SHOT, strategy])]
    table = chosen.pivot_table(
        index=["experiment", "task", "metric", "source", "target"], columns="k", values="score"
    )
    table.columns = [f"k={k}" for k in table.columns]
    return table.reset_index()


def k_columns(frame: pd.DataFrame) -> list[int]:
    """The k of ``frame``'s ``k=<k>`` columns that hold any score (a task's block
    of Table 5 has only its own k)."""
    return sorted(
        int(c.split("=")[1]) for c in frame.columns if c.startswith("k=") and frame[c].notna().any()
    )


def markdown(by_k_table: pd.DataFrame, per_language_table: pd.DataFrame) -> str:
    """Table 4 (one block per task and source: strategies x k, score and Δ) and
    Table 5 (targets x k, rand)."""
    parts = ["## Mean over targets per k (Table 4)", ""]
    for (task, metric, source), block in by_k_table.groupby(["task", "metric", "source"]):
        ks = sorted(block.k.unique())
        header = ["strategy", "k=0"] + [f"k={k}" for k in ks]
        parts += [
            f"### {task} ({metric}, from {source}): score (Δ to k=0)",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
        ]
        for strategy in sorted(block.strategy.unique(), key=STRATEGIES.index):
            rows = block[block.strategy == strategy].set_index("k")
            cells = [strategy, f"{rows.zero_shot.iloc[0]:.2f}"]
            for k in ks:
                if k in rows.index:
                    cells.append(f"{rows.score[k]:.2f} ({rows.delta[k]:+.2f})")
                else:
                    cells.append("")
            parts.append("| " + " | ".join(cells) + " |")
        targets = sorted(block.targets.unique())
        parts += ["", f"Targets per mean: {', '.join(map(str, targets))}.", ""]
    parts += ["## Per target language, rand (Table 5)", ""]
    for (task, metric, source), block in per_language_table.groupby(["task", "metric", "source"]):
        ks = k_columns(block)
        header = ["target"] + [f"k={k}" for k in ks]
        parts += [
            f"### {task} ({metric}, from {source})",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
        ]
        for row in block.to_dict("records"):
            values = [row.get(f"k={k}", np.nan) for k in ks]
            cells = [row["target"]] + ["" if np.isnan(v) else f"{v:.2f}" for v in values]
            parts.append("| " + " | ".join(cells) + " |")
        parts.append("")
    return "\n".join(parts)
