"""The biaffine parser learns trees, always decodes one tree per sentence, and
parses sentences longer than a window; head learning rate and max_steps."""

import random

import pytest
import torch

from conftest import is_tree, tiny_encoder, train_toy
from xlt.encoders.loading import load_encoder
from xlt.task_models import registry as models
from xlt.task_models.storage import load_classifier
from xlt.task_models.training import parameter_groups, total_steps

SETTINGS = {
    "epochs": 6,
    "batch_size": 8,
    "learning_rate": 3e-3,
    "warmup_fraction": 0.1,
    "weight_decay": 0.0,
    "dropout": 0.1,
    "eval_every_steps": 0,
    "checkpoint_every_steps": 50,
    "keep_checkpoints": False,
    "device": "cpu",
}
OPTIONS = {"arc_size": 32, "relation_size": 16, "exclude_upos": []}
NOUNS = ["kat", "dom", "ruvi", "selo", "parka", "miv"]
VERBS = ["sel", "tovar", "nim", "bero"]
ADJS = ["bel", "nuro", "kesa"]


def toy_tree(rng):
    """(DET (ADJ) NOUN) VERB (DET (ADJ) NOUN) (ADP DET NOUN) PUNCT with its UD tree:
    nouns hang on the verb (nsubj, obj, obl), the verb is the root."""
    words, upos, heads, rels = [], [], [], []

    def phrase(relation, with_case=False):
        start = len(words)
        if with_case:
            words.append("po")
            upos.append("ADP")
            rels.append("case")
        words.append("la")
        upos.append("DET")
        rels.append("det")
        if rng.random() < 0.5:
            words.append(rng.choice(ADJS))
            upos.append("ADJ")
            rels.append("amod")
        words.append(rng.choice(NOUNS))
        upos.append("NOUN")
        rels.append(relation)
        noun = len(words)  # 1-based position of the noun
        heads.extend([noun] * (noun - 1 - start))
        heads.append(None)  # the noun's head: the verb, filled in below
        return noun

    subject = phrase("nsubj")
    words.append(rng.choice(VERBS))
    upos.append("VERB")
    rels.append("root")
    heads.append(0)
    verb = len(words)
    nouns = [subject, phrase("obj")]
    if rng.random() < 0.5:
        nouns.append(phrase("obl", with_case=True))
    for noun in nouns:
        heads[noun - 1] = verb
    words.append(".")
    upos.append("PUNCT")
    rels.append("punct")
    heads.append(verb)
    return {"words": words, "upos": upos, "heads": heads, "deprels": rels}


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    root = tmp_path_factory.mktemp("parser")
    rng = random.Random(0)
    train = [toy_tree(rng) for _ in range(160)]
    dev = [toy_tree(rng) for _ in range(40)]
    tiny_encoder([" ".join(s["words"]) for s in train], root / "encoder", epochs=1)
    return {"root": root, "train": train, "dev": dev, "encoder": root / "encoder"}


@pytest.fixture(scope="module")
def trained(toy):
    out = toy["root"] / "model"
    summary = train_toy("dep", toy, toy["root"], SETTINGS, 32, out_dir=out, options=OPTIONS)
    return summary, out


def test_parser_learns_the_toy_grammar(trained):
    summary, _ = trained
    # heads are chosen among ~8 words and relations among 37: chance LAS is ~0.3 %
    assert summary["best_source_dev_score"] > 90


def test_predictions_are_single_rooted_trees_and_scored(trained, toy):
    _, out = trained
    model, tokenizer, labels, info = load_classifier(out, toy["encoder"], "cpu")
    assert info["task"] == "dep" and "root" in labels
    task_model = models.for_task("dep", tokenizer, 32, OPTIONS)
    predictions = task_model.predict(model, task_model.prepare(toy["dev"]), "cpu")
    for record, (heads, rels) in zip(toy["dev"], predictions, strict=True):
        assert len(heads) == len(rels) == len(record["words"])
        assert heads.count(0) == 1 and is_tree(heads)
        assert rels[heads.index(0)] == "root" and rels.count("root") == 1
    scores = task_model.score(toy["dev"], predictions)
    assert scores["metric"] == "las" and scores["uas"] >= scores["las"] > 90
    without_punct = models.for_task("dep", tokenizer, 32, {**OPTIONS, "exclude_upos": ["PUNCT"]})
    fewer = without_punct.score(toy["dev"], predictions)
    assert fewer["scored_words"] == scores["scored_words"] - len(toy["dev"])


def test_sentence_longer_than_a_window_gets_a_full_tree(trained, toy):
    _, out = trained
    model, tokenizer, _, _ = load_classifier(out, toy["encoder"], "cpu")
    long = {key: sum((r[key] for r in toy["dev"][:1]), []) for key in toy["dev"][0]}
    task_model = models.for_task("dep", tokenizer, 8, OPTIONS)  # 6 subwords per window
    prepared = task_model.prepare([long])
    assert len(prepared[0].windows) > 1
    ((heads, rels),) = task_model.predict(model, prepared, "cpu")
    assert len(heads) == len(long["words"]) and is_tree(heads) and heads.count(0) == 1


def test_head_learning_rate_makes_its_own_parameter_group(toy):
    tokenizer, encoder = load_encoder(toy["encoder"])
    model = models.for_task("pos", tokenizer, 32).build(encoder, 0.1, True)
    one = parameter_groups(model, {"head_learning_rate": None})
    assert len(one) == 1 and len(one[0]["params"]) == len(list(model.parameters()))
    encoder_group, head_group = parameter_groups(model, {"head_learning_rate": 1e-3})
    assert head_group["lr"] == 1e-3 and "lr" not in encoder_group
    assert {id(p) for p in head_group["params"]} == {id(p) for p in model.head.parameters()}
    optimizer = torch.optim.AdamW(
        parameter_groups(model, {"head_learning_rate": 1e-3}), lr=2e-5, fused=True
    )
    assert [g["lr"] for g in optimizer.param_groups] == [2e-5, 1e-3]
    # a frozen encoder leaves only the head's group
    frozen = models.for_task("pos", tokenizer, 32).build(encoder, 0.1, False)
    assert len(parameter_groups(frozen, {"head_learning_rate": 1e-3})) == 1


def test_max_steps_replaces_epochs(toy, tmp_path):
    assert total_steps({"epochs": 3, "max_steps": None}, 10) == 30
    assert total_steps({"epochs": 3, "max_steps": 7}, 10) == 7
    small = {**toy, "train": toy["train"][:40], "dev": toy["dev"][:10]}
    settings = {**SETTINGS, "max_steps": 12, "head_learning_rate": 1e-2}
    summary = train_toy("dep", small, tmp_path, settings, 32, options=OPTIONS)
    # 40 sentences in batches of 8: 5 steps an epoch, so 12 steps end inside epoch 3
    assert summary["total_steps"] == 12
    assert [h["step"] for h in summary["history"]] == [5, 10, 12]


def test_uas_can_be_the_headline(trained, toy):
    _, out = trained
    model, tokenizer, _, _ = load_classifier(out, toy["encoder"], "cpu")
    task_model = models.for_task("dep", tokenizer, 32, {**OPTIONS, "metric": "uas"})
    scores = task_model.score(
        toy["dev"], task_model.predict(model, task_model.prepare(toy["dev"]), "cpu")
    )
    assert scores["metric"] == "uas" and scores["score"] == scores["uas"]
