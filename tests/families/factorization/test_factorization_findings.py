"""The factorization paper's claims on small held-out tables worked out by hand."""

import pandas as pd
import pytest

from xlt.core import findings
from xlt.core.findings import FAILS, HOLDS, INCONCLUSIVE, NOT_TESTED, Tables
from xlt.families.factorization import findings as pf_findings


@pytest.fixture
def claims():
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "metadata" / "claims.yaml"
    return {c.id: c for c in findings.load_claims(path)}


def write_scores(tmp_path, scores: dict, subset="all", seeds=(1,), extra=None):
    """scores: {(method, task): [score per language qa1, qa2, ...]}"""
    rows = []
    for (method, task), values in scores.items():
        for i, value in enumerate(values):
            for seed in seeds:
                rows.append({"method": method, "subset": subset, "partition": 1, "seed": seed,
                             "task": task, "language": f"q{i}", "score": value})  # fmt: skip
    table = pd.DataFrame(rows + (extra or []))
    (tmp_path / "tables").mkdir(exist_ok=True)
    table.to_csv(tmp_path / "tables" / "factorization_scores.csv", index=False)
    return Tables(tmp_path, {})


def test_pf_against_the_best_baseline_pair_by_pair(tmp_path, claims):
    tables = write_scores(tmp_path, {
        ("pf_d", "pos"): [60, 62, 64],
        ("jm", "pos"): [58, 61, 61],  # the best baseline: mean 60 > LS's 50
        ("ls", "pos"): [50, 50, 50],
    })  # fmt: skip
    [row] = pf_findings.above_baselines(claims["pf_above_baselines"], tables)
    # differences 2, 1, 3: mean 2; every resample's mean lies in [1, 3]
    assert (row.scope, row.value, row.n, row.verdict) == ("pos, PF-d", 2.0, 3, HOLDS)
    assert 1.0 <= row.low <= row.high <= 3.0
    assert row.detail == "PF-d minus JM"


def test_pf_below_a_baseline_does_not_hold(tmp_path, claims):
    tables = write_scores(tmp_path, {
        ("pf_lr", "ner"): [40, 41, 42],
        ("ls", "ner"): [50, 52, 51],
        ("ns", "ner"): [30, 30, 30],
    })  # fmt: skip
    [row] = pf_findings.above_baselines(claims["pf_above_baselines"], tables)
    assert (row.value, row.verdict) == (-10.0, FAILS)


def test_one_baseline_is_not_enough(tmp_path, claims):
    tables = write_scores(tmp_path, {("pf_d", "pos"): [1, 2, 3], ("ls", "pos"): [1, 2, 3]})
    [row] = pf_findings.above_baselines(claims["pf_above_baselines"], tables)
    assert (row.verdict, row.reason) == (NOT_TESTED, "fewer than two baselines")


def test_pf_lr_and_pf_d_equal_on_pos_means_an_interval_around_zero(tmp_path, claims):
    tables = write_scores(tmp_path, {("pf_lr", "pos"): [61, 59, 60], ("pf_d", "pos"): [60, 60, 60]})
    [row] = pf_findings.CLAIMS["pf_lr_equals_pf_d_pos"](claims["pf_lr_equals_pf_d_pos"], tables)
    assert (row.value, row.verdict) == (0.0, HOLDS)


def test_ls_above_ns_per_task_and_a_missing_method(tmp_path, claims):
    tables = write_scores(tmp_path, {
        ("ls", "pos"): [70, 72, 74], ("ns", "pos"): [60, 60, 60], ("ls", "ner"): [1, 2, 3],
    })  # fmt: skip
    rows = pf_findings.ls_above_ns(claims["ls_above_ns"], tables)
    assert [(r.scope, r.verdict) for r in rows] == [("ner", NOT_TESTED), ("pos", HOLDS)]
    assert rows[0].reason == "the run has no NS on ner"
    assert rows[1].value == 12.0


def test_sim_above_dif_compares_two_groups(tmp_path, claims):
    different = [
        {"method": "pf_lr", "subset": "different4", "partition": 1, "seed": 1, "task": "pos",
         "language": f"d{i}", "score": score} for i, score in enumerate([70, 71, 72])
    ]  # fmt: skip
    tables = write_scores(tmp_path, {("pf_lr", "pos"): [80, 82, 84]}, subset="similar4",
                          extra=different)  # fmt: skip
    [row] = pf_findings.sim_above_dif(claims["sim_above_dif"], tables)
    # 82 - 71 = 11; the smallest resampled gap is 80 - 72 = 8
    assert (row.scope, row.value, row.n, row.verdict) == ("pos, |L| = 4, PF-lr", 11.0, 3, HOLDS)
    assert row.low >= 8.0


def test_entropy_against_performance_is_pearsons_r(tmp_path, claims):
    extra = [
        {"method": "pf_d", "subset": "all", "partition": 1, "seed": 1, "task": "pos",
         "language": f"q{i}", "score": score, "entropy_mean": entropy}
        for i, (score, entropy) in enumerate([(90, 0.1), (80, 0.3), (70, 0.2), (50, 0.9)])
    ]  # fmt: skip
    tables = write_scores(tmp_path, {}, extra=extra)
    rows = pf_findings.entropy_vs_performance(claims["entropy_vs_performance"], tables)
    assert [r.scope for r in rows] == ["PF-d, tasks pooled", "PF-d, pos"]
    # Pearson r of (0.1, 0.3, 0.2, 0.9) with (90, 80, 70, 50), by scipy
    from scipy import stats

    r = stats.pearsonr([0.1, 0.3, 0.2, 0.9], [90, 80, 70, 50]).statistic
    assert rows[0].value == pytest.approx(r)
    assert rows[0].verdict in (HOLDS, INCONCLUSIVE)  # the sign is right, n = 4 is small
    assert rows[0].high == pytest.approx(findings.pearson_interval(
        [0.1, 0.3, 0.2, 0.9], [90, 80, 70, 50])[2])  # fmt: skip


def test_no_table_is_not_tested(tmp_path, claims):
    [row] = pf_findings.ls_above_ns(claims["ls_above_ns"], Tables(tmp_path, {}))
    assert (row.verdict, row.reason) == (
        NOT_TESTED,
        "no tables/factorization_scores.csv in this run",
    )


def test_unconverged_pf_runs_are_a_caveat_on_pf_claims_only(tmp_path, claims):
    tables = write_scores(tmp_path, {
        ("pf_d", "pos"): [60, 62, 64], ("jm", "pos"): [58, 61, 61], ("ls", "pos"): [50, 50, 50],
        ("ns", "pos"): [40, 40, 40],
    })  # fmt: skip
    training = pd.DataFrame([
        {"method": "pf_d", "subset": "all", "partition": 1, "seed": 1, "steps": 1000,
         "best_step": 1000, "stopped_early": False, "converged": False},
        {"method": "pf_d", "subset": "all", "partition": 2, "seed": 1, "steps": 600,
         "best_step": 300, "stopped_early": True, "converged": True},
    ])  # fmt: skip
    training.to_csv(tmp_path / "tables" / "factorization_training.csv", index=False)
    [row] = pf_findings.CLAIMS["pf_above_baselines"](claims["pf_above_baselines"], tables)
    assert row.verdict == HOLDS
    assert row.reason.endswith("caveat: 1 of 2 PF runs ended at max_steps still learning "
                               "(tables/factorization_training.csv)")  # fmt: skip
    [ls] = [r for r in pf_findings.CLAIMS["ls_above_ns"](claims["ls_above_ns"], tables)]
    assert "caveat" not in ls.reason
