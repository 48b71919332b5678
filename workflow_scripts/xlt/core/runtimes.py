"""Where a run's time went: every job's benchmark file and log, summed per rule.

Snakemake writes one benchmark file per job (``benchmarks/<experiment>/<rule>/
<wildcards>.tsv``, or ``<rule>.tsv`` for a rule without wildcards) with the
job's wall time ``s`` and peak memory ``max_rss`` (MB); the script harness
logs each job's start-up time (interpreter and imports) as the first line of
its log (``logs/<experiment>/<rule>/...``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

STARTUP = re.compile(r"start-up \(interpreter and imports\): ([0-9.]+) s")
COLUMNS = ["rule", "jobs", "seconds", "max_job_seconds", "startup_seconds", "max_rss_mb"]


def rule_of(path: Path, root: Path) -> str:
    """<root>/<rule>[/<wildcards>...].<ext> -> <rule>."""
    parts = Path(path).relative_to(root).parts
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


def rule_runtimes(benchmarks: Path, logs: Path | None = None) -> pd.DataFrame:
    """One row per rule, longest total first: jobs, summed and longest job wall
    time, summed start-up time (from ``logs``; 0 where a log lacks it) and peak
    memory of its largest job. Empty (with the columns) if nothing ran."""
    rows = defaultdict(
        lambda: (
            {"jobs": 0, "seconds": 0.0, "max_job_seconds": 0.0, "startup_seconds": 0.0}
            | {"max_rss_mb": 0.0}
        )
    )
    benchmarks = Path(benchmarks)
    for tsv in sorted(benchmarks.rglob("*.tsv")):
        frame = pd.read_csv(tsv, sep="\t")
        if frame.empty:
            continue
        row = rows[rule_of(tsv, benchmarks)]
        seconds = float(frame["s"].iloc[0])
        row["jobs"] += 1
        row["seconds"] += seconds
        row["max_job_seconds"] = max(row["max_job_seconds"], seconds)
        rss = pd.to_numeric(frame["max_rss"], errors="coerce").iloc[0]
        if pd.notna(rss):
            row["max_rss_mb"] = max(row["max_rss_mb"], float(rss))
    if logs is not None and Path(logs).is_dir():
        for log in sorted(Path(logs).rglob("*.log")):
            rule = rule_of(log, Path(logs))
            if rule not in rows:
                continue
            with open(log, errors="replace") as lines:
                match = STARTUP.search(lines.readline())
            if match:
                rows[rule]["startup_seconds"] += float(match.group(1))
    table = pd.DataFrame([{"rule": rule, **row} for rule, row in rows.items()], columns=COLUMNS)
    return table.sort_values(["seconds", "rule"], ascending=[False, True], ignore_index=True)


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, with a total row."""
    lines = [
        "| rule | jobs | seconds | longest job (s) | start-up (s) | peak memory (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.rule} | {row.jobs} | {row.seconds:.1f} | {row.max_job_seconds:.1f} "
            f"| {row.startup_seconds:.1f} | {row.max_rss_mb:.0f} |"
        )
    lines.append(
        f"| total | {int(table.jobs.sum())} | {table.seconds.sum():.1f} | "
        f"| {table.startup_seconds.sum():.1f} | |"
    )
    return "\n".join(lines) + "\n"
