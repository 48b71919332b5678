"""Tables of the zero-shot family: metrics files -> tidy table -> mean ± std
over seeds -> Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xlt.core.stats import format_cell, mean_std, refuse_duplicates
from xlt.families.zero_shot import source_languages
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
    """One row per (run, target) from the metrics JSON files; two files of the
    same (method, task, source, target, seed) are an error."""
    rows = []
    for path in paths:
        metrics = json.loads(Path(path).read_text(encoding="utf-8"))
        metrics["experiment"] = experiment
        rows.append({**{column: metrics[column] for column in COLUMNS}, "file": str(path)})
    if not rows:
        raise ValueError("no metrics files to aggregate")
    table = pd.DataFrame(rows)
    refuse_duplicates(table, GROUP + ["seed"], origin="file")
    return table[COLUMNS].sort_values(GROUP + ["seed"], ignore_index=True)


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


def summarize(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean, sample standard deviation (ddof=1) and number of seeds per cell."""
    extra = ["distance"] if "distance" in scores else []
    return mean_std(scores, GROUP + extra)


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
        for target in sorted(block.target.unique()):
            row = [target]
            for m, s in columns:
                row.append(format_cell(*cells[m, s, target]) if (m, s, target) in cells else "")
            lines.append("| " + " | ".join(row) + " |")
        seeds = sorted(block.seeds.unique())
        lines += ["", f"Seeds per cell: {', '.join(map(str, seeds))}.", ""]
        parts.append("\n".join(lines))
    return "\n".join(parts)
