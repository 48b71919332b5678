"""docs/reproduction.md is generated from recorded runs (xlt.reproduction)."""

import json
from pathlib import Path

import pytest

from xlt import reproduction

FINDINGS = """claim,scope,value,low,high,n,verdict,reason,paper,published
transfer_falls_with_distance,pos,0.61,0.05,0.88,12,holds,interval above 0,Lauscher,SYN 0.89
size_matters,xnli,,,,0,not tested,no SIZE feature on this run,Lauscher,0.77
pf_above_baselines,,,,,0,not tested,no factorization methods,Ponti,65.00
"""


def test_page_from_a_recorded_run(tmp_path, monkeypatch):
    monkeypatch.setattr(reproduction, "_git", lambda *args: "" if args[0] == "status" else "abc123")
    path = reproduction.record_run("configs/reproduce-x.yaml", "reproduce-x", 754.04, tmp_path)
    assert json.loads(path.read_text()) == {
        "config": "configs/reproduce-x.yaml", "experiment": "reproduce-x", "seconds": 754.0,
        "commit": "abc123",
    }  # fmt: skip
    with pytest.raises(FileNotFoundError, match="has no findings table"):
        reproduction.page(tmp_path)
    (tmp_path / "reproduce-x" / "tables").mkdir()
    (tmp_path / "reproduce-x" / "tables" / "findings.csv").write_text(FINDINGS)
    text = reproduction.page(tmp_path)
    assert "`configs/reproduce-x.yaml` · wall time 12.6 min on 2 CPU cores" in text
    assert "commit `abc123`" in text
    assert (
        "| transfer_falls_with_distance | pos | 0.61 [0.05, 0.88] | 12 | SYN 0.89 "
        "| **holds**: interval above 0 |" in text
    )
    # the untested claims of the run's own papers are named, other papers' are not
    assert "- size_matters: no SIZE feature on this run" in text
    assert "pf_above_baselines" not in text


def test_page_without_runs_says_how_to_make_them(tmp_path):
    assert "No reproduction has run yet: `make reproduce`." in reproduction.page(tmp_path)


def test_rerunning_one_config_keeps_the_sections_of_runs_recorded_elsewhere(tmp_path):
    reproduction.record_run("configs/reproduce-x.yaml", "reproduce-x", 60, tmp_path, "new1")
    (tmp_path / "reproduce-x" / "tables").mkdir()
    (tmp_path / "reproduce-x" / "tables" / "findings.csv").write_text(FINDINGS)
    previous = reproduction.HEADER + (
        "\n## reproduce-a\n\nfrom another machine\n\n"
        "## reproduce-x\n\n`configs/reproduce-x.yaml` · commit `old9`\n"
    )
    text = reproduction.page(tmp_path, previous)
    assert text.index("## reproduce-a") < text.index("## reproduce-x")
    assert "from another machine" in text  # kept: not recorded under results/
    assert "commit `new1`" in text and "old9" not in text  # replaced by the new run
    assert reproduction.page(tmp_path, text) == text  # regenerating changes nothing


def test_a_claim_that_does_not_hold_carries_its_recorded_reason():
    import pandas as pd

    findings = pd.DataFrame(
        [["a", "pos", 0.1, 0.0, 0.2, 5, "holds", "", "P", "x"],
         ["b", "pos", -0.5, -0.9, -0.1, 5, "does not hold", "", "P", "y"],
         ["c", "ner", -0.5, -0.9, -0.1, 5, "does not hold", "", "P", "z"]],
        columns=["claim", "scope", "value", "low", "high", "n", "verdict", "reason", "paper",
                 "published"],
    )  # fmt: skip
    record = {"experiment": "e", "config": "c.yaml", "seconds": 60, "commit": "abc"}
    text = reproduction.run_section(record, findings, {"b": "too few\n  steps"})
    assert "- b: too few steps" in text and "- c: not examined yet" in text
    assert "- a:" not in text


def test_an_inconclusive_claim_carries_its_recorded_reason_only_when_there_is_one():
    import pandas as pd

    findings = pd.DataFrame(
        [["d", "lines", 0.2, 0.1, 0.3, 2, "inconclusive", "too few points (2 < 3)", "P", "x"],
         ["e", "lines", 0.2, -0.1, 0.3, 5, "inconclusive", "interval contains 0", "P", "y"]],
        columns=["claim", "scope", "value", "low", "high", "n", "verdict", "reason", "paper",
                 "published"],
    )  # fmt: skip
    record = {"experiment": "e", "config": "c.yaml", "seconds": 60, "commit": "abc"}
    text = reproduction.run_section(record, findings, {"d": "a third pair"})
    assert "Where a claim is inconclusive, what it would take:\n\n- d: a third pair" in text
    assert "- e:" not in text and "does not hold" not in text


ROOT = Path(__file__).resolve().parents[1]
REPRODUCTIONS = sorted(ROOT.glob("configs/reproduce-*.yaml"))


@pytest.fixture(scope="module")
def beside_shared(tmp_path_factory):
    """A copy of the project with ``../shared`` beside it, as in a clone next to the
    project's shared data (the reproduction configs name ``../shared/data``)."""
    from conftest import SHARED_DATA, without_shared_data
    from workflow_helpers import copy_project

    if not SHARED_DATA.is_dir():
        without_shared_data(f"shared real-data samples not found at {SHARED_DATA}")
    work = tmp_path_factory.mktemp("clone")
    (work / "shared").symlink_to(SHARED_DATA.parent)
    return copy_project(work / "project")


@pytest.mark.slow  # Snakemake dry runs
@pytest.mark.parametrize("config", REPRODUCTIONS, ids=[p.stem for p in REPRODUCTIONS])
def test_each_reproduction_config_dry_runs_with_the_packaged_encoder(beside_shared, config):
    from workflow_helpers import planned_jobs, snakemake

    jobs = planned_jobs(snakemake(beside_shared, "-n", "--configfile", f"configs/{config.name}"))
    assert jobs["build_packaged_encoder"] == 1
    assert "pretrain_embedded_encoder" not in jobs and "download_encoder" not in jobs
    assert jobs["findings"] == 1 and jobs["preprocess_corpus"] > 0


def test_there_is_a_reproduction_config_per_paper():
    names = {p.stem for p in REPRODUCTIONS}
    assert names == {
        "reproduce-chen2019", "reproduce-lauscher2020", "reproduce-ponti2021",
        "reproduce-survey", "reproduce-wu2022",
    }  # fmt: skip
