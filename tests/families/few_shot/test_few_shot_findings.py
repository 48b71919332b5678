"""Lauscher et al.'s few-shot claims on small tables worked out by hand."""

import pandas as pd

from xlt.core.findings import FAILS, HOLDS, Tables
from xlt.families.few_shot import findings as fs_findings


def write(tmp_path, points):
    rows = [{"task": task, "source": "a", "target": target, "seed": 1, "strategy": strategy,
             "k": k, "run": run, "score": score}
            for task, target, strategy, k, run, score in points]  # fmt: skip
    (tmp_path / "tables").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(tmp_path / "tables" / "few_shot_scores.csv", index=False)
    return Tables(tmp_path, {})


def test_gain_grows_with_k_averages_runs_first(tmp_path, claims):
    points = []
    for target, low_k, high_k in (("b", 50, 60), ("c", 40, 55), ("d", 30, 38)):
        points += [("pos", target, "rand", 10, 1, low_k - 1), ("pos", target, "rand", 10, 2,
                   low_k + 1), ("pos", target, "rand", 100, 1, high_k)]  # fmt: skip
    tables = write(tmp_path, points)
    [row] = fs_findings.gain_grows_with_k(claims["few_shot_gain_grows_with_k"], tables)
    # gains 10, 15, 8: mean 11
    assert (row.value, row.n, row.verdict) == (11.0, 3, HOLDS)


def test_shortest_above_longest_does_not_hold(tmp_path, claims):
    points = [("pos", t, s, 10, 1, score) for t in "bcd"
              for s, score in (("longest", 50.0), ("shortest", 60.0))]  # fmt: skip
    [row] = fs_findings.longest_above_shortest(claims["longest_above_shortest"],
                                               write(tmp_path, points))  # fmt: skip
    assert (row.scope, row.value, row.verdict) == ("pos", -10.0, FAILS)
