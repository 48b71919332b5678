"""How every job sets up its process (xlt.core.scripting)."""

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "workflow_scripts"

_JOB = """
import os, sys, torch
sys.path.insert(0, {scripts!r})
from xlt.core.scripting import run
def main(job):
    tiny = torch.tensor([1e-39], dtype=torch.float32)  # below float32's smallest normal
    print(float(tiny * 1.0), torch.get_num_threads(), os.environ["OMP_WAIT_POLICY"])
run(main, argv=["--threads", "1"])
"""


def test_a_job_runs_on_its_threads_with_subnormals_flushed():
    code = _JOB.format(scripts=str(SCRIPTS))
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    value, threads, policy = result.stdout.split()
    assert float(value) == 0.0  # kept, 1e-39 * 1.0 would be 1e-39
    assert threads == "1"
    assert policy == "PASSIVE"
