"""The three models of an interpolation (source only, target only, bilingual)
start from the same parameters: the same encoder weights and, from the same
seed, the same head, whatever data each then trains on."""

import pytest
import torch

from conftest import TOY_SETTINGS, tiny_encoder
from xlt.task_models.training import fit_task_model


def sentences(prefix: str, n: int) -> list[dict]:
    nouns = ["kat", "dom", "ruvi"]
    return [
        {"words": ["la", prefix + nouns[i % 3], prefix + "sel", "."],
         "labels": ["DET", "NOUN", "VERB", "PUNCT"]}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    texts = [" ".join(s["words"]) for s in sentences("", 20) + sentences("zu", 20)]
    return tiny_encoder(texts, tmp_path_factory.mktemp("init") / "encoder")


def start_of(train, encoder, tmp_path):
    # one step at a learning rate too small to move anything: the starting point
    still = {**TOY_SETTINGS, "learning_rate": 1e-20, "max_steps": 1, "warmup_fraction": 0.0}
    fitted = fit_task_model(
        task="pos",
        train_records=train,
        dev_records=None,
        encoder_dir=encoder,
        settings=still,
        fine_tune=True,
        max_length=16,
        seed=4,
        checkpoint_dir=tmp_path,
    )
    return fitted.model.state_dict()


def test_source_target_and_bilingual_models_start_alike(encoder, tmp_path):
    source, target = sentences("", 12), sentences("zu", 12)
    starts = [
        start_of(data, encoder, tmp_path / name)
        for name, data in [("src", source), ("tgt", target), ("bi", source + target)]
    ]
    # equal but for the 1e-20 step itself (it moves the zero-initialised biases)
    assert all(
        torch.allclose(starts[0][k], other[k], rtol=0, atol=1e-18)
        for other in starts[1:]
        for k in starts[0]
    )
    # another seed draws another head
    other = fit_task_model(
        task="pos",
        train_records=source,
        dev_records=None,
        encoder_dir=encoder,
        settings={**TOY_SETTINGS, "learning_rate": 1e-20, "max_steps": 1},
        fine_tune=True,
        max_length=16,
        seed=5,
        checkpoint_dir=tmp_path / "seed5",
    ).model.state_dict()
    heads = [k for k in other if k.startswith("head.")]
    assert any((other[k] - starts[0][k]).abs().max() > 1e-3 for k in heads)
