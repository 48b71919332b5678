"""Sentence-pair classification: the pair reaches the encoder as one input, the
head learns, predictions come back in the records' order, accuracy by hand."""

import random

import pytest

from conftest import TOY_SETTINGS, tiny_encoder, train_toy
from xlt.encoders.loading import load_encoder
from xlt.task_models import registry as models
from xlt.task_models.storage import load_classifier

SETTINGS = TOY_SETTINGS
NOUNS = ["kat", "dom", "ruvi", "selo"]
# the hypothesis's verb decides the class: the pair's second text must be read
VERBS = {"sel": "entailment", "nim": "neutral", "bero": "contradiction"}


def toy_pair(rng):
    premise = f"la {rng.choice(NOUNS)} {rng.choice(list(VERBS))} la {rng.choice(NOUNS)} ."
    verb = rng.choice(list(VERBS))
    return {
        "premise": premise,
        "hypothesis": f"la {rng.choice(NOUNS)} {verb} .",
        "label": VERBS[verb],
    }


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    root = tmp_path_factory.mktemp("pairs")
    rng = random.Random(0)
    train = [toy_pair(rng) for _ in range(240)]
    dev = [toy_pair(rng) for _ in range(60)]
    texts = [f"{p['premise']} {p['hypothesis']}" for p in train]
    tiny_encoder(texts, root / "encoder", epochs=1)
    return {"root": root, "train": train, "dev": dev, "encoder": root / "encoder"}


def test_pair_encoding_holds_both_texts(toy):
    tokenizer, _ = load_encoder(toy["encoder"])
    task_model = models.for_task("xnli", tokenizer, 64)
    (unit,) = task_model.units(toy["train"][:1])
    tokens = tokenizer.convert_ids_to_tokens(unit.input_ids)
    assert tokens[0] == "[CLS]" and tokens.count("[SEP]") == 2 and tokens[-1] == "[SEP]"
    assert unit.label == task_model.labels.index(toy["train"][0]["label"])
    # truncation keeps within max_length, cutting the longer text first
    (short,) = task_model._encode([{**toy["train"][0], "premise": "la kat " * 40}], False)
    assert len(short.input_ids) == 64


def test_classifier_learns_and_predicts_in_order(toy, tmp_path):
    summary = train_toy("xnli", toy, tmp_path, SETTINGS, 64)
    assert summary["best_source_dev_score"] > 90  # three classes: chance is 33 %
    model, tokenizer, labels, info = load_classifier(tmp_path / "model", toy["encoder"], "cpu")
    assert info["task"] == "xnli" and labels == ["entailment", "neutral", "contradiction"]
    task_model = models.for_task("xnli", tokenizer, 64)
    predictions = task_model.predict(model, task_model.prepare(toy["dev"]), "cpu")
    right = sum(p == r["label"] for p, r in zip(predictions, toy["dev"], strict=True))
    assert task_model.score(toy["dev"], predictions) == {
        "metric": "accuracy",
        "score": 100 * right / len(toy["dev"]),
        "examples": len(toy["dev"]),
        "degenerate": False,
    }
    # one class for every example: a failed run
    one = task_model.score(toy["dev"], ["neutral"] * len(toy["dev"]))
    assert one["degenerate"] is True
    task_model.write_predictions(tmp_path / "p.tsv", toy["dev"], predictions)
    lines = (tmp_path / "p.tsv").read_text().splitlines()
    assert lines[0] == "premise\thypothesis\tgold\tpredicted" and len(lines) == 61
