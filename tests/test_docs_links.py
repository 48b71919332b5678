"""The documentation's relative links and anchors resolve (tools/check_links.py), and the
checker catches what it should on tiny pages of its own."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import check_links  # noqa: E402


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_repository_links_resolve():
    problems = check_links.check_root(ROOT)
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_the_checked_pages_are_the_readme_and_docs():
    files = check_links.default_files(ROOT)
    assert ROOT / "README.md" in files
    assert {path.name for path in files} >= {"architecture.md", "getting-started.md"}


def test_a_missing_file_is_reported_with_its_line(tmp_path):
    page = write(tmp_path, "README.md", "# Title\n\nSee [the guide](docs/guide.md).\n")
    problems = check_links.check_files([page], tmp_path)
    assert [str(problem) for problem in problems] == [
        "README.md:3: docs/guide.md (no such file or directory)"
    ]


def test_a_missing_anchor_is_reported(tmp_path):
    write(tmp_path, "docs/guide.md", "# Guide\n\n## Install\n")
    page = write(
        tmp_path,
        "README.md",
        "# Title\n\n[ok](docs/guide.md#install)\n[bad](docs/guide.md#usage)\n[here](#title)\n"
        "[gone](#nowhere)\n",
    )
    problems = check_links.check_files([page], tmp_path)
    assert [(problem.line, problem.target) for problem in problems] == [
        (4, "docs/guide.md#usage"),
        (6, "#nowhere"),
    ]
    assert "no heading with anchor #usage in docs/guide.md" in problems[0].reason


def test_a_duplicate_heading_anchor_is_accepted(tmp_path):
    write(tmp_path, "docs/guide.md", "# Guide\n\n## Usage\n\n### Usage\n\n## Usage\n")
    page = write(
        tmp_path,
        "README.md",
        "[first](docs/guide.md#usage), [second](docs/guide.md#usage-1), "
        "[third](docs/guide.md#usage-2), [none](docs/guide.md#usage-3)\n",
    )
    problems = check_links.check_files([page], tmp_path)
    assert [problem.target for problem in problems] == ["docs/guide.md#usage-3"]


def test_anchors_follow_github_rules():
    text = (
        "# xlt — a workflow\n## Tour of `results/`\n## The survey's analyses\n"
        "## Running on a cluster (SLURM)\n## snake_case and 3 digits\n"
        "```\n# not a heading\n```\n"
    )
    assert check_links.anchors(text) == {
        "xlt--a-workflow",
        "tour-of-results",
        "the-surveys-analyses",
        "running-on-a-cluster-slurm",
        "snake_case-and-3-digits",
    }


def test_code_external_links_and_directories(tmp_path):
    (tmp_path / "configs").mkdir()
    page = write(
        tmp_path,
        "README.md",
        "[site](https://example.org/missing.md) [mail](mailto:someone@example.org)\n"
        "`[code](missing.md)`\n\n```\n[block](missing.md)\n```\n"
        "[folder](configs/) [outside](../elsewhere.md)\n",
    )
    problems = check_links.check_files([page], tmp_path)
    assert [(problem.line, problem.reason) for problem in problems] == [
        (7, "outside the repository")
    ]


def test_main_exit_status(tmp_path, capsys):
    good = write(tmp_path, "good.md", "# A\n\n[a](#a)\n")
    bad = write(tmp_path, "bad.md", "[b](missing.md)\n")
    assert check_links.main(["--root", str(tmp_path), str(good)]) == 0
    assert check_links.main(["--root", str(tmp_path), str(bad)]) == 1
    assert "bad.md:1: missing.md (no such file or directory)" in capsys.readouterr().out
