"""Similarity features, correlations and meta-regression over a scores table
(xlt.families.zero_shot.analysis), on a hand-made language table."""

import numpy as np
import pandas as pd
import pytest

from xlt.core.regression import meta_regression
from xlt.families.zero_shot.analysis import analyse, markdown, similarities

# The source qaa and five targets: "syntax" varies; "flat" is the same for every target.
LANGUAGES = pd.DataFrame(
    {
        "code": ["qaa", "qab", "qac", "qad", "qae", "qaf"],
        "syntax:A": [1.0, 1.0, 1.0, 0.0, 1.0, 0.0],
        "syntax:B": [0.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        "syntax:C": [1.0, 1.0, 0.0, 0.0, 1.0, 1.0],
        "flat:X": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    }
)
# cosine to qaa = (1, 0, 1)/sqrt(2): qab (1,0,1) -> 1; qac (1,1,0) -> 1/2;
# qad (0,1,0) -> 0; qae (1,1,1) -> 2/sqrt(6); qaf (0,1,1) -> 1/2
SYN = {"qab": 1.0, "qac": 0.5, "qad": 0.0, "qae": 2 / np.sqrt(6), "qaf": 0.5}
SCORES = {"qaa": 95.0, "qab": 90.0, "qac": 60.0, "qad": 20.0, "qae": 70.0, "qaf": 50.0}


def scores(task="pos", targets=SCORES, seeds=(1, 2)):
    rows = [
        ("default", "zero_shot", task, "accuracy", "qaa", target, seed, value + seed - 1.5)
        for target, value in targets.items()
        for seed in seeds
    ]
    columns = ["experiment", "method", "task", "metric", "source", "target", "seed", "score"]
    return pd.DataFrame(rows, columns=columns)


def test_similarity_to_the_source_by_hand():
    table = similarities(LANGUAGES, "qaa", list(SYN), ["syntax", "flat"])
    assert table.syntax.to_dict() == pytest.approx(SYN)
    assert table.flat.tolist() == pytest.approx([1.0] * 5)
    # a source set: the nearest member (qab is itself a source: 1.0)
    both = similarities(LANGUAGES, "qaa+qad", ["qab", "qac"], ["syntax"])
    assert both.syntax.tolist() == pytest.approx([1.0, max(0.5, 1 / np.sqrt(2))])


def test_analysis_correlates_the_seed_means_and_leaves_out_what_it_cannot_use():
    frame = pd.concat([scores("pos"), scores("ner", {"qaa": 80, "qab": 70, "qac": 40})])
    correlation, regression, notes, samples = analyse(frame, LANGUAGES, ["syntax", "flat"])
    # pos: the source is not a sample; the means over seeds (the values above) are
    syn = np.array(list(SYN.values()))
    y = np.array([SCORES[t] for t in SYN])
    row = correlation.set_index(["task", "feature"]).loc[("pos", "syntax")]
    assert row.pearson == pytest.approx(np.corrcoef(syn, y)[0, 1])
    assert row.languages == 5
    expected = meta_regression(pd.DataFrame({"syntax": syn, "score": y}), "score", ["syntax"])
    fit = regression.set_index("task").loc["pos"]
    assert fit.selected == "syntax (1.00)" and fit.pearson == pytest.approx(expected.pearson)
    assert set(correlation.feature) == {"syntax"}
    assert notes == [
        "default: ner (zero_shot, from qaa): 2 target languages besides the source; "
        "at least 4 are needed",
        "default: pos (zero_shot, from qaa): flat left out, the same for every target (1.000)",
    ]
    # the scatter plots' points: pos's five targets, syntax only
    points = samples.set_index("target")
    assert set(samples.feature) == {"syntax"} and set(samples.task) == {"pos"}
    assert points.value.to_dict() == pytest.approx(SYN)
    assert points.score.to_dict() == pytest.approx({t: SCORES[t] for t in SYN})
    text = markdown(correlation, regression, notes)
    assert "| default | pos | zero_shot | qaa | " in text and "### Left out" in text


def test_size_comes_from_the_encoders_pretraining_corpora():
    from xlt.languages.uriel import size_model

    assert size_model("bert-base-multilingual-cased") == "mbert"
    assert size_model("FacebookAI/xlm-roberta-base") == "xlmr"
    assert size_model("/models/xlm-roberta-large/") == "xlmr"
    assert size_model("embedded") is None


def test_size_is_the_z_normalised_corpus_size_of_the_targets():
    from xlt.languages.uriel import size_feature

    targets = {"en": 90.0, "de": 80.0, "fi": 60.0, "ja": 30.0, "ko": 40.0, "tr": 55.0}
    languages = pd.DataFrame(
        {
            "code": list(targets),
            "syntax:A": [1.0, 1.0, 0.0, 0.0, 0.0, 1.0],
            "syntax:B": [0.0, 0.5, 1.0, 1.0, 0.8, 0.2],
        }
    )
    frame = scores(targets=targets).assign(source="en")
    correlation, _, notes, _ = analyse(frame, languages, ["syntax"], {"default": "mbert"})
    size = correlation.set_index("feature").loc["SIZE"]
    z = size_feature(["de", "fi", "ja", "ko", "tr"], "mbert")
    y = [targets[t] for t in z]
    assert size.pearson == pytest.approx(np.corrcoef(list(z.values()), y)[0, 1])
    assert notes == []


def test_the_scatter_plots_have_a_panel_per_group_and_feature():
    from xlt.families.zero_shot.plots import transfer_features

    frame = pd.concat([scores("pos"), scores("ner")])
    samples = analyse(frame, LANGUAGES, ["syntax"], {})[3]
    style = {"style": "default", "dpi": 50}
    fig = transfer_features(samples, style)
    titles = sorted(ax.get_title() for ax in fig.axes)
    assert len(titles) == 2 and titles[1].startswith("pos: syntax, r = ")
    # five points per panel, one per target
    assert all(len(ax.lines[0].get_xdata()) == 5 for ax in fig.axes)
    empty = transfer_features(samples.iloc[:0], style)
    assert "no task with enough targets" in empty.axes[0].texts[0].get_text()


# "inv" is empty for qad (no value at all, as lang2vec's non-imputed sets can be):
# qad is missing there, never a zero vector
WITH_EMPTY = LANGUAGES.assign(
    **{"inv:P": [1.0, 1.0, 0.0, np.nan, 1.0, 0.0], "inv:Q": [0.0, 1.0, 1.0, np.nan, 0.0, 1.0]}
)


def test_a_language_without_values_is_missing_not_a_zero_vector():
    table = similarities(WITH_EMPTY, "qaa", list(SYN), ["syntax", "inv"])
    assert np.isnan(table.loc["qad", "inv"])
    # the others by hand: qaa (1, 0); qab (1, 1) -> 1/sqrt(2), qac (0, 1) -> 0,
    # qae (1, 0) -> 1, qaf (0, 1) -> 0
    assert table.inv.drop("qad").tolist() == pytest.approx([1 / np.sqrt(2), 0.0, 1.0, 0.0])
    assert table.loc["qad", "syntax"] == 0.0  # its other sets are unaffected


def test_missing_values_pairwise_or_listwise():
    frame = scores("pos")
    pairwise, regression, notes, _ = analyse(frame, WITH_EMPTY, ["syntax", "inv"])
    counts = pairwise.set_index("feature").languages.to_dict()
    assert counts == {"syntax": 5, "inv": 4}  # qad left out of inv's correlation only
    assert "default: pos (zero_shot, from qaa): qad without values in inv: missing there" in notes
    assert regression.languages.tolist() == [4]  # the regression needs every value
    listwise, _, _, _ = analyse(frame, WITH_EMPTY, ["syntax", "inv"], missing="listwise")
    assert listwise.set_index("feature").languages.to_dict() == {"syntax": 4, "inv": 4}
    with pytest.raises(ValueError, match="missing must be pairwise or listwise"):
        analyse(frame, WITH_EMPTY, ["syntax"], missing="zero")


def test_variants_side_by_side():
    from xlt.families.zero_shot.analysis import variants

    correlation, regression = variants(
        scores("pos"), WITH_EMPTY, ["syntax", "inv"], {"syntax only": ["syntax"]}
    )
    assert list(correlation.columns[:4]) == ["variant", "codes", "size_measure", "missing"]
    keys = correlation[["variant", "missing", "feature"]].apply(tuple, axis=1).tolist()
    assert keys == [
        ("used", "pairwise", "syntax"), ("used", "pairwise", "inv"),
        ("used", "listwise", "syntax"), ("used", "listwise", "inv"),
        ("syntax only", "pairwise", "syntax"), ("syntax only", "listwise", "syntax"),
    ]  # fmt: skip
    assert set(correlation.codes) == set(correlation.size_measure) == {"used"}
    assert len(regression) == 4


def test_variants_one_choice_at_a_time():
    from xlt.families.zero_shot.analysis import variants

    frame = scores("pos")
    # qad re-coded: its inv values known, (1, 0) like the source's -> similarity 1
    recoded = WITH_EMPTY.copy()
    recoded.loc[recoded.code == "qad", ["inv:P", "inv:Q"]] = [1.0, 0.0]
    correlation, _ = variants(frame, WITH_EMPTY, ["inv"], code_tables={"other": recoded})
    pairwise = correlation[correlation.missing == "pairwise"].set_index("codes")
    assert pairwise.languages.to_dict() == {"used": 4, "other": 5}
    # SIZE under every measure of the corpus: one run per other measure, only the
    # rows of the experiments whose SIZE it changes, each naming its measure
    real = dict(
        zip(["qab", "qac", "qad", "qae", "qaf"], ["de", "fi", "ja", "sw", "ur"], strict=True)
    )
    sized = pd.concat([frame, frame.assign(experiment="other")], ignore_index=True)
    sized["target"] = sized.target.replace(real)  # targets with CC-100 sizes
    table = WITH_EMPTY.assign(code=WITH_EMPTY.code.replace(real))
    correlation, _ = variants(sized, table, ["syntax"], sizes={"default": "xlmr"})
    size_rows = correlation[(correlation.feature == "SIZE") & (correlation.missing == "pairwise")]
    assert size_rows[["experiment", "size_measure"]].apply(tuple, axis=1).tolist() == [
        ("default", "used"),
        ("default", "cc100_tokens_m"),
    ]  # used: cc100_gib, XLM-R's first measure
    other = correlation[correlation.experiment == "other"]
    assert set(other.size_measure) == {"used"} and len(other) == 2  # syntax, pairwise + listwise
