"""The factorization family with the encoder fine-tuned by every method, on the
smoke grid (configs/test/fine-tuned-factorization.yaml)."""

import json

import pandas as pd
import pytest
import yaml

from workflow_helpers import copy_project, planned_jobs, smoke_with, snakemake

# The test reads which encoders each method trains and which pairs it scores, not
# how well PF does: 50 SVI steps instead of the smoke grid's 150 (fine-tuning the
# encoder makes them most of the run's time).
FEWER_STEPS = "fewer-svi-steps.yaml"
FINE_TUNED = smoke_with("configs/test/fine-tuned-factorization.yaml", FEWER_STEPS)
FT = "results/fine-tuned-factorization"  # that overlay's experiment


@pytest.fixture(scope="module")
def fine_tuned(tmp_path_factory):
    """The smoke grid's factorization family with the encoder fine-tuned."""
    project = copy_project(tmp_path_factory.mktemp("fine_tuned") / "project")
    steps = {"max_steps": 50, "eval_every_steps": 25, "checkpoint_every_steps": 25}
    (project / FEWER_STEPS).write_text(yaml.safe_dump({"factorization": {"model": steps}}))
    snakemake(project, "--cores", "2", *FINE_TUNED)
    return project


def _encoder_weights(directory):
    from xlt.encoders.loading import load_encoder

    return load_encoder(directory)[1].state_dict()


@pytest.mark.slow
def test_fine_tuned_family_scores_every_held_out_pair_with_its_own_encoders(fine_tuned):
    import torch

    partitions = json.loads((fine_tuned / FT / "factorization/all/partitions.json").read_text())
    heldout = {tuple(pair) for p in partitions["partitions"] for pair in p["heldout"]}
    scores = pd.read_csv(fine_tuned / FT / "tables/factorization_scores.csv")
    assert len(scores) == 6 * 2 * 2
    assert set(scores.method) == {"pf_d", "pf_lr", "ls", "ns", "jm", "bea"}
    assert set(zip(scores.task, scores.language, strict=True)) == heldout
    assert scores[(scores.method == "ls") & (scores.task == "pos")].score.min() > 20
    assert not (fine_tuned / FT / "features").exists()  # nothing cached: all fine-tuned
    run = fine_tuned / FT / "factorization/all"
    pretrained = _encoder_weights(fine_tuned / FT / "encoder/embedded")
    embeddings = "embeddings.word_embeddings.weight"
    # PF trains the encoder jointly with its generator, LS fine-tunes all of it
    for encoder in [
        run / "pf_lr/partition1/seed1/model/encoder",
        run / "ls/partition1/seed1/model/pos/encoder",
    ]:
        assert not torch.equal(_encoder_weights(encoder)[embeddings], pretrained[embeddings])
    # JM keeps the embeddings and the lowest layer frozen (jm_frozen_layers: 1)
    jm = _encoder_weights(run / "jm/partition1/seed1/model/pos/encoder")
    assert all(torch.equal(jm[name], value) for name, value in pretrained.items())
    # NS transfers from the nearest seen language's own fine-tuned classifier
    ns = json.loads((run / "ns/partition1/seed1/heldout.json").read_text())
    first = next(p for p in partitions["partitions"] if p["index"] == 1)
    for pair in ns["pairs"]:
        seen = [lang for task, lang in first["seen"] if task == pair["task"]]
        assert pair["nearest"] in seen
    for task in ["pos", "ner"]:
        for lang in ["qab", "qag"]:
            model = fine_tuned / FT / f"factorization/language_models/seed1/{task}/{lang}/model"
            assert (model / "encoder" / "model.safetensors").exists()
    assert planned_jobs(snakemake(fine_tuned, "-n", *FINE_TUNED)) == {}
