import copy

import pytest

from xlt.config import ConfigError, source_id, training_units, validate_config


def test_default_config_is_valid_and_gets_defaults(default_config):
    config = validate_config(default_config)
    assert config["training"]["keep_checkpoints"] is False
    assert config["synthetic"]["languages"]["qaa"]["contractions"] is False


def test_misspelt_key_is_named_with_a_suggestion(default_config):
    config = copy.deepcopy(default_config)
    config["training"]["lerning_rate"] = 0.1
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    message = str(error.value)
    assert "training.lerning_rate" in message
    assert "did you mean 'learning_rate'" in message


def test_misspelt_top_level_key(default_config):
    config = copy.deepcopy(default_config)
    config["seed"] = config.pop("seeds")
    with pytest.raises(ConfigError, match="'seed' is not allowed.*did you mean 'seeds'"):
        validate_config(config)


def test_wrong_type_names_the_key(default_config):
    config = copy.deepcopy(default_config)
    config["training"]["epochs"] = "three"
    with pytest.raises(ConfigError, match=r"training\.epochs': 'three' is not of type 'integer'"):
        validate_config(config)


def test_wrong_enum_in_a_nested_language(default_config):
    config = copy.deepcopy(default_config)
    config["synthetic"]["languages"]["qab"]["word_order"] = "SVX"
    with pytest.raises(ConfigError, match=r"synthetic\.languages\.qab\.word_order"):
        validate_config(config)


def test_unknown_target_language(default_config):
    config = copy.deepcopy(default_config)
    config["languages"]["targets"].append("qzz")
    with pytest.raises(ConfigError, match=r"languages\.targets\[7\]': unknown language 'qzz'"):
        validate_config(config)


def test_unknown_task(default_config):
    config = copy.deepcopy(default_config)
    config["tasks"] = ["pos", "ner", "nli"]
    with pytest.raises(ConfigError, match=r"tasks\[2\]"):
        validate_config(config)


def test_grid_of_training_units(default_config):
    config = validate_config(default_config)
    config["languages"]["sources"] = [["qaa"], ["qaa", "qab"]]
    units = training_units(config)
    assert len(units) == 1 * 2 * 2 * 3  # methods x tasks x source sets x seeds
    assert {u["source"] for u in units} == {"qaa", "qaa+qab"}
    assert source_id(["qab", "qaa"]) == "qab+qaa"


def test_factorization_grid_of_the_default(default_config):
    from xlt.config import factorization_subsets, factorization_units

    config = validate_config(default_config)
    assert factorization_subsets(config) == ["all", "similar4", "different4"]
    units = factorization_units(config)
    # 6 methods on all languages + PF-lr on two subsets, 2 partitions, 3 seeds
    assert len(units) == (6 + 2) * 2 * 3
    assert {u["method"] for u in units if u["subset"] != "all"} == {"pf_lr"}
    # the zero-shot grid is unchanged by the factorization methods
    assert {u["method"] for u in training_units(config)} == {"zero_shot"}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda c: c.pop("factorization"), "'factorization' is required by methods pf_d"),
        (
            lambda c: c["factorization"].update(largest_source="qab"),
            "'factorization.largest_source': 'qab' is also one of factorization.languages",
        ),
        (
            lambda c: c["factorization"]["languages"].append("qzz"),
            r"'factorization.languages\[6\]': unknown language 'qzz'",
        ),
        (
            lambda c: c["factorization"].update(subsets={"sizes": [9]}),
            r"'factorization.subsets.sizes\[0\]': 9 is more than the 6",
        ),
        (
            lambda c: c["factorization"].update(similarity_features=["syntaks"]),
            r"'factorization.similarity_features\[0\]': unknown feature set 'syntaks'",
        ),
        (lambda c: c.update(tasks=["pos"]), "need at least two tasks"),
        (
            lambda c: c["factorization"].update(encoder="finetuned"),
            "'factorization.encoder'.*'finetuned' is not one of",
        ),
        (
            lambda c: c["factorization"].update(encoder="fine_tuned", jm_frozen_layers=3),
            "'factorization.jm_frozen_layers': 3 layers to freeze, but "
            "encoder.embedded.num_layers is 2",
        ),
        (
            lambda c: c["factorization"]["model"].update(rnak=3),
            "'factorization.model.rnak' is not allowed.*did you mean 'rank'",
        ),
    ],
)
def test_factorization_config_errors_name_the_key(default_config, change, message):
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError, match=message):
        validate_config(config)
