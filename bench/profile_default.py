"""Where the time of a cold run goes: wall time per rule and the share of it
spent starting processes (interpreter and imports) rather than computing.

    .venv/bin/python bench/profile_default.py [--configfile configs/smoke.yaml] [--cores 2]

Runs the workflow cold in a temporary copy (as bench/default_run.py does),
then reads every job's benchmark file (benchmarks/<experiment>/<rule>/...tsv:
the job's wall time) and log (logs/<experiment>/<rule>/...log: the start-up
time the script harness records before the job's work begins).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from default_run import parse_args, print_tables, project_copy, run_cold  # noqa: E402

STARTUP = re.compile(r"start-up \(interpreter and imports\): ([0-9.]+) s")


def rule_of(path: Path, root: Path) -> str:
    """benchmarks/<experiment>/<rule>[/<wildcards>...].tsv -> <rule>."""
    parts = path.relative_to(root).parts
    return parts[1] if len(parts) > 2 else Path(parts[1]).stem


def profile(project: Path) -> pd.DataFrame:
    """Per rule: jobs, summed job wall time, summed start-up time, peak RSS."""
    rows = defaultdict(lambda: {"jobs": 0, "seconds": 0.0, "startup": 0.0, "max_rss_mb": 0.0})
    bench_root = project / "benchmarks"
    for tsv in bench_root.rglob("*.tsv"):
        row = rows[rule_of(tsv, bench_root)]
        frame = pd.read_csv(tsv, sep="\t")
        row["jobs"] += 1
        row["seconds"] += float(frame["s"].iloc[0])
        row["max_rss_mb"] = max(row["max_rss_mb"], float(frame["max_rss"].iloc[0]))
    log_root = project / "logs"
    for log in log_root.rglob("*.log"):
        match = STARTUP.search(log.read_text(errors="replace"))
        if match:
            rows[rule_of(log, log_root)]["startup"] += float(match.group(1))
    table = pd.DataFrame.from_dict(rows, orient="index").sort_values("seconds", ascending=False)
    table["startup_share"] = table.startup / table.seconds
    return table


def main() -> None:
    args = parse_args(__doc__)
    with project_copy(args.keep) as project:
        run = run_cold(project, args.configfile, args.cores)
        table = profile(project)
        print_tables(project)
    total, startup = table.seconds.sum(), table.startup.sum()
    print(f"config: {args.configfile or 'config.yaml (embedded default)'}; cores: {args.cores}")
    print(f"wall time: {run['wall']:.1f} s; peak memory {run['peak'] / 2**30:.2f} GiB")
    print(
        f"job time summed over {int(table.jobs.sum())} jobs: {total:.1f} s, of which start-up "
        f"(interpreter and imports) {startup:.1f} s = {startup / total:.0%}"
    )
    print(
        table.round({"seconds": 1, "startup": 1, "max_rss_mb": 0, "startup_share": 2}).to_string()
    )


if __name__ == "__main__":
    main()
