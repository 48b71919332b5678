"""Targets per task: one shared list skips (and says so) where a task has no data;
a task's own list, or a source, must have it."""

import copy

import pytest
import yaml

from conftest import ROOT
from xlt.config import ConfigError, validate_config
from xlt.families.registry import needed_corpora
from xlt.families.zero_shot import family as zs


@pytest.fixture
def real_config(shared_data):
    config = yaml.safe_load((ROOT / "configs/test/real-sample.yaml").read_text())
    config["data"]["ud"]["local_dir"] = str(shared_data / "ud/ud-treebanks-sample")
    config["data"]["ner"]["local_dir"] = str(shared_data / "ner/panx-xtreme/download/panx")
    config["data"]["xnli"]["local_dir"] = str(shared_data / "xnli/xtreme")
    config["methods"] = ["zero_shot"]
    config["tasks"] = ["pos", "ner", "dep"]
    config.pop("factorization")
    return config


def test_a_shared_list_skips_pairs_without_data(real_config):
    # the UD sample has no French treebank, PAN-X has French
    real_config["languages"]["targets"] = ["en", "fr", "de"]
    config = validate_config(real_config)
    assert zs.targets(config) == ["en", "fr", "de"]
    skipped = zs.skipped_targets(config, "pos")
    assert list(skipped) == ["fr"] and "no UD treebank of 'fr'" in skipped["fr"]
    assert zs.skipped_targets(config, "dep") == skipped
    assert zs.skipped_targets(config, "ner") == {}
    assert zs.scored_targets(config, "pos") == ["en", "de"]
    assert zs.scored_targets(config, "ner") == ["en", "fr", "de"]
    corpora = needed_corpora(config)
    assert ("ner", "fr", "test") in corpora and ("pos", "fr", "test") not in corpora


def test_xnli_skips_languages_it_lacks(real_config):
    real_config["tasks"] = ["pos", "xnli"]
    real_config["languages"]["targets"] = ["en", "fi", "de"]
    config = validate_config(real_config)
    assert zs.skipped_targets(config, "pos") == {}
    assert zs.skipped_targets(config, "xnli") == {
        "fi": "XNLI has no 'fi' (its languages: ar, bg, de, el, en, es, fr, hi, ru, sw, th, tr, "
        "ur, vi, zh)"
    }


def test_per_task_lists(real_config):
    real_config["languages"]["targets"] = {"pos": ["de"], "ner": ["fr", "de"], "dep": ["de"]}
    config = validate_config(real_config)
    assert zs.targets(config) == ["de", "fr"]
    assert zs.scored_targets(config, "ner") == ["de", "fr"]
    assert zs.skipped_targets(config, "pos") == {"fr": "not among languages.targets.pos"}


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        # a language a task's own list names must have its data
        (
            {"pos": ["fr"], "ner": ["fr"], "dep": ["de"]},
            r"'languages.targets.pos\[0\]': no UD treebank of 'fr' in .*, so pos cannot use it",
        ),
        ({"pos": ["de"], "ner": ["de"]}, "'languages.targets': no targets for task dep"),
        (
            {"pos": ["de"], "ner": ["de"], "dep": ["de"], "srl": ["de"]},
            r"'languages.targets': 'srl' is not one of",
        ),
    ],
)
def test_per_task_list_errors_name_the_key(real_config, targets, message):
    real_config["languages"]["targets"] = targets
    with pytest.raises(ConfigError, match=message):
        validate_config(real_config)


def test_a_list_for_a_task_not_configured_is_an_error(real_config):
    real_config["tasks"] = ["pos", "ner"]
    real_config["languages"]["targets"] = {"pos": ["de"], "ner": ["de"], "dep": ["de"]}
    with pytest.raises(ConfigError, match="'languages.targets.dep': dep is not one of the tasks"):
        validate_config(real_config)


def test_a_source_without_the_tasks_data_is_an_error(real_config):
    real_config["languages"]["sources"] = [["fr"]]
    real_config["encoder"]["embedded"]["pretrain"]["languages"] = ["fr", "de"]
    with pytest.raises(ConfigError, match=r"'languages.sources\[0\]\[0\]': no UD treebank of 'fr'"):
        validate_config(real_config)


def test_a_language_outside_the_rahimi_split_is_skipped(real_config):
    config = copy.deepcopy(real_config)
    config["data"]["ner"]["local_dir"] = None  # the download: only the code table is known
    config["data"]["ner"]["eval_split"] = "test"
    config["languages"]["targets"] = ["de", "wo"]
    config = validate_config(config)
    assert "not in the Rahimi et al. split" in zs.skipped_targets(config, "ner")["wo"]
