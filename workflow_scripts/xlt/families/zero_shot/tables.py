"""Tables of the zero-shot family: metrics files -> tidy table -> mean ± std
over seeds -> Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xlt.core.stats import format_cell, mean_std, refuse_duplicates
from xlt.families.zero_shot.family import source_languages
from xlt.languages.table import typological_distance

COLUMNS = [
    "experiment",
    "method",
    "task",
    "metric",
    "source",
    "target",
    "seed",
    "score",
    "source_dev_score",
    "sentences",
]
GROUP = ["method", "task", "metric", "source", "target"]


def collect(paths, experiment: str) -> pd.DataFrame:
    """One row per (run, target) from the metrics JSON files (those of skipped
    targets, which hold no score, left out); two files of the same (method,
    task, source, target, seed) are an error."""
    rows = []
    for path in paths:
        metrics = json.loads(Path(path).read_text(encoding="utf-8"))
        if "skipped" in metrics:
            continue
        metrics["experiment"] = experiment
        row = {column: metrics[column] for column in COLUMNS}
        row["degenerate"] = bool(metrics.get("degenerate", False))
        rows.append({**row, "file": str(path)})
    if not rows:
        raise ValueError("no metrics files to aggregate")
    table = pd.DataFrame(rows)
    refuse_duplicates(table, GROUP + ["seed"], origin="file")
    return table[[*COLUMNS, "degenerate"]].sort_values(GROUP + ["seed"], ignore_index=True)


def usable(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores of runs that learned something: a run whose model predicted one
    class for everything (``degenerate``) is a failed run, never a score."""
    if "degenerate" not in scores:
        return scores
    return scores[~scores.degenerate.astype(bool)]


def failed_section(scores: pd.DataFrame) -> str:
    """Markdown naming every failed run (one class predicted for everything)."""
    if "degenerate" not in scores or not scores.degenerate.astype(bool).any():
        return ""
    failed = scores[scores.degenerate.astype(bool)]
    note = ("One class predicted for everything: not a score, left out of every mean and "
            "analysis (the row stays in the tidy table with degenerate = True).")  # fmt: skip
    lines = ["### Failed runs", "", note, ""]
    lines += [
        f"- {r.task} ({r.method}, from {r.source}, seed {r.seed}) on {r.target}: "
        f"{r.metric} {r.score:.2f}"
        for r in failed.itertuples()
    ]
    return "\n".join(lines) + "\n"


def add_distance(scores: pd.DataFrame, languages: pd.DataFrame, feature_sets) -> pd.DataFrame:
    """Typological distance from the source set (its nearest member) to the target."""
    cache: dict[tuple[str, str], float] = {}

    def distance(source: str, target: str) -> float:
        if (source, target) not in cache:
            cache[source, target] = min(
                typological_distance(languages, lang, target, list(feature_sets))
                for lang in source_languages(source)
            )
        return cache[source, target]

    scores = scores.copy()
    scores["distance"] = [distance(s, t) for s, t in zip(scores.source, scores.target, strict=True)]
    return scores


def mark_evaluation_split(scores: pd.DataFrame, eval_splits: dict) -> pd.DataFrame:
    """Add ``evaluated_on`` (the split each task's targets are scored on) and
    ``scored_on_selection_split``: a source language scored on dev, the split
    its model was selected on, gives an optimistic number, not a test score."""
    scores = scores.copy()
    scores["evaluated_on"] = scores.task.map(eval_splits)
    if scores.evaluated_on.isna().any():
        missing = sorted(set(scores.task[scores.evaluated_on.isna()]))
        raise ValueError(f"no evaluation split given for task(s) {', '.join(missing)}")
    scores["scored_on_selection_split"] = [
        split == "dev" and target in source_languages(source)
        for split, source, target in zip(
            scores.evaluated_on, scores.source, scores.target, strict=True
        )
    ]
    return scores


def summarize(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean, sample standard deviation (ddof=1) and number of seeds per cell, over
    the runs that did not fail (``usable``)."""
    extra = [c for c in ("distance", "scored_on_selection_split") if c in scores]
    return mean_std(usable(scores), GROUP + extra)


def markdown_tables(summary: pd.DataFrame) -> str:
    """One table per task: targets as rows, (method, source) as columns."""
    parts = []
    for (task, metric), block in summary.groupby(["task", "metric"], sort=True):
        columns = sorted({(m, s) for m, s in zip(block.method, block.source, strict=True)})
        header = ["target"] + [f"{m} ({s})" for m, s in columns]
        lines = [
            f"### {task} ({metric}, mean ± std over seeds)",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
        ]
        cells = {(r.method, r.source, r.target): (r.mean, r.std) for r in block.itertuples()}
        marked = set()
        if "scored_on_selection_split" in block:
            flagged = block[block.scored_on_selection_split.astype(bool)]
            marked = set(zip(flagged.method, flagged.source, flagged.target, strict=True))
        for target in sorted(block.target.unique()):
            row = [target]
            for m, s in columns:
                cell = format_cell(*cells[m, s, target]) if (m, s, target) in cells else ""
                row.append(cell + " †" if (m, s, target) in marked else cell)
            lines.append("| " + " | ".join(row) + " |")
        seeds = sorted(block.seeds.unique())
        lines += ["", f"Seeds per cell: {', '.join(map(str, seeds))}."]
        if marked:
            lines.append(
                "† scored on the dev split, which also selected the model: an optimistic "
                "in-language number, not a test score."
            )
        lines.append("")
        parts.append("\n".join(lines))
    return "\n".join(parts)


def transfer_gap(summary: pd.DataFrame) -> pd.DataFrame:
    """Lauscher et al. (2020), Table 1: per (method, task, source) scored on its own
    language, each target's mean score and its drop from the source's score
    (negative: worse than in the source language). Multi-language source sets and
    sources not among the targets have no such row."""
    rows = []
    for (method, task, metric, source), block in summary.groupby(
        ["method", "task", "metric", "source"], sort=True
    ):
        own = block[block.target == source]
        if own.empty:
            continue
        base = float(own["mean"].iloc[0])
        for row in block.itertuples():
            rows.append(
                {
                    "method": method,
                    "task": task,
                    "metric": metric,
                    "source": source,
                    "target": row.target,
                    "score": row.mean,
                    "source_score": base,
                    "drop": row.mean - base,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["method", "task", "metric", "source", "target", "score", "source_score", "drop"],
    )


def gap_markdown(gap: pd.DataFrame) -> str:
    """Table 1 as Markdown: a row per (method, task), the source's score, then each
    target's drop from it."""
    if gap.empty:
        return ""
    targets = sorted(set(gap.target) - set(gap.source))
    header = ["task", "method", "source", "score"] + targets
    lines = [
        "### Transfer gap (score in the source language, each target's drop from it)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for (method, task, source), block in gap.groupby(["method", "task", "source"], sort=True):
        drops = dict(zip(block.target, block["drop"], strict=True))
        cells = [task, method, source, f"{block.source_score.iloc[0]:.2f}"]
        cells += [f"{drops[t]:+.2f}" if t in drops else "" for t in targets]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def skipped_section(title: str, skipped: dict[str, dict[str, str]]) -> str:
    """A Markdown section listing each (task, target) left out and why; "" when none."""
    lines = [
        f"- {task} on {target}: {reason}"
        for task, targets in skipped.items()
        for target, reason in targets.items()
    ]
    return f"\n### {title}\n\n" + "\n".join(lines) + "\n" if lines else ""
