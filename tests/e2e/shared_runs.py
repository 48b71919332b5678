"""The smoke run, built once per test session and shared by the test modules that
read it (tests/e2e/test_smoke.py, and the local half of test_slurm.py's
comparison). Under pytest-xdist the modules run on different workers: the first to
ask builds the run under a file lock, the others wait for it; each module then
works on its own copy, so that one module's edits never reach another's."""

import os
import shutil
from pathlib import Path

from filelock import FileLock

from workflow_helpers import SMOKE, copy_project, snakemake


def _shared_root(tmp_path_factory) -> Path:
    """A directory every worker of this session sees: the workers' common parent."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def pristine_smoke(tmp_path_factory) -> Path:
    """The finished smoke run (and its report), built by whichever worker asks first."""
    root = _shared_root(tmp_path_factory) / "smoke-shared"
    project, done = root / "project", root / "done"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / "build.lock")):
        if not done.exists():
            if project.exists():  # a build that failed in another worker: start again
                shutil.rmtree(project)
            copy_project(project)
            snakemake(project, "--cores", "2", *SMOKE)
            snakemake(project, *SMOKE, "--report", "results/smoke/report.html")
            done.touch()
    return project


def smoke_copy(tmp_path_factory, name: str) -> Path:
    """A copy of the finished smoke run (files, times and Snakemake's metadata)."""
    dest = tmp_path_factory.mktemp(name) / "project"
    ignore = shutil.ignore_patterns("locks", "__pycache__")
    shutil.copytree(pristine_smoke(tmp_path_factory), dest, symlinks=True, ignore=ignore)
    return dest
