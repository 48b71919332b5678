"""The man_moe config block: the grid it plans, the settings per task, and the
mistakes refused before any job, each naming its key."""

import copy

import pytest

from xlt.config import ConfigError, validate_config
from xlt.families.man_moe import family as man_moe


def _active(config):
    """The default config (man_moe among its methods) with every language a target,
    on NER and sentiment."""
    config = copy.deepcopy(config)
    assert "man_moe" in config["methods"]
    config["man_moe"]["targets"] = None
    config["man_moe"]["tasks"] = ["ner", "sentiment"]
    return config


def test_one_job_per_target_trains_every_system_of_the_leave_one_out_grid(default_config):
    config = validate_config(_active(default_config))
    assert man_moe.units(config) == [
        {"task": task, "target": target, "seed": 1}
        for task in ("ner", "sentiment")
        for target in ("qab", "qac", "qad", "qaf")
    ]
    # the default's target: one of the four, with all three others as sources, on NER
    default = validate_config(copy.deepcopy(default_config))
    assert [(u["task"], u["target"]) for u in man_moe.units(default)] == [("ner", "qab")]
    assert man_moe.runs(default, "qab") == man_moe.runs(config, "qab")
    runs = man_moe.runs(config, "qad")
    # three single-source baselines, then six multi-source systems over qab, qac, qaf
    assert [run.name for run in runs] == [
        "one_to_one-qab", "one_to_one-qac", "one_to_one-qaf",
        "pooled", "man", "man_moe", "no_tagger_moe", "no_private_moe", "no_man",
    ]  # fmt: skip
    assert runs[-1].sources == ("qab", "qac", "qaf")
    # every language trains (sources) and gives D its words (targets): train, dev, test
    assert ("ner", "qad", "train") in man_moe.FAMILY.corpora(config)
    assert ("sentiment", "qad", "train") in man_moe.FAMILY.corpora(config)
    assert len(man_moe.FAMILY.corpora(config)) == 2 * 4 * 3


def test_the_discriminator_reads_raw_text_of_the_languages_the_config_gives_it(
    default_config, tmp_path
):
    config = _active(default_config)
    # the default: every language's raw text (the benchmark's unlabelled portion)
    assert man_moe.text_languages(validate_config(copy.deepcopy(config))) == [
        "qab", "qac", "qad", "qaf"
    ]  # fmt: skip
    text = tmp_path / "qad.txt"
    text.write_text("be septe septe .\n", encoding="utf-8")
    config["man_moe"]["unlabelled"] = {"source": "train", "files": {"qad": str(text)}}
    checked = validate_config(config)
    assert man_moe.text_languages(checked) == ["qad"]
    assert man_moe.unlabelled(checked)["max_sentences"] == 10000
    config["man_moe"]["unlabelled"] = {"source": "train"}
    assert man_moe.text_languages(validate_config(config)) == []


def test_settings_are_the_blocks_with_per_task_overrides(default_config):
    config = _active(default_config)
    config["man_moe"]["per_task"] = {"ner": {"lambda1": 0.002, "max_steps": 50}}
    config = validate_config(config)
    settings = man_moe.settings(config, "ner")
    assert (settings["lambda1"], settings["lambda2"], settings["k"]) == (0.002, 0.01, 1)
    assert (settings["max_steps"], settings["batch_size"], settings["dropout"]) == (50, 16, 0.5)
    assert (settings["hidden"], settings["filters"]) == (128, 50)  # the default's model block
    assert man_moe.settings(config, "pos")["lambda1"] == 1.0e-4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c["man_moe"].update(languages=["qab", "qad"]),
            r"'man_moe.languages': 2 language\(s\) leave each target 1 source\(s\), and man_moe",
        ),
        (
            lambda c: c["man_moe"].update(languages=["qab", "qzz", "qad"]),
            r"'man_moe.languages\[1\]': unknown language 'qzz'",
        ),
        (
            lambda c: c["man_moe"].update(systems=["man_moe", "moe"]),
            r"'man_moe.systems\[1\]': 'moe' is not one of",
        ),
        (
            lambda c: c["man_moe"].update(tasks=["ner", "dep"]),
            r"'man_moe.tasks\[1\]': dep is not a task of one word sequence per record",
        ),
        (
            lambda c: c["man_moe"].update(seeds=[7]),
            r"'man_moe.seeds': 7 is not among the config's seeds",
        ),
        (
            lambda c: c["man_moe"]["hyper"].update(lambda_1=0.1),
            r"'man_moe.hyper.lambda_1' is not allowed \(did you mean 'lambda1'\?\)",
        ),
    ],
)
def test_man_moe_mistakes_name_the_key(default_config, change, message):
    config = _active(default_config)
    change(config)
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


@pytest.mark.parametrize(
    ("lang", "content", "message"),
    [
        ("qae", "a b .\n", r"'man_moe.unlabelled.files.qae': qae is not one of man_moe.languages"),
        ("qad", None, r"'man_moe.unlabelled.files.qad': no file .*missing.txt"),
        ("qad", "\n  \n", r"'man_moe.unlabelled.files.qad': .*qad.txt holds no sentence"),
    ],
)
def test_a_raw_text_file_that_cannot_serve_is_refused_naming_the_key(
    default_config, tmp_path, lang, content, message
):
    config = _active(default_config)
    path = tmp_path / ("missing.txt" if content is None else f"{lang}.txt")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    config["man_moe"]["unlabelled"] = {"files": {lang: str(path)}}
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


def test_a_language_without_unlabelled_text_is_refused_naming_it(default_config, shared_data):
    config = _active(default_config)
    config["data"] = {
        "source": "real",
        "ud": {"local_dir": str(shared_data / "ud/ud-treebanks-sample"), "policy": "largest"},
    }
    config.update(methods=["man_moe"], tasks=["pos"])
    config.pop("factorization")
    config.pop("few_shot")
    config.pop("interpolation")
    config["encoder"]["embedded"]["pretrain"]["languages"] = ["en", "de", "ko"]
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["en", "de", "ko"],
        "distance_features": ["syntax_knn"],
    }
    config["man_moe"].update(languages=["en", "ko", "de"], tasks=["pos"])
    # the sample's German GSD has dev and test files only: nothing for D to read
    with pytest.raises(ConfigError, match=r"'man_moe.languages\[2\]': de has no unlabelled pos"):
        validate_config(config)
