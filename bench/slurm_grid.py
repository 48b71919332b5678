"""sbatch submissions and wall time of a grid run through the SLURM profile.

    .venv/bin/python bench/slurm_grid.py [--configfile configs/test/smoke.yaml]
        [--workflow-profile profiles/slurm-ci] [--keep] [-- EXTRA SNAKEMAKE ARGS]

Needs a reachable SLURM cluster (`bash .ci/slurm/up.sh` starts a one-node one).
Copies the project into a temporary directory (nothing cached is reused), runs

    snakemake --profile profiles/slurm --workflow-profile <overlay> --configfile <config>

there and prints the jobs in the DAG (those of local rules run inside Snakemake
itself, the rest go to SLURM), the sbatch submissions (distinct SLURM job ids,
from Snakemake's "submitted with SLURM jobid" lines) and how many of them were
group jobs, and the wall time. Without grouping every non-local job would be a
submission of its own; the difference is what grouping saves.

Extra arguments after `--` go to Snakemake; e.g. to try running every task's
zero-shot training and the evaluation of their models as one submission:

    .venv/bin/python bench/slurm_grid.py -- \
        --groups 'train_zero_shot=zero_shot' 'evaluate_zero_shot=zero_shot' \
        --group-components 'zero_shot=1000'
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workflow_helpers import copy_project, planned_jobs  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import Reference  # noqa: E402

SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+) \(log: (\S+)\)")
JOB_HEADER = re.compile(r"^\s*(localrule|rule) (\w+):$", re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", default="configs/test/smoke.yaml")
    parser.add_argument("--workflow-profile", default="profiles/slurm-ci")
    parser.add_argument("--keep", action="store_true", help="keep the project copy and print it")
    parser.add_argument("extra", nargs="*", help="more Snakemake arguments (after --)")
    args = parser.parse_args()
    if shutil.which("sinfo") is None or subprocess.run(["sinfo"], capture_output=True).returncode:
        sys.exit("no SLURM cluster reachable (sinfo fails); start one: bash .ci/slurm/up.sh")

    tmp = Path(tempfile.mkdtemp(prefix="slurm-grid-"))
    try:
        project = copy_project(tmp / "project")
        command = [
            sys.executable,
            "-m",
            "snakemake",
            "--profile",
            "profiles/slurm",
            "--workflow-profile",
            args.workflow_profile,
            "--configfile",
            args.configfile,
            *args.extra,
        ]
        dry = subprocess.run([*command, "-n"], cwd=project, capture_output=True, text=True)
        if dry.returncode != 0:
            sys.exit(f"dry run failed:\n{dry.stdout[-3000:]}{dry.stderr[-3000:]}")
        dag = planned_jobs(dry)

        reference = Reference()
        started = time.time()
        run = subprocess.run(command, cwd=project, capture_output=True, text=True)
        wall = time.time() - started
        output = run.stdout + run.stderr
        if run.returncode != 0:
            sys.exit(f"workflow failed after {wall:.0f} s:\n{output[-4000:]}")

        local_rules = {rule for kind, rule in JOB_HEADER.findall(output) if kind == "localrule"}
        submissions = dict(SUBMITTED.findall(output))  # SLURM job id -> its log file
        group_jobs = sum("/group_" in log for log in submissions.values())
        total = sum(dag.values())
        remote = {rule: n for rule, n in dag.items() if rule not in local_rules}
        print(f"config: {args.configfile}; profiles: profiles/slurm + {args.workflow_profile}")
        print(f"jobs in the DAG: {total} ({dag})")
        print(f"  of local rules (run inside Snakemake): {total - sum(remote.values())}")
        print(f"  for SLURM: {sum(remote.values())} ({remote})")
        print(
            f"sbatch submissions: {len(submissions)} (group jobs: {group_jobs});"
            f" saved by grouping: {sum(remote.values()) - len(submissions)}"
        )
        reference.finish()
        print(f"wall time: {reference(wall)}")
        if args.keep:
            print(f"project kept in {project}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
