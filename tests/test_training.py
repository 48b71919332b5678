"""Training learns, and a run killed mid-way resumes to the same result."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import tiny_encoder, train_toy
from xlt.data.corpus import write_task_corpus
from xlt.encoders.loading import load_encoder
from xlt.encoders.windows import length_batches
from xlt.encoders.with_head import freeze_lower_layers, predict
from xlt.task_models.storage import head_state, load_classifier
from xlt.task_models.training import epoch_batches, reuse_or_train, train_task_model

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "epochs": 3,
    "batch_size": 8,
    "learning_rate": 3e-3,
    "warmup_fraction": 0.1,
    "weight_decay": 0.0,
    "dropout": 0.1,
    "eval_every_steps": 0,
    "checkpoint_every_steps": 5,
    "keep_checkpoints": False,
    "device": "cpu",
}
NOUNS = ["kat", "dom", "ruvi", "selo", "parka", "miv"]
VERBS = ["sel", "tovar", "nim", "bero"]
ADJS = ["bel", "nuro", "kesa"]


def toy_sentence(rng):
    """DET (ADJ) NOUN VERB DET NOUN PUNCT, with a shared word 'tovar' as NOUN or VERB."""
    words, tags = [], []
    for role in ("subj", "verb", "obj"):
        if role == "verb":
            words.append(rng.choice(VERBS))
            tags.append("VERB")
            continue
        words.append("la")
        tags.append("DET")
        if rng.random() < 0.5:
            words.append(rng.choice(ADJS))
            tags.append("ADJ")
        words.append(rng.choice(NOUNS + ["tovar"]))
        tags.append("NOUN")
    words.append(".")
    tags.append("PUNCT")
    return {"words": words, "labels": tags}


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    root = tmp_path_factory.mktemp("toy")
    rng = random.Random(0)
    train = [toy_sentence(rng) for _ in range(120)]
    dev = [toy_sentence(rng) for _ in range(40)]
    write_task_corpus(root / "train.jsonl", train)
    write_task_corpus(root / "dev.jsonl", dev)
    texts = [" ".join(s["words"]) for s in train]
    tiny_encoder(texts, root / "encoder", epochs=1)
    return {"root": root, "train": train, "dev": dev, "encoder": root / "encoder"}


def train(toy, out, checkpoints, settings=SETTINGS, fine_tune=True):
    return train_task_model(
        task="pos",
        train_records=toy["train"],
        dev_records=toy["dev"],
        encoder_dir=toy["encoder"],
        settings=settings,
        fine_tune=fine_tune,
        max_length=32,
        seed=3,
        out_dir=out,
        checkpoint_dir=checkpoints,
        threads=1,
    )


def test_batch_order_is_a_function_of_seed_and_epoch():
    lengths = [3, 9, 4, 7, 1, 8, 2, 6, 5, 10]
    assert epoch_batches(1, 0, lengths, 4) == epoch_batches(1, 0, lengths, 4)
    assert epoch_batches(1, 0, lengths, 4) != epoch_batches(1, 1, lengths, 4)
    batches = epoch_batches(5, 2, lengths, 4)
    assert [len(b) for b in sorted(batches, key=len)] == [2, 4, 4]
    assert sorted(i for batch in batches for i in batch) == list(range(10))


def test_batches_hold_similar_lengths():
    lengths = [5, 1, 8, 2, 7, 3, 6, 4]
    for seed in range(5):
        batches = length_batches(lengths, 2, np.random.default_rng(seed))
        assert sorted(sorted(lengths[i] for i in b) for b in batches) == [
            [1, 2],
            [3, 4],
            [5, 6],
            [7, 8],
        ]
    # pools of one batch: plain random batches
    pairs = {
        tuple(sorted(lengths[i] for i in b))
        for seed in range(20)
        for b in length_batches(lengths, 2, np.random.default_rng(seed), pool=1)
    }
    assert len(pairs) > 4


def test_training_learns_far_above_chance(toy, tmp_path):
    summary = train(toy, tmp_path / "model", tmp_path / "ckpt")
    # 17 UPOS tags: chance is ~6%, the majority tag (DET/NOUN) ~30%
    assert summary["best_source_dev_score"] > 90
    assert not (tmp_path / "ckpt").exists(), "checkpoints are removed once the model is written"
    model, tokenizer, labels, _ = load_classifier(tmp_path / "model", toy["encoder"], "cpu")
    pred = predict(model, tokenizer, [["la", "kat", "sel", "la", "dom", "."]], 32, "cpu")
    assert [labels[i] for i in pred[0]] == ["DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"]


def test_frozen_encoder_trains_only_the_head(toy, tmp_path):
    summary = train(toy, tmp_path / "model", tmp_path / "ckpt", fine_tune=False)
    assert summary["best_source_dev_score"] > 50
    assert not (tmp_path / "model" / "encoder" / "model.safetensors").exists()


def test_checkpoint_of_another_run_is_not_resumed(toy, tmp_path):
    first = train(toy, tmp_path / "a", tmp_path / "ckpt", {**SETTINGS, "keep_checkpoints": True})
    assert (tmp_path / "ckpt" / "last.pt").exists()
    other = train(toy, tmp_path / "b", tmp_path / "ckpt", {**SETTINGS, "epochs": 2})
    assert other["resumed_from_step"] is None
    assert other["total_steps"] < first["total_steps"]


@pytest.mark.slow
def test_sigkill_mid_training_resumes_to_identical_result(toy, tmp_path):
    reference = train(toy, tmp_path / "reference", tmp_path / "ckpt-ref")

    params = tmp_path / "params.json"
    params.write_text(
        json.dumps(
            {
                "settings": SETTINGS,
                "fine_tune": True,
                "max_length": 32,
                "checkpoints": str(tmp_path / "ckpt"),
            }
        )
    )
    root = toy["root"]
    command = [
        sys.executable,
        str(ROOT / "workflow_scripts" / "train_zero_shot.py"),
        f"--input=train={root / 'train.jsonl'}",
        f"--input=dev={root / 'dev.jsonl'}",
        f"--input=encoder={toy['encoder']}",
        f"--output=model={tmp_path / 'model'}",
        f"--output=summary={tmp_path / 'train.json'}",
        f"--params={params}",
        "--wildcard=task=pos",
        "--wildcard=seed=3",
        "--wildcard=method=zero_shot",
        "--wildcard=source=toy",
        "--threads=1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "workflow_scripts")}
    process = subprocess.Popen(command, env=env)
    checkpoint = tmp_path / "ckpt" / "last.pt"
    deadline = time.time() + 120
    while not checkpoint.exists() and process.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "training finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert checkpoint.exists() and not (tmp_path / "model").exists()

    subprocess.run(command, env=env, check=True)
    resumed = json.loads((tmp_path / "train.json").read_text())["training"]
    assert resumed["resumed_from_step"] is not None and resumed["resumed_from_step"] > 0
    assert resumed["steps_this_run"] < reference["total_steps"]
    assert resumed["best_source_dev_score"] == reference["best_source_dev_score"]
    assert resumed["history"] == reference["history"]
    head = head_state(tmp_path / "model")
    head_ref = head_state(tmp_path / "reference")
    for name in head_ref:
        assert torch.equal(head[name], head_ref[name]), name


def test_lower_layers_stay_frozen_and_the_rest_fine_tunes(toy, tmp_path):
    """JM's Wu-and-Dredze freezing: embeddings + the lowest layer of a 2-layer
    encoder keep their pretrained weights, the top layer and the head train."""
    texts = [" ".join(s["words"]) for s in toy["train"]]
    tiny_encoder(texts, tmp_path / "encoder", num_layers=2)
    summary = train_task_model(
        task="pos",
        train_records=toy["train"],
        dev_records=toy["dev"],
        encoder_dir=tmp_path / "encoder",
        settings={**SETTINGS, "epochs": 1, "frozen_layers": 1},
        fine_tune=True,
        max_length=32,
        seed=3,
        out_dir=tmp_path / "model",
        checkpoint_dir=tmp_path / "ckpt",
    )
    assert summary["total_steps"] == 15  # 120 sentences / 8
    _, before = load_encoder(tmp_path / "encoder")
    _, after = load_encoder(tmp_path / "model" / "encoder")
    old, new = before.state_dict(), after.state_dict()
    frozen = [n for n in old if n.startswith(("embeddings.", "encoder.layer.0."))]
    trained = [n for n in old if n.startswith("encoder.layer.1.")]
    assert frozen and trained
    assert all(torch.equal(old[n], new[n]) for n in frozen)
    assert all(not torch.equal(old[n], new[n]) for n in trained if n.endswith("weight"))


def test_freezing_more_layers_than_the_encoder_has_names_the_config_key(toy):
    _, encoder = load_encoder(toy["encoder"])  # one layer
    with pytest.raises(ValueError, match="factorization.jm_frozen_layers': 2 layers"):
        freeze_lower_layers(encoder, 2)


def test_a_finished_model_of_the_same_run_is_reused_not_retrained(tmp_path):
    calls = []

    def train(out_dir):
        calls.append(out_dir)
        out_dir.mkdir()
        (out_dir / "weights").write_text(str(len(calls)))
        return {"best_step": 10 * len(calls)}

    out = tmp_path / "finished" / "ner"
    identity = {"task": "ner", "seed": 1}
    assert reuse_or_train(out, identity, train) == {"best_step": 10}
    # The rerun after a kill during a later task: nothing is trained again.
    assert reuse_or_train(out, identity, train) == {"best_step": 10}
    assert len(calls) == 1 and (out / "weights").read_text() == "1"
    # Another configuration, or a model lost since, trains afresh.
    assert reuse_or_train(out, {"task": "ner", "seed": 2}, train) == {"best_step": 20}
    assert (out / "weights").read_text() == "2"
    shutil.rmtree(out)
    assert reuse_or_train(out, {"task": "ner", "seed": 2}, train) == {"best_step": 30}
    assert len(calls) == 3


def test_training_can_go_on_from_a_finished_model(toy, tmp_path):
    first = train(toy, tmp_path / "first", tmp_path / "ckpt1")
    # one step at a learning rate too small to move anything: the model written is
    # the one it started from, head and fine-tuned encoder alike
    still = {**SETTINGS, "learning_rate": 1e-20, "max_steps": 1, "warmup_fraction": 0.0}
    again = {**toy, "train": toy["train"][:8]}
    summary = train_toy(
        "pos",
        again,
        tmp_path,
        still,
        32,
        seed=5,
        out_dir=tmp_path / "again",
        checkpoint_dir=tmp_path / "ckpt2",
        init_from=tmp_path / "first",
    )
    assert summary["best_source_dev_score"] == pytest.approx(first["best_source_dev_score"])
    before, after = (head_state(tmp_path / name) for name in ("first", "again"))
    assert all(torch.equal(before[k], after[k]) for k in before)
    with pytest.raises(ValueError, match="is a pos model, not a ner one"):
        empty = {**toy, "train": [], "dev": []}
        train_toy("ner", empty, tmp_path / "x", still, 32, init_from=tmp_path / "first")
