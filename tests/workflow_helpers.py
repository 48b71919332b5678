"""Running the workflow from tests: a copy of the project in a temporary directory."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = [
    "Snakefile",
    "config.yaml",
    "configs",
    "envs",
    "metadata",
    "profiles",
    "report",
    "rules",
    "schemas",
    "workflow_scripts",
]


def copy_project(dest: Path) -> Path:
    """The workflow's own files (no results) under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def planned_jobs(result: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> job count from the 'Job stats' table of a dry run ({} if nothing to do)."""
    text = result.stdout + result.stderr
    if "Job stats:" not in text:
        return {}
    table = text.split("Job stats:", 1)[1]
    counts = {}
    for line in table.splitlines()[3:]:
        match = re.fullmatch(r"(\w+)\s+(\d+)", line.strip())
        if not match or match.group(1) == "total":
            break
        counts[match.group(1)] = int(match.group(2))
    return counts


def rule_blocks() -> dict[str, tuple[Path, str]]:
    """Rule (or checkpoint) name -> (its .smk file, the text of its block), from rules/*.smk
    afresh (not through Snakemake), for tests of what every rule declares."""
    blocks = {}
    for smk in sorted((ROOT / "rules").glob("*.smk")):
        # Top-level chunks: each starts at a line that is not indented; the body of
        # an `if ...:` or `else:` chunk (rules defined for one kind of data) is one
        # level in: dedented, its rules are chunks too.
        chunks = []
        for chunk in re.split(r"^(?=\S)", smk.read_text(), flags=re.M):
            if re.match(r"(?:if .*|else):\n", chunk):
                body = re.sub(r"^    ", "", chunk.split("\n", 1)[1], flags=re.M)
                chunks += re.split(r"^(?=\S)", body, flags=re.M)
            else:
                chunks.append(chunk)
        for block in chunks:
            head = re.match(r"(?:rule|checkpoint) (\w+):", block)
            if head:
                blocks[head.group(1)] = (smk, block)
    return blocks


SMOKE = ["--configfile", "configs/test/smoke.yaml"]


def smoke_with(*overlays) -> list[str]:
    """The smoke config plus overlays (one --configfile flag: a second one would replace it)."""
    return ["--configfile", "configs/test/smoke.yaml", *map(str, overlays)]
