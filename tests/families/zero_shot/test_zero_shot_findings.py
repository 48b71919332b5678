"""Lauscher et al.'s zero-shot claims on small feature tables worked out by hand."""

import pandas as pd
import pytest
from findings_helpers import write_table

from xlt.core.findings import FAILS, HOLDS, NOT_TESTED
from xlt.families.zero_shot import findings as zs_findings


def samples(task, features):
    """features: {label: [value per target]}; scores 10, 20, ..., one per target."""
    n = len(next(iter(features.values())))
    return [{"experiment": "e", "method": "zero_shot", "task": task, "source": "en",
             "target": f"t{i}", "feature": label, "value": values[i], "score": 10.0 * (i + 1)}
            for label, values in features.items() for i in range(n)]  # fmt: skip


def test_feature_labels_as_the_claims_name_them():
    assert zs_findings.feature_name("SYN") == "syntax"
    assert zs_findings.feature_name("syntax") == "syntax"
    assert zs_findings.feature_name("PHON") == "phon"


def test_syntax_strongest_when_it_clearly_leads(tmp_path, claims):
    rows = samples("pos", {
        "SYN": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],  # r = 1 with the scores
        "PHON": [0.5, 0.1, 0.7, 0.2, 0.8, 0.3, 0.4, 0.6],
    })  # fmt: skip
    tables = write_table(tmp_path, "transfer_features.csv", rows)
    [row] = zs_findings.syn_strongest_low_level(claims["syn_strongest_low_level"], tables)
    assert (row.verdict, row.n) == (HOLDS, 8)
    assert row.detail.startswith("syntax first, phon second")
    [corr] = zs_findings.CLAIMS["transfer_falls_with_distance"](
        claims["transfer_falls_with_distance"], tables)  # fmt: skip
    assert corr.value == pytest.approx(1.0)


def test_phonology_first_does_not_hold(tmp_path, claims):
    rows = samples("dep", {
        "SYN": [0.5, 0.1, 0.7, 0.2, 0.8, 0.3, 0.4, 0.6],
        "PHON": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    })  # fmt: skip
    tables = write_table(tmp_path, "transfer_features.csv", rows)
    [row] = zs_findings.syn_strongest_low_level(claims["syn_strongest_low_level"], tables)
    assert row.verdict == FAILS


def test_a_selection_among_one_feature_is_not_a_test(tmp_path, claims):
    write_table(tmp_path, "transfer_features.csv", samples("pos", {"syntax": [0.1, 0.2, 0.3, 0.5]}))
    tables = write_table(tmp_path, "meta_regression.csv", [{
        "experiment": "e", "method": "zero_shot", "task": "pos", "source": "en",
        "selected": "syntax (1.00)", "pearson": 0.5, "spearman": 0.4, "mae": 1.0, "languages": 4,
    }])  # fmt: skip
    [row] = zs_findings.meta_regression_first_feature(
        claims["meta_regression_first_feature"], tables)  # fmt: skip
    assert row.verdict == NOT_TESTED
    assert row.reason.startswith("only 1 feature(s) vary over the targets (syntax)")


def test_no_size_feature_is_not_tested(tmp_path, claims):
    tables = write_table(
        tmp_path, "transfer_features.csv", samples("xnli", {"SYN": [0.1, 0.2, 0.3, 0.5]})
    )
    [row] = zs_findings.CLAIMS["size_matters_for_high_level"](
        claims["size_matters_for_high_level"], tables)  # fmt: skip
    assert row.verdict == NOT_TESTED and "SIZE" in row.reason


def test_the_papers_tables_beside_ours():
    from xlt.families.zero_shot import paper

    columns = ["experiment", "task", "feature", "pearson", "spearman"]
    ours = pd.DataFrame(
        [["run-b", "pos", "SYN", 0.80, 0.90], ["run-b", "pos", "PHON", 0.50, 0.60],
         ["other", "pos", "SYN", 0.10, 0.10]], columns=columns)  # fmt: skip
    published = pd.DataFrame([
        {"model": "mbert", "task": "pos", "feature": "SYN", "pearson": 0.89, "spearman": 0.87},
        {"model": "mbert", "task": "pos", "feature": "PHON", "pearson": 0.84, "spearman": 0.84},
        {"model": "xlmr", "task": "pos", "feature": "SYN", "pearson": 0.50, "spearman": 0.50},
    ])  # fmt: skip
    table = paper.table2(ours, {"run-b": "mbert"}, published)
    assert table[["feature", "pearson_gap", "spearman_gap"]].values.tolist() == [
        ["PHON", pytest.approx(0.34), pytest.approx(0.24)],
        ["SYN", pytest.approx(0.09), pytest.approx(0.03)],
    ]
    gaps = paper.feature_gaps(table).set_index("feature")
    # SYN: (0.09 + 0.03) / 2, PHON: (0.34 + 0.24) / 2, each over 2 coefficients
    assert gaps.mean_absolute_difference.to_dict() == pytest.approx({"PHON": 0.29, "SYN": 0.06})
    assert gaps.coefficients.tolist() == [2, 2]


def test_the_published_tables_are_the_papers():
    from xlt.families.zero_shot import paper

    table2 = paper.published(paper.TABLE2).set_index(["model", "task", "feature"])
    assert len(table2) == 7 * 6
    # spot checks against Lauscher et al. (2020), Table 2 and Table 3
    assert tuple(table2.loc[("mbert", "dep", "SYN")]) == (0.93, 0.92)
    assert tuple(table2.loc[("xlmr", "qa", "INV")]) == (0.62, -0.01)
    table3 = paper.published(paper.TABLE3).set_index(["model", "task"])
    assert table3.loc[("mbert", "qa")].selected == "SIZE (.99)"
    assert table3.loc[("xlmr", "xnli")].mae == 2.01


def test_table_2_under_each_variant():
    from xlt.families.zero_shot import paper

    columns = ["variant", "missing", "experiment", "task", "feature", "pearson", "spearman"]
    variants = pd.DataFrame(
        [["knn", "pairwise", "run", "pos", "SYN", 0.80, 0.90],
         ["knn", "pairwise", "run", "pos", "INV", 0.40, 0.00],
         ["avg", "pairwise", "run", "pos", "SYN", 0.50, 0.50]], columns=columns)  # fmt: skip
    published = pd.DataFrame(
        [["mbert", "pos", "SYN", 0.89, 0.87], ["mbert", "pos", "INV", 0.43, -0.04]],
        columns=["model", "task", "feature", "pearson", "spearman"],
    )
    gaps = paper.variant_gaps(variants, {"run": "mbert"}, published)
    table = gaps.set_index(["variant", "feature"]).mean_absolute_difference
    # knn: SYN (0.09 + 0.03) / 2, INV (0.03 + 0.04) / 2, all (0.09 + 0.03 + 0.03 + 0.04) / 4
    assert table.to_dict() == pytest.approx({
        ("knn", "INV"): 0.035, ("knn", "SYN"): 0.06, ("knn", "all"): 0.0475,
        ("avg", "SYN"): (0.39 + 0.37) / 2, ("avg", "all"): (0.39 + 0.37) / 2,
    })  # fmt: skip
