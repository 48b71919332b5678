"""The interpolation config block: the grid it plans and the mistakes refused
before any job, each naming its key."""

import copy

import pytest

from xlt.config import ConfigError, validate_config
from xlt.families.interpolation import family as interpolation


def test_the_default_study_is_one_pair_for_each_of_its_tasks_one_seed(default_config):
    config = validate_config(default_config)
    # the paper's tasks but XNLI (near chance on qad for the embedded encoder)
    assert interpolation.units(config) == [
        {"task": task, "source": "qaa", "target": "qad", "seed": 1}
        for task in ("pos", "ner", "dep")
    ]
    assert interpolation.only(config) is None
    # both languages of the pair train (the bilingual model), each on train and dev
    assert ("pos", "qad", "train") in interpolation.FAMILY.corpora(config)
    assert config["interpolation"]["alphas"][0] == -0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c.update(methods=["interpolation"]),
            "'methods': interpolation starts from the zero_shot family's trained source models",
        ),
        (
            lambda c: c["interpolation"].update(pairs=[["qab", "qad"]]),
            r"'interpolation.pairs\[0\]': qab is not a source set of its own",
        ),
        (
            lambda c: c["interpolation"].update(pairs=[["qaa", "qaa"]]),
            r"'interpolation.pairs\[0\]': qaa twice",
        ),
        (
            lambda c: c["interpolation"].update(pairs=[["qaa", "qzz"]]),
            r"'interpolation.pairs\[0\]\[1\]': unknown language 'qzz'",
        ),
        (
            lambda c: c["interpolation"].update(tasks=["pos", "srl"]),
            r"'interpolation.tasks\[1\]': 'srl' is not one of",
        ),
        (
            lambda c: c["interpolation"].update(seeds=[9]),
            r"'interpolation.seeds': 9 is not among the config's seeds",
        ),
        (
            lambda c: c["interpolation"].update(parameters="head"),
            r"'interpolation.parameters': 'head' is not one of",
        ),
    ],
)
def test_interpolation_mistakes_name_the_key(default_config, change, message):
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


def test_a_target_without_training_data_is_refused_naming_it(default_config, shared_data):
    config = copy.deepcopy(default_config)
    config["data"] = {
        "source": "real",
        "ud": {"local_dir": str(shared_data / "ud/ud-treebanks-sample"), "policy": "largest"},
    }
    config.update(methods=["zero_shot", "interpolation"], tasks=["pos"])
    config.pop("factorization")
    config["encoder"]["embedded"]["pretrain"]["languages"] = ["en", "de", "ko"]
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["en", "de", "ko"],
        "distance_features": ["syntax_knn"],
    }
    config["interpolation"] = {"pairs": [["en", "ko"], ["en", "de"]], "tasks": ["pos"]}
    # the sample's German GSD has dev and test files only: no target-only model
    with pytest.raises(ConfigError, match=r"'interpolation.pairs\[1\]': de has no pos training"):
        validate_config(config)
    config["interpolation"]["pairs"] = [["en", "ko"]]
    assert interpolation.units(validate_config(config))[0]["target"] == "ko"
