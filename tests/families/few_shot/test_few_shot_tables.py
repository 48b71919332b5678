"""Few-shot tables on a hand-made grid: the k = 0 rows come from the zero-shot
metrics, runs then seeds then targets are averaged, Δ is taken against the
zero-shot mean of the same targets, and bad grids are refused by name."""

import json

import numpy as np
import pytest

from xlt.families.few_shot.tables import by_k, collect, markdown, per_language


def write_points(path, target, seed, points):
    unit = {"task": "pos", "source": "qaa", "target": target, "seed": seed}
    rows = [
        {"metric": "accuracy", "strategy": s, "k": k, "run": r, "score": v, "examples": k}
        for s, k, r, v in points
    ]
    path.write_text(json.dumps({**unit, "points": rows}))
    return path


def write_zero(path, target, seed, score):
    unit = {"task": "pos", "source": "qaa", "target": target, "seed": seed}
    path.write_text(
        json.dumps({**unit, "method": "zero_shot", "metric": "accuracy", "score": score})
    )
    return path


@pytest.fixture
def grid(tmp_path):
    points = [
        # target qab: seed 1 two random runs at k=10 (50, 60 -> 55), seed 2 one (65)
        write_points(tmp_path / "b1.json", "qab", 1, [
            ("rand", 10, 0, 50.0), ("rand", 10, 1, 60.0), ("longest", 10, 0, 70.0)]),
        write_points(tmp_path / "b2.json", "qab", 2, [
            ("rand", 10, 0, 65.0), ("longest", 10, 0, 80.0)]),
        # target qag: seed 1 only
        write_points(tmp_path / "g1.json", "qag", 1, [
            ("rand", 10, 0, 30.0), ("rand", 10, 1, 40.0), ("longest", 10, 0, 20.0)]),
    ]  # fmt: skip
    zero = [
        write_zero(tmp_path / "zb1.json", "qab", 1, 40.0),
        write_zero(tmp_path / "zb2.json", "qab", 2, 50.0),
        write_zero(tmp_path / "zg1.json", "qag", 1, 10.0),
        write_zero(tmp_path / "zz1.json", "qaz", 1, 99.0),  # not continued: not read
    ]
    return points, zero


def test_k0_rows_come_from_the_zero_shot_metrics(grid):
    scores = collect(*grid, experiment="toy")
    zero = scores[scores.k == 0].set_index(["target", "seed"]).score
    assert zero.to_dict() == {("qab", 1): 40.0, ("qab", 2): 50.0, ("qag", 1): 10.0}
    assert set(scores[scores.k == 0].strategy) == {"zero-shot"}
    assert len(scores) == 8 + 3


def test_table_4_averages_runs_then_seeds_then_targets(grid):
    table = by_k(collect(*grid, experiment="toy")).set_index("strategy")
    # rand: qab = mean(55, 65) = 60, qag = 35 -> 47.5; k=0: qab 45, qag 10 -> 27.5
    assert table.loc["rand", "score"] == pytest.approx(47.5)
    assert table.loc["rand", "zero_shot"] == pytest.approx(27.5)
    assert table.loc["rand", "delta"] == pytest.approx(20.0)
    # longest: qab mean(70, 80) = 75, qag 20 -> 47.5
    assert table.loc["longest", "score"] == pytest.approx(47.5)
    assert table.loc["rand", "targets"] == 2
    # over seeds: seed 1 mean of targets (55 + 35) / 2 = 45, seed 2 only qab 65
    assert table.loc["rand", "std_over_seeds"] == pytest.approx(np.std([45, 65], ddof=1))


def test_table_5_has_one_row_per_target_and_a_column_per_k(grid):
    table = per_language(collect(*grid, experiment="toy")).set_index("target")
    assert table.loc["qab", "k=0"] == pytest.approx(45.0)
    assert table.loc["qab", "k=10"] == pytest.approx(60.0)
    assert table.loc["qag", "k=10"] == pytest.approx(35.0)
    text = markdown(by_k(collect(*grid, experiment="toy")), table.reset_index())
    assert "| rand | 27.50 | 47.50 (+20.00) |" in text
    assert "| qag | 10.00 | 35.00 |" in text
    # the paper's order of strategies
    assert text.index("| rand |") < text.index("| longest |")


def test_a_missing_zero_shot_score_or_a_repeated_point_is_refused(grid, tmp_path):
    points, zero = grid
    with pytest.raises(ValueError, match=r"no zero-shot score \(k = 0\) for pos qaa->qag seed 1"):
        collect(points, zero[:2], experiment="toy")
    again = write_points(tmp_path / "again.json", "qag", 1, [("rand", 10, 0, 31.0)])
    with pytest.raises(ValueError, match="again.json"):
        collect([*points, again], zero, experiment="toy")
