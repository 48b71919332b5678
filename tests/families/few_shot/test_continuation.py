"""A few-shot job on a toy pair of languages: each point starts from the zero-shot
model's weights, k target sentences lift the target's score, finished points are
kept and not trained again, and a changed sample is."""

import random

import pytest

from conftest import TOY_SETTINGS, tiny_encoder, train_toy
from xlt.families.few_shot import continuation
from xlt.families.few_shot.continuation import run_points
from xlt.families.few_shot.samples import sample_all
from xlt.task_models import registry as models
from xlt.task_models.storage import load_classifier

# smaller batches than the task tests': a few-shot sample is a few sentences
SETTINGS = {**TOY_SETTINGS, "epochs": 6, "batch_size": 8, "checkpoint_every_steps": 50}
LEXICON = {"DET": ["la"], "NOUN": ["kat", "dom", "ruvi", "selo"], "VERB": ["sel", "nim", "bero"]}


def sentence(rng, verb_final: bool, prefix: str) -> dict:
    """DET NOUN VERB DET NOUN (source) or DET NOUN DET NOUN VERB (target), '.' last."""
    order = ["DET", "NOUN", "VERB", "DET", "NOUN"]
    if verb_final:
        order = ["DET", "NOUN", "DET", "NOUN", "VERB"]
    words = [prefix + rng.choice(LEXICON[tag]) for tag in order]
    return {"words": [*words, "."], "labels": [*order, "PUNCT"]}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("pair")
    rng = random.Random(0)
    source = [sentence(rng, False, "") for _ in range(160)]
    # the target: verb-final, its nouns and verbs spelt with a prefix the source never has
    target = [sentence(rng, True, "zu") for _ in range(200)]
    encoder = tiny_encoder([" ".join(s["words"]) for s in source + target], root / "encoder")
    toy = {"train": source[:120], "dev": source[120:], "encoder": encoder}
    train_toy("pos", toy, root / "zero_shot", SETTINGS, 32)
    return {
        "root": root,
        "model": root / "zero_shot" / "model",
        "encoder": encoder,
        "pool": target[:100],
        "test": target[100:],
    }


def score_of(model_dir, records):
    model, tokenizer, _, info = load_classifier(model_dir, None, "cpu")
    task_model = models.for_task("pos", tokenizer, info["max_length"], None)
    return task_model.score(records, task_model.predict(model, task_model.prepare(records), "cpu"))


def run(pair, samples, cache, settings=SETTINGS):
    return run_points(
        task="pos",
        zero_shot_model=pair["model"],
        encoder_dir=pair["encoder"],
        samples=samples,
        pool_records=pair["pool"],
        test_records=pair["test"],
        settings=settings,
        options=None,
        max_length=32,
        fine_tune=True,
        seed=1,
        threads=1,
        cache_dir=cache,
        identity={"toy": 1},
    )


def test_a_point_starts_from_the_zero_shot_weights(pair, tmp_path):
    zero_shot = score_of(pair["model"], pair["test"])["score"]
    samples = sample_all("pos", pair["pool"], [{"strategy": "rand", "k": 10, "run": 0}], seed=0)
    # a learning rate too small to move anything: the zero-shot model's own score
    still = {**SETTINGS, "learning_rate": 1e-20, "max_steps": 1, "warmup_fraction": 0.0}
    [point] = run(pair, samples, tmp_path / "still", still)
    assert point["score"] == pytest.approx(zero_shot)
    assert point["steps"] == 1 and point["examples"] == 10


def test_target_sentences_lift_the_target_score_and_more_lift_it_more(pair, tmp_path):
    zero_shot = score_of(pair["model"], pair["test"])["score"]
    points = [{"strategy": "rand", "k": k, "run": 0} for k in (4, 40)]
    few, more = run(pair, sample_all("pos", pair["pool"], points, seed=0), tmp_path)
    assert few["score"] > zero_shot + 5
    assert more["score"] >= few["score"]
    assert more["score"] > 95  # the verb-final order and the prefixed forms are learnt
    assert (few["k"], few["examples"], more["examples"]) == (4, 4, 40)


def test_finished_points_are_kept_and_a_changed_sample_is_trained_again(
    pair, tmp_path, monkeypatch
):
    point = [{"strategy": "longest", "k": 5, "run": 0}]
    samples = sample_all("pos", pair["pool"], point, seed=0)
    assert samples["samples"][0]["indices"] == [0, 1, 2, 3, 4]  # equal lengths: the first
    [first] = run(pair, samples, tmp_path)

    def refuse(**_):
        raise AssertionError("a kept point was trained again")

    with monkeypatch.context() as patched:
        patched.setattr(continuation, "fit_task_model", refuse)
        assert run(pair, samples, tmp_path) == [first]
        other = {**samples, "samples": [{**samples["samples"][0], "indices": [5, 6, 7, 8, 9]}]}
        with pytest.raises(AssertionError, match="trained again"):
            run(pair, other, tmp_path)
