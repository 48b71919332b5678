"""Where the time of a cold run goes: wall time per rule and the share of it
spent starting processes (interpreter and imports) rather than computing.

    .venv/bin/python bench/profile_default.py [--configfile configs/test/smoke.yaml] [--cores 2]

Runs the workflow cold in a temporary copy (as bench/default_run.py does),
then reads every job's benchmark file (benchmarks/<experiment>/<rule>/...tsv:
the job's wall time) and log (logs/<experiment>/<rule>/...log: the start-up
time the script harness records before the job's work begins).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow_scripts"))
from default_run import parse_args, print_tables, project_copy, run_cold  # noqa: E402
from reference import Reference  # noqa: E402

from xlt.core.runtimes import rule_runtimes  # noqa: E402


def profile(project: Path) -> pd.DataFrame:
    """Per rule: jobs, summed job wall time, summed start-up time, peak RSS."""
    (experiment,) = [path.name for path in (project / "benchmarks").iterdir()]
    table = rule_runtimes(project / "benchmarks" / experiment, project / "logs" / experiment)
    table = table.set_index("rule").drop(columns="max_job_seconds")
    table = table.rename(columns={"startup_seconds": "startup"})
    table["startup_share"] = table.startup / table.seconds
    return table


def main() -> None:
    args = parse_args(__doc__)
    reference = Reference()
    with project_copy(args.keep) as project:
        run = run_cold(project, args.configfile, args.cores)
        table = profile(project)
        print_tables(project)
    reference.finish()
    total, startup = table.seconds.sum(), table.startup.sum()
    print(f"config: {args.configfile or 'config.yaml (embedded default)'}; cores: {args.cores}")
    print(f"wall time: {reference(run['wall'])}; peak memory {run['peak'] / 2**30:.2f} GiB")
    print(
        f"job time summed over {int(table.jobs.sum())} jobs: {reference(total)}, of which "
        f"start-up (interpreter and imports) {startup:.1f} s = {startup / total:.0%}"
    )
    print(
        table.round({"seconds": 1, "startup": 1, "max_rss_mb": 0, "startup_share": 2}).to_string()
    )


if __name__ == "__main__":
    main()
