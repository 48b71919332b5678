"""Wall time and peak memory of a cold run of the workflow.

    .venv/bin/python bench/default_run.py [--configfile configs/test/smoke.yaml] [--cores 2]

Copies the project into a temporary directory (so nothing cached is reused),
runs Snakemake there and samples, every 0.2 s, the summed resident memory of
Snakemake and all its child processes. Prints wall time, peak memory, the
planned jobs per rule (from a dry run) and the result tables the run wrote.
Wall time is also given as a multiple of a fixed reference workload
(bench/reference.py) timed in the same run, before and after the workflow, so
that figures from machines of other speeds compare.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import Reference  # noqa: E402

from workflow_helpers import copy_project, planned_jobs  # noqa: E402


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, from /proc."""
    children = collections.defaultdict(list)
    rss = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        proc = int(status.parent.name)
        children[int(fields["PPid"])].append(proc)
        rss[proc] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [pid]
    while stack:
        proc = stack.pop()
        total += rss.get(proc, 0)
        stack.extend(children.get(proc, []))
    return total


def run_cold(project: Path, configfile: str | None, cores: str) -> dict:
    """Run the workflow in ``project`` (a fresh copy); wall time, peak memory, jobs."""
    command = [sys.executable, "-m", "snakemake", "--cores", cores]
    if configfile:
        command += ["--configfile", configfile]
    dry_run = subprocess.run([*command, "-n"], cwd=project, capture_output=True, text=True)
    jobs = planned_jobs(dry_run)
    command += ["--quiet", "all"]
    started = time.time()
    process = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_bytes(process.pid))
        time.sleep(0.2)
    wall = time.time() - started
    output = process.stdout.read().decode(errors="replace")
    if process.returncode != 0:
        sys.exit(f"workflow failed:\n{output[-3000:]}")
    return {"wall": wall, "peak": peak, "jobs": jobs}


def parse_args(doc: str) -> argparse.Namespace:
    """--configfile and --cores of a cold-run benchmark (``doc``: its docstring)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--configfile", default=None)
    parser.add_argument("--cores", default="2")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="run in this new directory and keep it (e.g. for bench/dag.py --project)",
    )
    return parser.parse_args()


@contextlib.contextmanager
def project_copy(keep: Path | None):
    """A fresh copy of the project: in ``keep`` (kept), else in a temporary directory."""
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            sys.exit(f"--keep {keep}: the directory is not empty")
        yield copy_project(keep)
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield copy_project(Path(tmp) / "project")


def print_tables(project: Path) -> None:
    """The Markdown summaries the run wrote (whichever families ran)."""
    for name in ["summary.md", "few_shot.md", "transfer_analysis.md", "factorization.md"]:
        for table in sorted(project.glob(f"results/*/tables/{name}")):
            print(table.read_text())


def main() -> None:
    args = parse_args(__doc__)
    with project_copy(args.keep) as project:
        reference = Reference()
        run = run_cold(project, args.configfile, args.cores)
        print(f"config: {args.configfile or 'config.yaml (embedded default)'}; cores: {args.cores}")
        reference.finish()
        print(f"wall time: {reference(run['wall'])}")
        print(f"peak memory (Snakemake + jobs, summed RSS): {run['peak'] / 2**30:.2f} GiB")
        print(f"jobs: {sum(run['jobs'].values())} {dict(sorted(run['jobs'].items()))}")
        print_tables(project)


if __name__ == "__main__":
    main()
