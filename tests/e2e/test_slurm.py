"""The cluster path on a real SLURM: profiles/slurm with the profiles/slurm-ci overlay.

These tests need a reachable SLURM cluster (``sinfo`` answers and shows a usable
node), e.g. the one-node cluster of ``.ci/slurm/up.sh``. Without one they skip;
with ``XLT_REQUIRE_SLURM=1`` (CI) they fail instead::

    bash .ci/slurm/up.sh
    XLT_REQUIRE_SLURM=1 .venv/bin/python -m pytest tests/e2e/test_slurm.py

Every test works in a copy of the project. Training writes checkpoints outside
its declared outputs (checkpoints/...): when a training job is killed (``scancel``,
its time limit), Snakemake marks it failed and removes its incomplete outputs, the
next run reruns it, the rerun resumes from the last checkpoint and must end
exactly where an uninterrupted run ends. One uninterrupted training, run locally
while the first interruption test waits on SLURM, is the reference of both.
"""

import contextlib
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from shared_runs import smoke_copy
from workflow_helpers import copy_project, snakemake

PROFILE = ["--profile", "profiles/slurm", "--workflow-profile", "profiles/slurm-ci"]
SMOKE = ["--configfile", "configs/test/smoke.yaml"]
# The families whose results the comparison below reads (zero-shot, few-shot and the
# factorization experiment), against the same families' results of the local smoke
# run: the others' rules run on the same profiles and are checked rule by rule
# (tests/test_rules.py); leaving them out of the SLURM run keeps CI short.
# Of the tasks, pos (the interruption tests' run, few-shot and the factorization
# experiment), ner (the factorization experiment) and qa (few-shot): the others train
# by the same rules with other wildcards.
TASKS = ("pos", "ner", "qa")
GRID = {
    "methods": ["zero_shot", "few_shot", "pf_d", "pf_lr", "ls", "ns", "jm", "bea"],
    "tasks": list(TASKS),
}
TARGETS = ("qaa", "qab", "qag")  # configs/test/smoke.yaml
SMOKE_RESULTS = "results/smoke"  # configs/test/smoke.yaml's experiment
# What the SLURM run builds: the tables the comparison reads, with every job they
# need (the figures and the report are local rules: they would add nothing)
TABLES = [
    f"{SMOKE_RESULTS}/tables/{name}.csv"
    for name in ("scores", "factorization_scores", "few_shot_scores")
]
RUN = f"{SMOKE_RESULTS}/runs/zero_shot/pos/qaa/seed1"  # the training run the interruption tests use
CHECKPOINT = "checkpoints/smoke/train_zero_shot/zero_shot/pos/qaa/seed1/last.pt"
TRAIN_LOG = "logs/smoke/train_zero_shot/zero_shot/pos/qaa/seed1.log"
RUN_TARGETS = [f"{RUN}/eval/{target}/metrics.json" for target in TARGETS]
# metrics.json fields that are allowed to differ between two runs of the same model
VOLATILE = {"eval_seconds", "train_seconds", "device", "versions"}
# the interruption tests' POS training: long enough to be interrupted after its
# first checkpoint (every 10 steps) and well before its end
EPOCHS = 20
WORKFLOW_TIMEOUT_S = 1500


# --- is there a cluster? ----------------------------------------------------------


def slurm_problem() -> str | None:
    """Why no SLURM cluster can be used from here, or None if one can."""
    missing = [tool for tool in ("sinfo", "sbatch", "squeue", "scancel") if not shutil.which(tool)]
    if missing:
        return f"SLURM commands not found: {', '.join(missing)} (bash .ci/slurm/up.sh starts one)"
    try:
        result = subprocess.run(
            ["sinfo", "--noheader", "--format=%t"], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        return "`sinfo` did not answer within 30 s (is slurmctld running?)"
    if result.returncode != 0:
        return f"`sinfo` failed: {(result.stderr or result.stdout).strip()}"
    states = result.stdout.split()
    if not set(states) & {"idle", "mix", "alloc", "comp"}:
        return f"no usable SLURM node (sinfo node states: {states or 'none'})"
    return None


@pytest.fixture(scope="module", autouse=True)
def slurm_cluster():
    problem = slurm_problem()
    if problem is not None:
        if os.environ.get("XLT_REQUIRE_SLURM", "") not in ("", "0"):
            pytest.fail(f"XLT_REQUIRE_SLURM is set, but {problem}", pytrace=False)
        pytest.skip(f"no SLURM cluster: {problem}")
    # These tests run two trainings at once on the same CPUs (one through SLURM, one
    # locally). PyTorch's OpenMP threads would spin while waiting for the CPU time
    # the other run holds, slowing both tens of times over; waiting passively
    # changes no result. The setting reaches the SLURM jobs (sbatch --export=ALL).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMP_WAIT_POLICY", os.environ.get("OMP_WAIT_POLICY", "PASSIVE"))
        yield


# --- running Snakemake and watching SLURM ---------------------------------------------


def project_jobs(project: Path) -> list[dict]:
    """SLURM jobs (also finished ones squeue still knows) submitted from ``project``."""
    result = subprocess.run(
        ["squeue", "--noheader", "--states=all", "--format=%i|%T|%k|%Z"],
        capture_output=True,
        text=True,
        check=True,
    )
    jobs = []
    for line in result.stdout.splitlines():
        job_id, state, comment, workdir = line.split("|", 3)
        if Path(workdir.strip()).resolve() == project.resolve():
            jobs.append({"id": job_id.strip(), "state": state.strip(), "comment": comment})
    return jobs


def cancel_project_jobs(project: Path) -> None:
    active = [
        job["id"]
        for job in project_jobs(project)
        if job["state"] in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED")
    ]
    if active:
        subprocess.run(["scancel", *active], check=False)


def training_job(project: Path, task: str = "pos") -> dict:
    """The SLURM job training ``task`` (the plugin puts rule and wildcards in the comment)."""
    jobs = [
        job
        for job in project_jobs(project)
        if job["comment"].startswith("rule_train_zero_shot_") and f"_{task}_" in job["comment"]
    ]
    assert jobs, f"no training job of {project} in squeue"
    return max(jobs, key=lambda job: int(job["id"]))  # the latest


def job_state(job_id: str) -> str:
    result = subprocess.run(
        ["squeue", "--noheader", "--states=all", f"--jobs={job_id}", "--format=%T"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def freeze(job_id: str) -> list[int]:
    """Stop (SIGSTOP) the processes of SLURM job ``job_id`` (those whose environment
    names it; not SLURM's own slurmstepd) on this node; their ids.

    A frozen job keeps its CPUs idle and its state RUNNING until SLURM ends it:
    when its time limit strikes, SLURM sends SIGCONT and SIGTERM, then SIGKILL.
    """
    frozen = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            name = (proc / "comm").read_text().strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if f"SLURM_JOB_ID={job_id}".encode() in environ and name != "slurmstepd":
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGSTOP)
                frozen.append(int(proc.name))
    return frozen


@contextlib.contextmanager
def running(workdir: Path, *args: str, log: Path):
    """Snakemake in the background (own process group, output in ``log``).

    On leaving, a run that is still going is stopped (Snakemake cancels its
    SLURM jobs on SIGTERM) and any job it left behind is cancelled.
    """
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "snakemake", *args],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        cancel_project_jobs(workdir)


def finished(process: subprocess.Popen, log: Path, *, expect_success: bool = True) -> str:
    """Wait for a background run; its output."""
    returncode = process.wait(timeout=WORKFLOW_TIMEOUT_S)
    output = log.read_text(errors="replace")
    if expect_success:
        assert returncode == 0, f"{' '.join(process.args[3:])} failed:\n{output[-5000:]}"
    else:
        assert returncode != 0, f"{' '.join(process.args[3:])} did not fail:\n{output[-3000:]}"
    return output


def wait_for_file(path: Path, process: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        assert process.poll() is None, (
            f"the run ended before {path.name} appeared:\n{log.read_text()[-3000:]}"
        )
        assert time.time() < deadline, f"no {path} after {timeout} s"
        time.sleep(0.05)


def clone(project: Path, dest: Path) -> Path:
    """A copy of a project with its results and Snakemake's metadata (times kept)."""
    ignore = shutil.ignore_patterns("locks", "slurm_logs", "__pycache__")
    shutil.copytree(project, dest, symlinks=True, ignore=ignore)
    return dest


def with_overlay(project: Path, name: str, settings: dict) -> list[str]:
    """--configfile arguments: the smoke config plus an overlay written into ``project``.

    They go last on a command line (or before another option): --configfile takes
    every following word up to the next option, targets included.
    """
    (project / name).write_text(yaml.safe_dump(settings))
    return ["--configfile", "configs/test/smoke.yaml", name]


# --- results ------------------------------------------------------------------------


def run_results(project: Path) -> dict:
    """Everything about the training run RUN that must not depend on interruptions."""
    training = json.loads((project / RUN / "train.json").read_text())["training"]
    outcome = {
        "training": {
            key: training[key]
            for key in ("total_steps", "history", "best_step", "best_source_dev_score")
        }
    }
    for target in TARGETS:
        eval_dir = project / RUN / "eval" / target
        metrics = json.loads((eval_dir / "metrics.json").read_text())
        outcome[target] = {key: v for key, v in metrics.items() if key not in VOLATILE}
        outcome[f"{target} predictions"] = (eval_dir / "predictions.tsv").read_bytes()
    return outcome


def assert_resumed(project: Path) -> dict:
    log = (project / TRAIN_LOG).read_text()
    assert "resuming from checkpoint" in log, log[-2000:]
    training = json.loads((project / RUN / "train.json").read_text())["training"]
    assert training["resumed_from_step"] is not None and training["resumed_from_step"] > 0
    assert training["steps_this_run"] < training["total_steps"]
    return training


def assert_same_results(resumed: dict, uninterrupted: dict) -> None:
    for key in uninterrupted:
        assert resumed[key] == uninterrupted[key], f"{key} differs after resuming"


# --- the smoke grid, through SLURM and locally ------------------------------------------


@pytest.fixture(scope="module")
def smoke_runs(slurm_cluster, tmp_path_factory):
    """The smoke configuration's GRID through the SLURM profile, and the session's
    local smoke run (--cores 2; tests/e2e/conftest.py, shared with test_smoke.py).

    The SLURM run starts first: it spends much of its time between two squeue
    polls, while the local run is built (or, built by another worker, copied).
    """
    base = tmp_path_factory.mktemp("slurm")
    on_slurm = copy_project(base / "slurm")
    slurm_log = base / "slurm.log"
    with running(
        on_slurm, *TABLES, *PROFILE, *with_overlay(on_slurm, "grid.yaml", GRID), log=slurm_log
    ) as slurm_run:
        local = smoke_copy(tmp_path_factory, "local")
        output = finished(slurm_run, slurm_log)
    return SimpleNamespace(slurm=on_slurm, local=local, output=output)


@pytest.mark.slow
def test_smoke_grid_through_slurm_equals_local_run(smoke_runs):
    slurm, local, output = smoke_runs.slurm, smoke_runs.local, smoke_runs.output
    # the compute jobs went through sbatch; one job evaluates every task's model
    submitted = re.findall(r"has been submitted with SLURM jobid (\d+) \(log: (\S+)\)", output)
    evaluations = [log for _, log in submitted if "/rule_evaluate_zero_shot/" in log]
    assert len(evaluations) == 1, output[-3000:]
    assert len(submitted) == len({job_id for job_id, _ in submitted})
    for task in TASKS:
        summary = slurm / f"results/smoke/runs/zero_shot/{task}/qaa/seed1/train.json"
        # profiles/slurm-ci's threads (those of a local run) reach the job
        assert json.loads(summary.read_text())["training"]["threads"] == 1

    differences = []
    for path in sorted((local / SMOKE_RESULTS / "encoder").rglob("*")):
        if path.is_file():
            name = path.relative_to(local)
            here, there = path.read_bytes(), (slurm / name).read_bytes()
            if name.suffix == ".json" and name.parent.name == "encoder":
                # the pretraining summary records its wall time; compare the rest
                here, there = (without_timing(json.loads(b)) for b in (here, there))
            if here != there:
                differences.append(f"{name}: files differ")
    scores = TABLES[0]
    if score_rows(slurm / scores) != score_rows(local / scores, TASKS):
        differences.append(f"{scores}: the rows of {', '.join(TASKS)} differ")
    for scores in TABLES[1:]:
        if (local / scores).read_bytes() != (slurm / scores).read_bytes():
            differences.append(f"{scores}: files differ")
    metrics = sorted(
        p.relative_to(local)
        for task in TASKS
        for p in (local / SMOKE_RESULTS / "runs/zero_shot" / task).rglob("metrics.json")
    )
    assert len(metrics) == len(TASKS) * len(TARGETS)
    for name in metrics:
        here, there = (json.loads((root / name).read_text()) for root in (local, slurm))
        if here["score"] != there["score"]:
            differences.append(f"{name}: score {there['score']!r} != {here['score']!r} (local)")
    assert not differences, "SLURM and local results differ:\n" + "\n".join(differences)


def score_rows(path: Path, tasks=None) -> list[dict]:
    """The rows of a scores table, those of ``tasks`` only if given."""
    with open(path, newline="") as table:
        return [row for row in csv.DictReader(table) if tasks is None or row["task"] in tasks]


def without_timing(summary: dict) -> dict:
    return {key: value for key, value in summary.items() if key != "seconds"}


def fresh(project: Path) -> list[str]:
    """Make RUN untrained in ``project`` (results and checkpoints gone), with its task
    (POS) trained for EPOCHS and the other tasks' models kept as they are (the
    evaluation job scores every task's model); the --configfile arguments.

    Starting from no results is the case a rerun must handle: had the results of an
    earlier configuration stayed, a rerun after the failed retraining would do
    nothing, since Snakemake does not rerun a job for a missing intermediate output
    when the outputs downstream of it exist.
    """
    shutil.rmtree(project / RUN, ignore_errors=True)
    shutil.rmtree((project / CHECKPOINT).parent, ignore_errors=True)
    settings = {"task_options": {"pos": {"training": {"epochs": EPOCHS}}}}
    return with_overlay(project, "longer.yaml", {**GRID, **settings})


@pytest.fixture(scope="module")
def uninterrupted(smoke_runs, tmp_path_factory):
    """The interruption tests' training run once without interruption, locally: it
    starts when the first test asks for it and runs while that test waits on
    SLURM; ``results()`` waits for it and gives its ``run_results``."""
    reference = clone(smoke_runs.slurm, tmp_path_factory.mktemp("uninterrupted") / "project")
    config = fresh(reference)
    log = reference.parent / "uninterrupted.log"
    done = {}

    def results() -> dict:
        if not done:
            finished(process, log)
            training = json.loads((reference / RUN / "train.json").read_text())["training"]
            assert training["resumed_from_step"] is None
            done.update(run_results(reference))
        return done

    with running(reference, *RUN_TARGETS, "--cores", "2", *config, log=log) as process:
        yield SimpleNamespace(results=results)


@pytest.mark.slow
def test_cancelled_training_job_resumes_to_the_uninterrupted_result(
    smoke_runs, uninterrupted, tmp_path
):
    """scancel the training job once it has a checkpoint; the rerun resumes from it."""
    project = clone(smoke_runs.slurm, tmp_path / "interrupted")
    config = fresh(project)
    log = tmp_path / "cancelled.log"
    with running(project, *RUN_TARGETS, *PROFILE, "--retries", "0", *config, log=log) as run:
        wait_for_file(project / CHECKPOINT, run, log)
        job = training_job(project)
        assert job["state"] == "RUNNING"
        subprocess.run(["scancel", job["id"]], check=True)
        output = finished(run, log, expect_success=False)
        # at once: squeue forgets a finished job after MinJobAge (300 s)
        state = job_state(job["id"])
    assert f"SLURM-job '{job['id']}' failed" in output
    assert state == "CANCELLED"
    assert not (project / RUN / "train.json").exists()
    assert (project / CHECKPOINT).exists()

    snakemake(project, *RUN_TARGETS, *PROFILE, *config)
    assert_resumed(project)
    assert not (project / CHECKPOINT).exists()  # removed once the model is written
    assert_same_results(run_results(project), uninterrupted.results())


@pytest.mark.slow
def test_training_past_its_time_limit_resumes_to_the_uninterrupted_result(
    smoke_runs, uninterrupted, tmp_path
):
    """A 1-minute SLURM time limit kills training midway; a rerun with a normal limit
    resumes. The job is frozen (SIGSTOP) once it has written a checkpoint, so that
    the limit strikes in the middle of training on a machine of any speed, without
    the job spending a minute of CPU time to get there."""
    project = clone(smoke_runs.slurm, tmp_path / "interrupted")
    # the production profile with the CI overlay, but a 1-minute limit for training
    overlay = yaml.safe_load((project / "profiles/slurm-ci/config.yaml").read_text())
    overlay["set-resources"]["train_zero_shot"]["runtime"] = 1
    (project / "profiles/slurm-ci-1min").mkdir()
    (project / "profiles/slurm-ci-1min/config.yaml").write_text(yaml.safe_dump(overlay))
    limited = ["--profile", "profiles/slurm", "--workflow-profile", "profiles/slurm-ci-1min"]
    config = fresh(project)
    log = tmp_path / "limited.log"
    with running(project, *RUN_TARGETS, *limited, "--retries", "0", *config, log=log) as run:
        wait_for_file(project / CHECKPOINT, run, log)
        job = training_job(project)
        assert freeze(job["id"]), f"no process of SLURM job {job['id']} found on this node"
        output = finished(run, log, expect_success=False)
        # at once: squeue forgets a finished job after MinJobAge (300 s)
        state = job_state(job["id"])
    assert state == "TIMEOUT", output[-3000:]
    assert "SLURM status is: 'TIMEOUT'" in output
    assert not (project / RUN / "train.json").exists()
    assert (project / CHECKPOINT).exists()

    snakemake(project, *RUN_TARGETS, *PROFILE, *config)
    training = assert_resumed(project)
    assert training["total_steps"] == uninterrupted.results()["training"]["total_steps"]
    assert_same_results(run_results(project), uninterrupted.results())
