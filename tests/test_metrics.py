"""Tests for accuracy and span F1, with seqeval (strict IOB2) as an oracle."""

from __future__ import annotations

import random

import pytest
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from xlt.tasks.metrics import accuracy, entity_spans, repair_bio, span_f1


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
