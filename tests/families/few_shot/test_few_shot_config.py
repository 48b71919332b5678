"""The few_shot config block: the grid it plans, per-task settings, and the
mistakes refused before any job, each naming its key."""

import copy

import pytest
import yaml

from xlt.config import ConfigError, validate_config
from xlt.families.few_shot import family as few_shot


def test_the_default_grid_continues_every_target_but_the_source(default_config):
    config = validate_config(default_config)
    assert few_shot.active_tasks(config) == ["pos", "ner"]
    assert few_shot.targets(config, "pos") == ["qab", "qac", "qad", "qae", "qaf", "qag"]
    assert few_shot.skipped_targets(config, "pos") == {"qaa": "a source language"}
    units = few_shot.training_units(config)
    assert len(units) == 2 * 6 and {u["seed"] for u in units} == {1}
    assert units[0] == {"task": "pos", "source": "qaa", "seed": 1, "target": "qab"}
    # 2 k x 3 strategies, one run each
    assert [(p["strategy"], p["k"]) for p in few_shot.points(config, "pos")] == [
        ("rand", 10), ("rand", 100), ("shortest", 10),
        ("shortest", 100), ("longest", 10), ("longest", 100),
    ]  # fmt: skip


def test_per_task_k_runs_and_strategies_and_qa_by_articles_at_random(default_config):
    config = copy.deepcopy(default_config)
    config["few_shot"].update(
        tasks=None,
        k={"pos": [50, 10], "qa": [2]},
        runs={"xnli": 3},
        strategies=["rand", "longest"],
    )
    config = validate_config(config)
    assert few_shot.active_tasks(config) == ["pos", "qa"]  # the tasks given a k
    assert [(p["strategy"], p["k"]) for p in few_shot.points(config, "pos")] == [
        ("rand", 10), ("rand", 50), ("longest", 10), ("longest", 50),
    ]  # fmt: skip
    assert few_shot.points(config, "qa") == [{"strategy": "rand", "k": 2, "run": 0}]
    config["few_shot"]["k"] = [10]
    assert [p["run"] for p in few_shot.points(config, "xnli")] == [0, 1, 2, 0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c.update(methods=["few_shot"]),
            "'methods': few_shot continues the zero_shot family's models; add zero_shot",
        ),
        (
            lambda c: c["few_shot"].update(tasks=["pos", "sentiment"], seeds=[1, 4]),
            r"'few_shot.seeds': 4 is not among the config's seeds \(1\)",
        ),
        (
            lambda c: c["few_shot"].update(strategies={"qa": ["longest"]}),
            "'few_shot.strategies.qa': qa samples whole documents at random",
        ),
        (
            lambda c: c["few_shot"].update(k={"pos": [10], "srl": [5]}),
            "'few_shot.k'.*'srl' is not one of",
        ),
        (
            lambda c: c["few_shot"].update(targets=["qab", "qaa"]),
            r"'few_shot.targets': qaa is a source language",
        ),
        (
            lambda c: c["few_shot"].update(targets=["qab", "qzz"]),
            r"'few_shot.targets\[1\]': unknown language 'qzz'",
        ),
        (
            lambda c: c["few_shot"].update(strategies=["rand", "lognest"]),  # codespell:ignore
            r"'few_shot.strategies\[1\]': 'lognest' is not one of",  # codespell:ignore
        ),
        (lambda c: c["few_shot"].update(k=[0, 10]), r"'few_shot.k"),
        (
            lambda c: c["few_shot"].update(k={"pos": [10]}, tasks=["pos", "ner"]),
            "'few_shot.k': no k values for ner, which few_shot.tasks lists",
        ),
    ],
)
def test_few_shot_mistakes_name_the_key(default_config, change, message):
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


def _real_xnli(default_config, **xnli):
    config = copy.deepcopy(default_config)
    config["data"] = {"source": "real", "xnli": {"source": "hub", **xnli}}
    config["methods"] = ["zero_shot", "few_shot"]
    config.pop("factorization")
    config["encoder"]["name"] = "bert-base-multilingual-cased"
    config["tasks"] = ["xnli"]
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["en", "de", "sw"],
        "distance_features": ["syntax_knn"],
    }
    config["few_shot"] = {"k": [10], "seeds": None, "tasks": None}
    return config


def test_targets_without_training_data_are_skipped_or_refused(default_config):
    # XNLI's targets have no training data (MultiNLI is English only)
    config = validate_config(_real_xnli(default_config))
    assert few_shot.targets(config, "xnli") == []
    assert "no train split to sample from" in few_shot.skipped_targets(config, "xnli")["de"]
    # their dev sets are the paper's pool
    config = validate_config(
        {**_real_xnli(default_config), "few_shot": {"pool_split": {"xnli": "dev"}}}
    )
    assert few_shot.targets(config, "xnli") == ["de", "sw"]
    assert ("xnli", "de", "dev") in few_shot.FAMILY.corpora(config)
    # a target named explicitly without a pool is an error, before any job
    named = _real_xnli(default_config)
    named["few_shot"]["targets"] = ["de"]
    with pytest.raises(ConfigError, match="'few_shot.targets': de has no train split of xnli"):
        validate_config(named)
    # a pool that is the scored split is refused
    scored_on_dev = _real_xnli(default_config, eval_split="dev")
    scored_on_dev["few_shot"]["pool_split"] = {"xnli": "dev"}
    with pytest.raises(ConfigError, match="'few_shot.pool_split.xnli': xnli's targets are scored"):
        validate_config(scored_on_dev)


def test_the_papers_grid_has_its_k_strategies_and_runs(default_config):
    from snakemake.utils import update_config

    from conftest import ROOT

    paper = yaml.safe_load((ROOT / "configs/lauscher2020-mbert.yaml").read_text())
    config = copy.deepcopy(default_config)
    update_config(config, paper)
    config = validate_config(config)
    counts = {task: len(few_shot.points(config, task)) for task in config["tasks"]}
    # 5 k x 3 strategies; XNLI 5 k x 5 runs; XQuAD 5 article counts x 5 runs
    assert counts == {"dep": 15, "pos": 15, "ner": 15, "xnli": 25, "qa": 25}
    assert sorted(few_shot.targets(config, "qa")) == sorted("es de el ru tr ar vi th zh hi".split())
    assert few_shot.pool_split(config, "xnli") == "dev"
    assert few_shot.seeds(config) == [1, 2, 3]


def test_a_ud_target_whose_treebank_lacks_the_pool_split_is_skipped(default_config, shared_data):
    config = copy.deepcopy(default_config)
    config["data"] = {
        "source": "real",
        "ud": {"local_dir": str(shared_data / "ud/ud-treebanks-sample"), "policy": "largest"},
    }
    config.update(methods=["zero_shot", "few_shot"], tasks=["pos"])
    config["few_shot"]["tasks"] = ["pos"]
    config.pop("factorization")
    config["encoder"]["embedded"]["pretrain"]["languages"] = ["en", "de", "ko"]
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["en", "de", "ko"],
        "distance_features": ["syntax_knn"],
    }
    config = validate_config(config)
    # the sample's German GSD has dev and test files only: a target never trains on test
    assert few_shot.targets(config, "pos") == ["ko"]
    assert "no UD train file of 'de'" in few_shot.skipped_targets(config, "pos")["de"]
    config["few_shot"]["pool_split"] = {"pos": "dev"}
    assert few_shot.targets(config, "pos") == ["de", "ko"]


def test_a_pool_smaller_than_the_largest_k_is_refused_naming_the_key(default_config):
    from xlt.families.registry import corpus_problems

    config = validate_config(default_config)  # pos: k up to 100
    fits = {"words": ["w"] * 5, "labels": ["NOUN"] * 5}
    short = {"words": ["w"] * 2, "labels": ["NOUN"] * 2}  # under 3 words: not in the pool
    records = [fits] * 60 + [short] * 50
    assert corpus_problems(config, ("pos", "qab", "train"), records) == [
        "config key 'few_shot.k': k = 100 for pos, but the pool has 60 examples of 3 to 50 words"
    ]
    assert corpus_problems(config, ("pos", "qab", "train"), [fits] * 100) == []
    assert corpus_problems(config, ("pos", "qab", "test"), records) == []  # not a pool
    assert corpus_problems(config, ("pos", "qaa", "train"), records) == []  # the source
    assert corpus_problems(config, ("dep", "qab", "train"), records) == []  # not continued
