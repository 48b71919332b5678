"""Snakemake's own overhead: building a paper grid's DAG, a no-op rerun, redrawing figures.

    .venv/bin/python bench/dag.py [--configfile configs/test/smoke.yaml] [--project DIR]

Prints three wall times (budgets in docs/performance.md), each also as a multiple
of the reference workload (bench/reference.py) timed before and after:
1. the dry run of the factorization paper's full grid
   (configs/ponti2021-factorization.yaml; no data needed);
2. a no-op rerun of a finished run of ``--configfile`` (default: the embedded
   default), i.e. ``snakemake --cores 2`` with nothing to do;
3. redrawing every figure after a change to every plotting script
   (the figure rules rerun; nothing upstream does).

``--project`` names a directory holding a finished run of that config (for
instance a copy kept from bench/default_run.py); without it the config is
first run cold in a temporary copy, which for the default takes minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workflow_helpers import copy_project, planned_jobs, snakemake  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import Reference  # noqa: E402

PAPER_GRID = "configs/ponti2021-factorization.yaml"


def timed(workdir: Path, *args: str):
    started = time.perf_counter()
    result = snakemake(workdir, *args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", default=None, help="config of the no-op and figure runs")
    parser.add_argument("--project", type=Path, default=None, help="a finished run of that config")
    parser.add_argument("--cores", default="2")
    args = parser.parse_args()
    config = ["--configfile", args.configfile] if args.configfile else []
    reference = Reference()
    with tempfile.TemporaryDirectory() as tmp:
        paper = copy_project(Path(tmp) / "paper")
        seconds, result = timed(paper, "-n", "--configfile", PAPER_GRID)
        jobs = sum(planned_jobs(result).values())
        print(f"DAG of {PAPER_GRID} ({jobs} jobs), dry run: {reference(seconds)}")

        project = args.project
        if project is None:
            project = copy_project(Path(tmp) / "project")
            print(f"running {args.configfile or 'config.yaml'} cold first ...", flush=True)
            snakemake(project, "--cores", args.cores, *config)
        seconds, result = timed(project, "--cores", args.cores, *config)
        if "Nothing to be done" not in result.stdout + result.stderr:
            sys.exit(f"{project} is not a finished run of this config:\n{result.stderr[-2000:]}")
        print(f"no-op rerun: {reference(seconds)}")

        scripts = sorted((project / "workflow_scripts").glob("plot_*.py"))
        for script in scripts:
            script.write_text(script.read_text() + "\n# a plotting change\n")
        seconds, result = timed(project, "--cores", args.cores, *config)
        rules = planned_jobs(result)
        rules.pop("all", None)
        print(f"redrawing the figures ({sum(rules.values())} jobs: {', '.join(sorted(rules))}): ")
        print(f"  {reference(seconds)}")
    reference.finish()


if __name__ == "__main__":
    main()
