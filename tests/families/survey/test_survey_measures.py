"""The survey's pair measures and correlations on hand-checked examples: entity
word pieces and their overlap, shared word-order features, the all-pairs table,
Pearson and Spearman over the transfer pairs."""

import math

import numpy as np
import pandas as pd
import pytest

from xlt.encoders.embedded import train_tokenizer
from xlt.families.survey.correlations import correlation, join_measure
from xlt.families.survey.overlap import entity_pieces, entity_words, jaccard, overlap_rows
from xlt.families.survey.tables import all_pairs, pair_measures
from xlt.families.survey.word_order import agreement_rows
from xlt.languages.table import build_language_table


def ner(words, labels):
    return {"words": words.split(), "labels": labels.split()}


RECORDS = [
    ner("Anna lives in Old Town", "B-PER O O B-LOC I-LOC"),
    ner("nothing here", "O O"),
    ner("Acme hired Bo", "B-ORG O B-PER"),
]


def test_entity_words_are_the_words_inside_bio_spans():
    assert entity_words("ner", RECORDS) == [["Anna", "Old", "Town"], [], ["Acme", "Bo"]]


def test_entity_pieces_are_the_tokenizer_pieces_of_entity_words_only():
    tokenizer = train_tokenizer(["anna lives in old town", "acme hired bo"] * 20, vocab_size=70)
    pieces = entity_pieces(tokenizer, "ner", RECORDS)
    expected = set()
    for word in ("Anna", "Old", "Town", "Acme", "Bo"):
        expected |= set(tokenizer.tokenize(word))
    assert pieces == expected
    assert entity_pieces(tokenizer, "ner", [RECORDS[1]]) == set()


def test_jaccard_by_hand():
    assert jaccard({"a", "b", "c"}, {"b", "c", "d", "e"}) == pytest.approx(2 / 5)
    assert jaccard({"a"}, {"a"}) == 1.0
    assert math.isnan(jaccard(set(), set()))


def test_overlap_rows_pair_every_source_with_every_target():
    rows = overlap_rows({"x": {"a", "b"}, "y": {"c"}}, {"x": {"a"}, "y": {"a", "c"}})
    table = {(r["source"], r["target"]): r["overlap"] for r in rows}
    assert table == {("x", "x"): 0.5, ("x", "y"): 1 / 3, ("y", "x"): 0.0, ("y", "y"): 0.5}
    assert rows[1]["shared"] == 1 and rows[1]["train_pieces"] == 2 and rows[1]["eval_pieces"] == 2


def language(code, **syntax):
    return {"code": code, "name": code, "family": "F", "area": "A", "kind": "synthetic",
            "features": {"syntax": syntax}}  # fmt: skip


TABLE = build_language_table([
    language("aa", S_SVO=1, S_SOV=0, S_ADJ=1),
    language("bb", S_SVO=0, S_SOV=1, S_ADJ=1),
    language("cc", S_SVO=1, S_SOV=0, S_ADJ="--"),
])  # fmt: skip


def test_word_order_agreement_counts_known_equal_features():
    rows = agreement_rows(TABLE, ["aa", "bb", "cc"], "syntax", ["S_SVO", "S_SOV", "S_ADJ"])
    got = {(r["source"], r["target"]): (r["shared"], r["compared"]) for r in rows}
    assert got[("aa", "bb")] == (1, 3)  # only S_ADJ agrees
    assert got[("aa", "cc")] == (2, 2)  # S_ADJ unknown for cc: not compared
    assert got[("bb", "cc")] == (0, 2)
    assert got[("aa", "aa")] == (3, 3)
    assert len(rows) == 9


def test_word_order_names_missing_features_and_languages():
    with pytest.raises(KeyError, match="syntax:S_VSO"):
        agreement_rows(TABLE, ["aa"], "syntax", ["S_SVO", "S_VSO"])
    with pytest.raises(KeyError, match="dd"):
        agreement_rows(TABLE, ["aa", "dd"], "syntax", ["S_SVO"])


def test_correlations_leave_the_diagonal_out_and_match_hand_values():
    # transfer pairs: x = 1, 2, 3 with y = 1, 3, 2 -> r = 0.5 (deviations -1,0,1 and
    # -1,1,0: sum of products 1 over sqrt(2 * 2)); ranks are the values: rho = 0.5
    frame = pd.DataFrame({
        "source": ["a", "a", "b", "b"], "target": ["a", "b", "a", "c"],
        "value": [100.0, 1.0, 2.0, 3.0], "score": [-50.0, 1.0, 3.0, 2.0],
    })  # fmt: skip
    result = correlation(frame, "value")
    assert result["n"] == 3
    assert result["pearson_r"] == pytest.approx(0.5)
    assert result["spearman_rho"] == pytest.approx(0.5)
    constant = frame.assign(value=1.0)
    assert math.isnan(correlation(constant, "value")["pearson_r"])


def scores(rows):
    return pd.DataFrame(rows, columns=["task", "source", "target", "seed", "score"])


def test_measures_join_the_mean_score_over_seeds_and_name_missing_pairs():
    table = scores([("ner", "a", "b", 1, 40.0), ("ner", "a", "b", 2, 50.0),
                    ("ner", "b", "a", 1, 10.0)])  # fmt: skip
    measure = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "value": [0.5, 0.1]})
    joined = join_measure(table, measure, "ner")
    assert joined.score.tolist() == [45.0, 10.0]
    assert joined.seeds.tolist() == [2, 1]
    with pytest.raises(ValueError, match="b->c"):
        join_measure(table, pd.concat([measure, pd.DataFrame(
            {"source": ["b"], "target": ["c"], "value": [0.2]})]), "ner")  # fmt: skip
    pairs, corr = pair_measures(table, {"overlap": ("ner", measure)})
    assert list(pairs.analysis) == ["overlap", "overlap"] and corr.n.tolist() == [2]


def test_all_pairs_from_zero_shot_keeps_single_sources_of_the_list_in_order():
    frame = pd.DataFrame({
        "method": ["zero_shot"] * 4 + ["few_shot"],
        "task": ["pos", "pos", "pos", "ner", "pos"],
        "source": ["b", "a", "a+b", "a", "a"], "target": ["a", "b", "a", "a", "a"],
        "seed": [1] * 5, "score": [1.0, 2.0, 3.0, 4.0, 5.0],
    })  # fmt: skip
    table = all_pairs([frame], "zero_shot", ["a", "b"], ["pos"])
    assert table[["source", "target", "score"]].values.tolist() == [
        ["a", "b", 2.0],
        ["b", "a", 1.0],
    ]
    with pytest.raises(ValueError, match="task=pos, source=a, target=b"):
        all_pairs([frame, frame], "zero_shot", ["a", "b"], ["pos"])
    assert np.array_equal(
        all_pairs([frame.drop(columns="method")], "frozen", ["a"], ["ner"]).score, [4.0]
    )
