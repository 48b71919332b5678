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


def test_a_rule_script_runs_by_hand_as_the_module_docstring_shows(tmp_path):
    import yaml

    root = SCRIPTS.parent
    (tmp_path / "scores.csv").write_text(
        "experiment,method,task,metric,source,target,seed,score\n"
        "default,zero_shot,pos,accuracy,qaa,qaa,1,90.0\n"
        "default,zero_shot,pos,accuracy,qaa,qab,1,60.0\n"
    )
    figures = yaml.safe_load((root / "config.yaml").read_text())["figures"]
    (tmp_path / "style.yaml").write_text(yaml.safe_dump({"style": figures}))
    command = [
        sys.executable, str(SCRIPTS / "plot_per_language.py"),
        "--input", f"scores={tmp_path / 'scores.csv'}",
        "--output", f"png={tmp_path / 'per_language.png'}",
        "--output", f"pdf={tmp_path / 'per_language.pdf'}",
        "--params", str(tmp_path / "style.yaml"),
    ]  # fmt: skip
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SCRIPTS), "MPLBACKEND": "Agg"}
    subprocess.run(command, check=True, env=env, capture_output=True, cwd=tmp_path)
    assert (tmp_path / "per_language.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "per_language.pdf").read_bytes()[:4] == b"%PDF"
