"""Tests for accuracy and span F1, with seqeval (strict IOB2) as an oracle."""

from __future__ import annotations

import random

import pytest
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from xlt.tasks import metrics
from xlt.tasks.metrics import (
    accuracy,
    answer_f1,
    entity_spans,
    exact_match,
    normalize_answer,
    repair_bio,
    span_f1,
    squad_scores,
)


def test_accuracy_hand_checked():
    gold = [["B-PER", "I-PER", "O"], ["O", "B-LOC", "O"]]
    pred = [["B-PER", "I-PER", "O"], ["O", "B-ORG", "O"]]
    assert accuracy(gold, pred) == pytest.approx(5 / 6)
    assert accuracy([["NOUN", "VERB"]], [["NOUN", "VERB"]]) == 1.0


@pytest.mark.parametrize("metric", [accuracy, span_f1])
def test_misaligned_input_rejected(metric):
    with pytest.raises(ValueError, match="sentence 1: gold has 2 tags but pred has 1"):
        metric([["O"], ["O", "O"]], [["O"], ["O"]])
    with pytest.raises(ValueError, match="gold has 2 sentences but pred has 1"):
        metric([["O"], ["O"]], [["O"]])
    with pytest.raises(ValueError, match="no tokens"):
        metric([], [])
    with pytest.raises(ValueError, match="no tokens"):
        metric([[]], [[]])


@pytest.mark.parametrize(
    ("tags", "repaired"),
    [
        (["I-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"]),
        (["O", "I-ORG", "I-ORG", "B-ORG", "I-ORG"], ["O", "B-ORG", "I-ORG", "B-ORG", "I-ORG"]),
        (["B-PER", "I-LOC", "I-LOC"], ["B-PER", "B-LOC", "I-LOC"]),
        (["I-PER", "O", "I-PER"], ["B-PER", "O", "B-PER"]),
        (["B-MISC", "B-MISC", "I-MISC"], ["B-MISC", "B-MISC", "I-MISC"]),
        (["O", "O"], ["O", "O"]),
        ([], []),
    ],
)
def test_repair_bio(tags, repaired):
    assert repair_bio(tags) == repaired
    assert repair_bio(repaired) == repaired  # idempotent


@pytest.mark.parametrize("tag", ["E-PER", "S-PER", "B-", "PER", "o"])
def test_repair_bio_rejects_non_iob(tag):
    with pytest.raises(ValueError, match=repr(tag)):
        repair_bio(["O", tag])


def test_entity_spans():
    assert entity_spans(["I-PER", "I-PER", "O"]) == [("PER", 0, 2)]
    tags = ["B-ORG", "I-ORG", "B-ORG", "O", "I-LOC", "B-PER"]
    assert entity_spans(tags) == [("ORG", 0, 2), ("ORG", 2, 3), ("LOC", 4, 5), ("PER", 5, 6)]
    assert entity_spans(["O", "O"]) == []


def test_span_f1_one_of_two():
    scores = span_f1([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-ORG"]])
    assert scores == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "n_gold": 2,
        "n_pred": 2,
        "n_correct": 1,
    }


def test_span_f1_repairs_iob1_prediction():
    scores = span_f1([["B-PER", "I-PER", "O"]], [["I-PER", "I-PER", "O"]])
    assert (scores["f1"], scores["n_pred"], scores["n_correct"]) == (1.0, 1, 1)


def test_span_f1_partial_overlap_is_wrong():
    scores = span_f1([["B-ORG", "I-ORG", "I-ORG"]], [["B-ORG", "I-ORG", "O"]])
    assert (scores["precision"], scores["recall"], scores["f1"]) == (0.0, 0.0, 0.0)
    assert (scores["n_gold"], scores["n_pred"], scores["n_correct"]) == (1, 1, 0)


def test_span_f1_no_spans():
    only_o = span_f1([["O", "O"]], [["O", "O"]])
    assert (only_o["f1"], only_o["n_gold"], only_o["n_pred"]) == (0.0, 0, 0)
    missed = span_f1([["B-LOC", "O"]], [["O", "O"]])
    assert (missed["precision"], missed["recall"], missed["f1"]) == (0.0, 0.0, 0.0)
    spurious = span_f1([["O", "O"]], [["B-LOC", "O"]])
    assert (spurious["precision"], spurious["recall"], spurious["f1"]) == (0.0, 0.0, 0.0)


def test_span_f1_over_sentences():
    # Gold: PER, LOC | ORG (3). Pred: PER, MISC | ORG, LOC (4). Correct: PER, ORG.
    gold = [["B-PER", "O", "B-LOC", "I-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "O", "B-MISC", "I-MISC"], ["B-ORG", "I-ORG", "B-LOC"]]
    scores = span_f1(gold, pred)
    assert (scores["n_gold"], scores["n_pred"], scores["n_correct"]) == (3, 4, 2)
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(4 / 7)
    # The same span in another sentence does not count.
    assert span_f1([["B-PER"], ["O"]], [["O"], ["B-PER"]])["n_correct"] == 0


TAGS = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def _random_corpus(rng: random.Random, n_sentences: int) -> list[list[str]]:
    return [[rng.choice(TAGS) for _ in range(rng.randint(1, 8))] for _ in range(n_sentences)]


def _perturb(rng: random.Random, corpus: list[list[str]], noise: float) -> list[list[str]]:
    """A noisy copy, so that predictions share some spans with gold."""
    return [[rng.choice(TAGS) if rng.random() < noise else t for t in s] for s in corpus]


@pytest.mark.parametrize("seed", range(200))
def test_span_f1_matches_seqeval(seed):
    rng = random.Random(seed)
    gold = _random_corpus(rng, rng.randint(1, 4))
    noise = 1.0 if seed % 4 == 0 else 0.3  # every 4th case: unrelated prediction
    pred = _perturb(rng, gold, noise)
    scores = span_f1(gold, pred)
    y_true = [repair_bio(s) for s in gold]
    y_pred = [repair_bio(s) for s in pred]
    kwargs = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    assert scores["f1"] == pytest.approx(f1_score(y_true, y_pred, **kwargs))
    assert scores["precision"] == pytest.approx(precision_score(y_true, y_pred, **kwargs))
    assert scores["recall"] == pytest.approx(recall_score(y_true, y_pred, **kwargs))


# --- SQuAD v1.1 answer scoring -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("The Eiffel Tower", "eiffel tower"),
        ("Eiffel tower!", "eiffel tower"),
        ("  in   Paris,\tFrance. ", "in paris france"),
        ("an apple a day", "apple day"),
        ("The theatre", "theatre"),  # "the" only as a whole word
        ("(the) answer", "answer"),  # punctuation goes first, then the article
        ("State-of-the-Art", "stateoftheart"),  # no spaces appear where punctuation was
        ("U.S.", "us"),
        ("«Paris»", "«paris»"),  # only ASCII punctuation is removed
        ("巴黎。", "巴黎。"),
        ("The.", ""),
    ],
)
def test_normalize_answer(text, normalized):
    assert normalize_answer(text) == normalized


def test_exact_match_and_f1_hand_checked():
    # "the eiffel tower" -> "eiffel tower" == "eiffel tower" <- "Eiffel tower!"
    assert exact_match("the Eiffel Tower", ["Eiffel tower!"]) == 1.0
    assert answer_f1("the Eiffel Tower", ["Eiffel tower!"]) == 1.0
    # [in, paris, france] vs [paris]: 1 shared, precision 1/3, recall 1/1,
    # F1 = 2 * (1/3) * 1 / (1/3 + 1) = (2/3) / (4/3) = 0.5
    assert exact_match("in Paris France", ["Paris"]) == 0.0
    assert answer_f1("in Paris France", ["Paris"]) == pytest.approx(0.5)
    # [cat] vs [dog] after dropping the articles: no overlap
    assert (exact_match("a cat", ["the dog"]), answer_f1("a cat", ["the dog"])) == (0.0, 0.0)
    # tokens are counted as bags: [cat, cat, dog] vs [cat, dog, dog] share cat once
    # and dog once: precision 2/3, recall 2/3, F1 2/3
    assert answer_f1("cat cat dog", ["cat dog dog"]) == pytest.approx(2 / 3)


def test_scores_take_the_best_gold_answer():
    # [city, of, paris] vs [paris]: P 1/3, R 1, F1 0.5;
    # vs [paris, city]: P 2/3, R 2/2, F1 = 2 * (2/3) / (5/3) = 0.8
    assert answer_f1("the city of Paris", ["Paris", "Paris city"]) == pytest.approx(0.8)
    assert exact_match("Paris", ["in Paris France", "Paris, France", "paris"]) == 1.0
    assert exact_match("Paris", ["in Paris France", "Paris, France"]) == 0.0


def test_empty_normalised_prediction():
    assert (exact_match("The.", ["Paris"]), answer_f1("The.", ["Paris"])) == (0.0, 0.0)
    assert answer_f1("", ["Paris"]) == 0.0
    # as in the v1.1 evaluation: two empty normalised texts are equal (EM 1)
    # but share no token (F1 0)
    assert (exact_match("", ["the"]), answer_f1("", ["the"])) == (1.0, 0.0)


def test_text_without_spaces_is_one_token():
    # "法国巴黎" vs "巴黎": one whitespace token each, not equal: F1 is 0 although
    # the prediction contains the answer (F1 degenerates to exact match here)
    assert answer_f1("法国巴黎", ["巴黎"]) == 0.0
    assert answer_f1("法国 巴黎", ["巴黎"]) == pytest.approx(2 / 3)


def test_squad_scores_hand_checked():
    predictions = ["the Eiffel Tower", "in Paris France", "a cat"]
    golds = [["Eiffel tower!"], ["Paris", "Paris, France"], ["the dog"]]
    scores = squad_scores(predictions, golds)
    # EM: (1 + 0 + 0) / 3 * 100 = 33.33...
    assert scores["exact_match"] == pytest.approx(100 / 3)
    # F1: question 2's best gold is "Paris, France" -> [paris, france]: P 2/3, R 1,
    # F1 = 2 * (2/3) / (5/3) = 0.8; (1 + 0.8 + 0) / 3 * 100 = 60
    assert scores["f1"] == pytest.approx(60.0)
    assert scores["questions"] == 3


def test_squad_scores_rejects_bad_input():
    with pytest.raises(ValueError, match="2 predictions but 1 questions"):
        squad_scores(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="no questions"):
        squad_scores([], [])
    with pytest.raises(ValueError, match="question 1: no gold answers"):
        squad_scores(["a", "b"], [["a"], []])
    with pytest.raises(ValueError, match="no gold answers"):
        answer_f1("a", [])


def test_sentence_counts_sum_to_the_corpus_score():
    gold = [["B-PER", "I-PER", "O"], ["B-LOC", "O"], ["O"]]
    pred = [["B-PER", "I-PER", "O"], ["B-ORG", "O"], ["B-LOC"]]
    # sentence 1: one exact match; 2: a wrong type; 3: a spurious entity
    assert metrics.sentence_counts("span_f1", gold, pred) == [(1, 1, 1), (0, 1, 1), (0, 1, 0)]
    # F1 = 2 * 1 / (3 + 2) = 0.4, as span_f1 computes it
    assert metrics.score_from_counts([1, 0, 0], [1, 1, 1], [1, 1, 0]) == pytest.approx(40.0)
    assert metrics.span_f1(gold, pred)["f1"] == pytest.approx(0.4)
    # accuracy: hits are the correct words, both totals the words (2 of 3, 1 of 2, 0 of 1)
    counts = metrics.sentence_counts("accuracy", gold, pred)
    assert counts == [(3, 3, 3), (1, 2, 2), (0, 1, 1)]
    assert metrics.score_from_counts(*zip(*counts, strict=True)) == pytest.approx(100 * 4 / 6)
    assert metrics.score_from_counts([], [], []) == 0.0
    with pytest.raises(ValueError, match="no per-sentence counts for metric 'uas'"):
        metrics.sentence_counts("uas", gold, pred)


def test_one_class_for_everything_is_a_degenerate_prediction():
    from xlt import tasks
    from xlt.tasks.metrics import one_class

    gold = [["B-PER", "O", "O"], ["O", "B-LOC"]]
    assert one_class(gold, [["O", "O", "O"], ["O", "O"]])
    assert not one_class(gold, [["O", "O", "B-LOC"], ["O", "O"]])
    assert not one_class([["NOUN", "NOUN"]], [["NOUN", "NOUN"]])  # the gold has one class too
    result = tasks.score("ner", gold, [["O", "O", "O"], ["O", "O"]])
    assert result["score"] == 0.0 and result["degenerate"] is True
    assert tasks.score("pos", [["NOUN", "VERB"]], [["NOUN", "VERB"]])["degenerate"] is False
