"""The per-rule runtime table of the report (xlt.core.runtimes)."""

from pathlib import Path

import pytest

from xlt.core.runtimes import markdown, rule_runtimes

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def row(seconds: str, rss: str) -> str:
    """A benchmark file: the header and one job's line (wall time, peak memory)."""
    return HEADER + "\t".join([seconds, "0:00:00", rss, *["1"] * 7]) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def finished_run(tmp_path):
    benchmarks, logs = tmp_path / "benchmarks/exp", tmp_path / "logs/exp"
    # two jobs of a rule with wildcards, one of a rule without
    write(benchmarks / "train/pos/seed1.tsv", row("10.5", "500.0"))
    write(benchmarks / "train/ner/seed1.tsv", row("4.5", "700.0"))
    write(benchmarks / "summary.tsv", row("0.75", "-"))
    start = "2026-11-30 09:00:00,000 INFO xlt: start-up (interpreter and imports): {} s\n"
    write(logs / "train/pos/seed1.log", start.format("2.25") + "step 1/2\n")
    write(logs / "train/ner/seed1.log", start.format("1.50"))
    write(logs / "summary.log", "a log without a start-up line\n")
    write(logs / "other/job.log", start.format("9.00"))  # no benchmark: not a rule of the run
    return benchmarks, logs


def test_jobs_are_summed_per_rule_longest_first(finished_run):
    table = rule_runtimes(*finished_run)
    assert table.rule.tolist() == ["train", "summary"]
    train, summary = table.to_dict("records")
    assert train == {
        "rule": "train",
        "jobs": 2,
        "seconds": 15.0,
        "max_job_seconds": 10.5,
        "startup_seconds": 3.75,
        "max_rss_mb": 700.0,
    }
    # a job too short for a memory reading ('-') and a log without start-up time
    assert summary["jobs"] == 1 and summary["seconds"] == 0.75
    assert summary["max_rss_mb"] == 0.0 and summary["startup_seconds"] == 0.0


def test_markdown_has_a_total_row(finished_run):
    lines = markdown(rule_runtimes(*finished_run)).splitlines()
    assert lines[2] == "| train | 2 | 15.0 | 10.5 | 3.8 | 700 |"
    assert lines[-1] == "| total | 3 | 15.8 | | 3.8 | |"


def test_nothing_ran_gives_an_empty_table(tmp_path):
    table = rule_runtimes(tmp_path / "missing")
    assert table.empty and "max_rss_mb" in table.columns
