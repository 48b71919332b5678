"""A grid job killed after some points resumes at the next one, keeping what it
wrote; results of another grid, or a line cut off by the kill, are not kept."""

import json

import pytest

from xlt.families.interpolation.points import evaluate_grid

POINTS = [{"alpha": a} for a in (0.0, 0.5, 1.0, 1.5)]


class Killed(Exception):
    pass


def scorer(calls, die_at=None):
    def evaluate(point):
        if point["alpha"] == die_at:
            raise Killed
        calls.append(point["alpha"])
        return {"source": 90 - point["alpha"], "target": 40 + 10 * point["alpha"]}

    return evaluate


def test_a_killed_grid_resumes_at_the_next_point(tmp_path):
    path = tmp_path / "grid.jsonl"
    calls = []
    with pytest.raises(Killed):
        evaluate_grid(POINTS, scorer(calls, die_at=1.0), path, grid_id="g1")
    assert calls == [0.0, 0.5] and len(path.read_text().splitlines()) == 2
    with path.open("a") as out:
        out.write('{"grid": "g1", "point": {"alpha": 1.0}, "sco')  # cut off mid-line
    rows = evaluate_grid(POINTS, scorer(calls), path, grid_id="g1")
    assert calls == [0.0, 0.5, 1.0, 1.5]  # only the missing points were evaluated
    assert [r["point"]["alpha"] for r in rows] == [0.0, 0.5, 1.0, 1.5]
    assert rows[3]["scores"] == {"source": 88.5, "target": 55.0}
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 4  # the cut line is gone


def test_points_of_another_grid_are_evaluated_again(tmp_path):
    path = tmp_path / "grid.jsonl"
    first, second = [], []
    evaluate_grid(POINTS[:2], scorer(first), path, grid_id="old models")
    evaluate_grid(POINTS[:2], scorer(second), path, grid_id="new models")
    assert first == second == [0.0, 0.5]
    assert all(json.loads(line)["grid"] == "new models" for line in path.read_text().splitlines())
