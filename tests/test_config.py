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
