"""Feature correlations and the leave-one-out meta-regression (xlt.core.regression),
with values worked out by hand and checked against scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from xlt.core.regression import correlations, loocv_predictions, meta_regression


def test_leave_one_out_predictions_by_hand():
    # x = 0 1 2 3, y = 0 1 1 3; each point predicted by the line through the others:
    # without x=0: (1,1) (2,1) (3,3): slope Sxy/Sxx = 2/2 = 1, intercept 5/3 - 2 = -1/3
    # without x=1: (0,0) (2,1) (3,3): slope (13/3)/(14/3) = 13/14, intercept
    #   4/3 - 13/14 * 5/3 = -3/14, at 1: 10/14 = 5/7
    # without x=2: (0,0) (1,1) (3,3) lie on y = x: 2
    # without x=3: (0,0) (1,1) (2,1): slope 1/2, intercept 2/3 - 1/2 = 1/6, at 3: 5/3
    predicted = loocv_predictions(np.array([[0], [1], [2], [3]]), np.array([0, 1, 1, 3]))
    assert predicted == pytest.approx([-1 / 3, 5 / 7, 2, 5 / 3])


def test_correlations_by_hand_and_against_scipy():
    frame = pd.DataFrame({"score": [1, 2, 4], "a": [1, 2, 3], "b": [3, 1, 2]})
    table = correlations(frame, "score", ["a", "b"])
    # a: dx = -1 0 1, dy = -4/3 -1/3 5/3: Sxy = 3, Sxx = 2, Syy = 42/9,
    # r = 3 / sqrt(2 * 42/9) = 9 / sqrt(84); ranks agree: rho = 1
    assert table.loc["a", "pearson"] == pytest.approx(9 / math.sqrt(84))
    assert table.loc["a", "spearman"] == pytest.approx(1.0)
    for feature in ("a", "b"):
        r, p = stats.pearsonr(frame[feature], frame.score)
        rho, p_rho = stats.spearmanr(frame[feature], frame.score)
        assert table.loc[feature, ["pearson", "pearson_p"]].tolist() == pytest.approx([r, p])
        assert table.loc[feature, ["spearman", "spearman_p"]].tolist() == pytest.approx(
            [rho, p_rho]
        )
    assert table.languages.tolist() == [3, 3]


def test_a_constant_feature_or_missing_column_is_named():
    frame = pd.DataFrame({"score": [1, 2, 4, 5], "a": [1, 2, 3, 4], "flat": [0.5] * 4})
    with pytest.raises(ValueError, match="column 'flat' is constant"):
        correlations(frame, "score", ["a", "flat"])
    with pytest.raises(ValueError, match="column 'flat' is constant"):
        meta_regression(frame, "score", ["a", "flat"])
    with pytest.raises(ValueError, match="no column.*size"):
        correlations(frame, "score", ["size"])


def test_missing_values_are_named_with_their_rows():
    frame = pd.DataFrame(
        {"target": ["de", "ar", "tr", "vi"], "score": [80.0, float("nan"), 50.0, 40.0],
         "SYN": [0.1, 0.5, 0.6, 0.7]}
    )  # fmt: skip
    message = r"column 'score' has missing values \(rows of target ar\)"
    with pytest.raises(ValueError, match=message):
        correlations(frame, "score", ["SYN"])


def test_an_exactly_linear_feature_is_chosen_alone():
    frame = pd.DataFrame(
        {
            "score": [2.0, 4, 6, 8, 10, 12],
            "syn": [1.0, 2, 3, 4, 5, 6],  # score = 2 syn
            "size": [0.3, -1.0, 0.8, 0.1, -0.4, 0.9],
        }
    )
    result = meta_regression(frame, "score", ["size", "syn"])
    # syn predicts every left-out language exactly: r = 1 and no error; adding
    # size keeps r at 1, which is no gain, so the search stops
    assert result.features == ["syn"] and result.weights == {"syn": pytest.approx(1.0)}
    assert result.pearson == pytest.approx(1.0) and result.spearman == pytest.approx(1.0)
    assert result.mae == pytest.approx(0.0, abs=1e-9) and result.languages == 6
    assert [f for f, _ in result.path] == ["syn"]


def test_greedy_selection_adds_features_while_they_help():
    rng = np.random.default_rng(0)
    syn, size, noise = rng.normal(size=(3, 12))
    frame = pd.DataFrame(
        {"score": 3 * syn + 2 * size + 0.3 * noise, "syn": syn, "size": size, "geo": noise[::-1]}
    )
    result = meta_regression(frame, "score", ["geo", "size", "syn"])
    y = frame.score.to_numpy()

    def loocv_r(chosen):
        return np.corrcoef(loocv_predictions(frame[chosen].to_numpy(), y), y)[0, 1]

    # the first feature is the best single one, the second the best addition to it
    first = max(["geo", "size", "syn"], key=lambda f: loocv_r([f]))
    assert result.features[:2] == [first, "size" if first == "syn" else "syn"]
    assert result.path[0][1] == pytest.approx(loocv_r([first]))
    # every step raised the leave-one-out Pearson; the next candidate would not
    assert all(b[1] > a[1] for a, b in zip(result.path, result.path[1:], strict=False))
    rest = [f for f in ["geo", "size", "syn"] if f not in result.features]
    assert all(loocv_r([*result.features, f]) <= result.pearson for f in rest)
    assert sum(result.weights.values()) == pytest.approx(1.0)
    # syn's coefficient (3) outweighs size's (2) on z-scored features of equal spread
    assert result.weights["syn"] > result.weights["size"]


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_ties_go_to_the_feature_listed_first():
    frame = pd.DataFrame({"score": [1.0, 3, 2, 5, 4], "a": [1.0, 2, 3, 4, 5]})
    frame["a_again"] = frame.a
    assert meta_regression(frame, "score", ["a_again", "a"]).features == ["a_again"]


def test_published_zero_shot_scores_load_and_agree_across_the_papers_tables():
    from conftest import ROOT

    scores = pd.read_csv(ROOT / "metadata/lauscher2020_zero_shot.csv", comment="#")
    counts = scores.groupby(["experiment", "task"]).size().to_dict()
    # 12 targets for DEP/POS/NER, 14 for XNLI, 10 for XQuAD, each with English
    assert counts == {
        ("lauscher2020-mbert", "dep"): 13,
        ("lauscher2020-mbert", "ner"): 13,
        ("lauscher2020-mbert", "pos"): 13,
        ("lauscher2020-mbert", "qa"): 11,
        ("lauscher2020-mbert", "xnli"): 15,
        ("lauscher2020-xlmr", "qa"): 11,
        ("lauscher2020-xlmr", "xnli"): 15,
    }
    score = scores.set_index(["experiment", "task", "target"]).score
    # Table 5's per-language scores are Table 1's English score plus its drop (both rounded)
    assert score["lauscher2020-mbert", "dep", "zh"] == pytest.approx(92.3 - 40.9, abs=0.1)
    assert score["lauscher2020-mbert", "pos", "ja"] == pytest.approx(95.5 - 47.3, abs=0.1)
    assert score["lauscher2020-mbert", "xnli", "sw"] == pytest.approx(82.8 - 33.0, abs=0.1)
    assert score["lauscher2020-mbert", "qa", "th"] == pytest.approx(71.1 - 43.2, abs=0.1)
    assert score["lauscher2020-xlmr", "qa", "zh"] == pytest.approx(72.5 - 26.2)
    assert set(scores.metric[scores.task == "dep"]) == {"uas"}
