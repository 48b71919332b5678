"""The scorecard's shared machinery (xlt.core.findings): the claim registry, the
bootstrap, Pearson's interval and the verdict rules, on values worked out by hand."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from xlt.core import findings
from xlt.core.findings import FAILS, HOLDS, INCONCLUSIVE, NOT_TESTED

REGISTRY = Path(__file__).resolve().parents[1] / "metadata" / "claims.yaml"


def claim(expected="> 0", **fields):
    values = dict.fromkeys(findings.CLAIM_KEYS, "x")
    values.update({"id": "c", "expected": expected, **fields})
    return findings.Claim(**values)


def test_the_registry_loads_and_covers_every_paper_and_family():
    claims = findings.load_claims(REGISTRY)
    assert len({c.id for c in claims}) == len(claims)
    assert {c.family for c in claims} == {
        "factorization", "interpolation", "survey", "man_moe", "zero_shot", "few_shot"
    }  # fmt: skip
    assert len({c.paper for c in claims}) == 5
    # the claims the issue names at least
    for needed in ["pf_above_baselines", "pf_lr_vs_pf_d", "ls_above_ns", "sim_above_dif",
                   "entropy_vs_performance", "translation_middle_layers", "gate_prefers_closest",
                   "few_shot_gain_grows_with_k", "longest_above_shortest",
                   "meta_regression_first_feature", "delta_angle"]:  # fmt: skip
        assert needed in {c.id for c in claims}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"expected": "bigger"}, "expected 'bigger' is none of"),
        ({"expected": "= 0"}, "takes a margin"),
        ({"unit": ""}, "field 'unit' must be a non-empty text"),
        ({"colour": "red"}, "unknown fields ['colour']"),
    ],
)
def test_a_broken_registry_entry_is_named(tmp_path, entry, message):
    values = dict.fromkeys(findings.CLAIM_KEYS, "x")
    values.update(id="broken", expected="> 0")
    values.update(entry)
    path = tmp_path / "claims.yaml"
    import yaml

    path.write_text(yaml.safe_dump([values]))
    with pytest.raises(ValueError, match="claim 1 \\(broken\\)") as error:
        findings.load_claims(path)
    assert message in str(error.value)


def test_a_repeated_claim_id_is_refused(tmp_path):
    import yaml

    values = dict.fromkeys(findings.CLAIM_KEYS, "x")
    values.update(id="twice", expected="> 0")
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump([values, values]))
    with pytest.raises(ValueError, match="more than once: twice"):
        findings.load_claims(path)


def test_bootstrap_mean_of_a_constant_has_a_point_interval():
    assert findings.bootstrap_mean([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0)


def test_bootstrap_mean_interval_by_hand():
    # two units 0 and 1: a resample's mean is 0, 1/2 or 1 with probabilities
    # 1/4, 1/2, 1/4, so the 2.5 % and 97.5 % percentiles are 0 and 1
    value, low, high = findings.bootstrap_mean([0.0, 1.0], resamples=4000)
    assert (value, low, high) == (0.5, 0.0, 1.0)


def test_bootstrap_is_seeded_and_resamples_units_not_rows():
    values = np.arange(20, dtype=float)
    assert findings.bootstrap_mean(values) == findings.bootstrap_mean(values)
    # a statistic over paired units: the difference of sums of two columns
    a, b = np.array([3.0, 5.0, 4.0]), np.array([1.0, 2.0, 2.0])
    value, low, high = findings.bootstrap(3, lambda i: a[i].sum() - b[i].sum())
    assert value == 7.0  # 12 - 5
    # every unit's difference is 2, 3 or 2: three of them sum to 6 .. 9
    assert 6.0 <= low <= high <= 9.0


def test_pearson_interval_is_scipys_fisher_interval():
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    y = [2.0, 1.0, 4.0, 3.0, 5.0]
    r, low, high, p = findings.pearson_interval(x, y)
    # dx = -2..2, dy = -1 -2 1 0 2: Sxy = 2 + 2 + 0 + 0 + 4 = 8, Sxx = Syy = 10
    assert r == pytest.approx(0.8)
    z, half = math.atanh(0.8), 1.959964 / math.sqrt(5 - 3)
    assert (low, high) == pytest.approx((math.tanh(z - half), math.tanh(z + half)), abs=1e-5)
    assert p == pytest.approx(stats.pearsonr(x, y).pvalue)


def test_pearson_interval_needs_four_varying_points():
    assert all(math.isnan(v) for v in findings.pearson_interval([1, 2, 3], [1, 2, 4]))
    assert all(math.isnan(v) for v in findings.pearson_interval([1, 2, 3, 4], [5, 5, 5, 5]))


@pytest.mark.parametrize(
    ("expected", "low", "high", "n", "result"),
    [
        ("> 0", 0.1, 2.0, 5, HOLDS),
        ("> 0", -2.0, -0.1, 5, FAILS),
        ("> 0", -0.1, 2.0, 5, INCONCLUSIVE),
        ("> 0", 0.1, 2.0, 2, INCONCLUSIVE),  # too few points
        ("< 0", -2.0, -0.1, 5, HOLDS),
        ("< 0", 0.1, 2.0, 5, FAILS),
        ("= 0 ± 1", -0.5, 0.5, 5, HOLDS),
        ("= 0 ± 1", 0.2, 0.5, 5, HOLDS),  # a difference, but within the margin
        ("= 0 ± 1", 0.2, 1.5, 5, FAILS),  # excludes 0 and leaves the margin
        ("= 0 ± 1", -3.0, 0.5, 5, INCONCLUSIVE),  # contains 0, too wide to say "equal"
        ("> 50", 50.5, 60.0, 5, HOLDS),
        ("in [0.67, 1.5]", 0.8, 1.2, 5, HOLDS),
        ("in [0.67, 1.5]", 1.6, 2.0, 5, FAILS),
        ("in [0.67, 1.5]", 1.2, 1.7, 5, INCONCLUSIVE),
        ("> 0", math.nan, math.nan, 5, INCONCLUSIVE),
    ],
)
def test_verdict_rules(expected, low, high, n, result):
    assert findings.verdict(expected, low, high, n)[0] == result


def test_verdict_of_a_category():
    assert findings.verdict_label("is syntax", "syntax", False)[0] == HOLDS
    assert findings.verdict_label("is syntax", "morphology", False)[0] == FAILS
    assert findings.verdict_label("is syntax", "syntax", True)[0] == INCONCLUSIVE


def test_decide_and_not_tested_carry_the_claim():
    c = claim("> 0", paper="P", published="1.0")
    row = findings.decide(c, "pos", 0.5, 0.1, 0.9, 4).row()
    assert (row["claim"], row["scope"], row["verdict"], row["published"]) == ("c", "pos", HOLDS,
                                                                             "1.0")  # fmt: skip
    skipped = findings.not_tested(c, "needs a larger encoder").row()
    assert (skipped["verdict"], skipped["reason"], skipped["value"]) == (
        NOT_TESTED, "needs a larger encoder", None
    )  # fmt: skip


def test_markdown_counts_verdicts_and_groups_by_paper():
    a = claim("> 0", paper="Paper A")
    b = claim("< 0", paper="Paper B")
    text = findings.markdown(
        [findings.decide(a, "pos", 0.5, 0.1, 0.9, 4), findings.not_tested(b, "no family")]
    )
    assert "1 holds · 0 does not hold · 0 inconclusive · 1 not tested" in text
    assert text.index("## Paper A") < text.index("## Paper B")
    assert "0.5 [0.1, 0.9]" in text


def test_the_report_front_page_counts_verdicts_per_paper():
    from docutils.core import publish_parts

    a = claim("> 0", paper="Paper A", id="a")
    b = claim("< 0", paper="Paper *B*", id="b")
    rows = [
        findings.decide(a, "pos", 0.5, 0.1, 0.9, 4),  # holds
        findings.decide(a, "ner", -0.5, -0.9, -0.1, 4),  # does not hold
        findings.not_tested(b, "no |family|"),
    ]
    html = publish_parts(
        findings.rst_scorecard(rows), writer="html", settings_overrides={"halt_level": 2}
    )
    cells = re.findall(r"<t[dh](?: [^>]*)?>(.*?)</t[dh]>", html["body"], flags=re.S)
    assert [cells[i : i + 6] for i in range(0, len(cells), 6)] == [
        ["paper", "claims", "holds", "does not hold", "inconclusive", "not tested"],
        ["Paper A", "1", "1", "1", "0", "0"],
        ["Paper *B*", "1", "0", "0", "0", "1"],  # markup characters stay text
        ["all papers", "2", "1", "1", "0", "1"],
    ]


def test_every_claim_has_an_evaluator_and_an_inactive_family_is_named(tmp_path):
    from xlt.families import scorecard

    claims = findings.load_claims(REGISTRY)
    scorecard.check_registry(claims)
    config = {"methods": ["zero_shot"]}
    rows = scorecard.evaluate(
        [c for c in claims if c.family == "man_moe"], findings.Tables(tmp_path, config)
    )
    assert {r.verdict for r in rows} == {NOT_TESTED}
    assert "man_moe family's methods (man_moe)" in rows[0].reason


def test_a_claim_without_code_is_refused():
    from xlt.families import scorecard

    with pytest.raises(ValueError, match="claim c: xlt/families/survey/findings.py has no"):
        scorecard.check_registry([claim(family="survey")])


def test_failed_runs_are_left_out_of_every_statistic_and_named(tmp_path):
    from xlt.core import findings as core

    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "scores.csv").write_text(
        "task,target,score,degenerate\npos,qab,80.0,False\nner,qab,0.0,True\n"
    )
    tables = core.Tables(tmp_path, {})
    scores = tables.get("scores.csv")
    assert scores.target.tolist() == ["qab"] and scores.score.tolist() == [80.0]
    assert list(tables.failed) == ["scores.csv"] and len(tables.failed["scores.csv"]) == 1
    text = core.markdown([], failed=tables.failed)
    assert "**Failed runs left out**: 1 rows of tables/scores.csv" in text
