"""The translation rules' scripts run by hand on the shared Tatoeba pair (the
``files`` corpus): sentence vectors per layer cached per language, then the
accuracy per layer."""

import importlib

import pandas as pd
import pytest
import torch
import yaml

from conftest import SHARED_DATA, tiny_encoder, without_shared_data

TATOEBA = SHARED_DATA / "text" / "tatoeba-laser"


def run_script(name, tmp_path, inputs, outputs, params, wildcards=()):
    module = importlib.import_module(name)
    params_file = tmp_path / f"{name}.yaml"
    params_file.write_text(yaml.safe_dump(params))
    argv = [f"--input={k}={v}" for k, v in inputs] + [f"--output={k}={v}" for k, v in outputs]
    argv += [f"--wildcard={k}={v}" for k, v in wildcards] + ["--params", str(params_file)]
    module.run(module.main, argv=argv)


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    if not TATOEBA.is_dir():
        without_shared_data(f"shared Tatoeba pairs not found at {TATOEBA}")
    texts = []
    for suffix in ("deu", "eng"):
        texts += (TATOEBA / f"tatoeba.deu-eng.{suffix}").read_text().splitlines()
    directory = tmp_path_factory.mktemp("encoder") / "encoder"
    tiny_encoder(texts, directory, vocab_size=800, hidden_size=32, num_layers=2)
    return directory


def test_tatoeba_pair_is_encoded_per_language_and_translated_per_layer(encoder, tmp_path):
    files = {"de": str(TATOEBA / "tatoeba.deu-eng.deu"), "en": str(TATOEBA / "tatoeba.deu-eng.eng")}
    params = {"kind": "files", "files": files, "languages": ["de", "en"], "max_sentences": 200,
              "batch_size": 32, "max_length": 64, "device": "cpu"}  # fmt: skip
    # one job encodes every language of the text, a file each in its directory
    directory = tmp_path / "de-en"
    run_script(
        "encode_sentence_vectors", tmp_path,
        [("texts", files["de"]), ("texts", files["en"]), ("encoder", encoder)],
        [("vectors", directory)], params, [("text", "de-en")],
    )  # fmt: skip
    assert sorted(p.name for p in directory.iterdir()) == ["de.pt", "en.pt"]
    cached = torch.load(directory / "de.pt", weights_only=False)
    # the embeddings and both layers, the first 200 lines, ids = line numbers
    assert cached["vectors"].shape == (3, 200, 32) and cached["layers"] == [0, 1, 2]
    assert cached["ids"] == [str(i) for i in range(1, 201)] and cached["language"] == "de"
    table = tmp_path / "translation.csv"
    run_script(
        "nn_translation", tmp_path,
        [("vectors", directory)], [("accuracy", table)],
        {"pairs": [["de", "en"]], "texts": {"de-en": ["de", "en"]}, "fit_fraction": 0.5},
    )  # fmt: skip
    accuracy = pd.read_csv(table)
    assert list(accuracy.layer) == [0, 1, 2] and (accuracy.text == "de-en").all()
    assert (accuracy.fit == 100).all() and (accuracy.held_out == 100).all()
    # an untrained encoder's embeddings still match shared names and numbers: above chance
    assert accuracy.accuracy.iloc[0] > 5 * 1.0
