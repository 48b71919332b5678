"""The survey config block: the jobs it plans, the all-pairs form of the zero-shot
grid (languages.sources: each), and the mistakes refused before any job, each
naming its key."""

import copy

import pytest

from xlt.config import ConfigError, validate_config
from xlt.families.survey import family as survey


def test_the_default_plans_one_frozen_job_per_task_and_every_split_of_every_language(
    default_config,
):
    config = validate_config(copy.deepcopy(default_config))
    assert survey.units(config) == [{"task": "pos", "seed": 1}, {"task": "ner", "seed": 1}]
    corpora = survey.FAMILY.corpora(config)
    assert len(corpora) == 2 * 7 * 3 and ("ner", "qag", "test") in corpora
    assert survey.text_ids(config) == ["synthetic"]
    assert survey.text_languages(config, "synthetic") == ["qaa", "qab", "qad", "qag"]


def test_sources_each_makes_every_target_a_single_source(default_config):
    config = copy.deepcopy(default_config)
    config["languages"]["sources"] = "each"
    config["languages"]["targets"] = ["qab", "qaa", "qac"]
    assert validate_config(config)["languages"]["sources"] == [["qab"], ["qaa"], ["qac"]]
    config["languages"]["targets"] = {"pos": ["qab", "qaa"], "ner": ["qaa", "qad"]}
    config["few_shot"] = {**config["few_shot"], "tasks": None}
    expanded = validate_config(config)["languages"]["sources"]
    assert expanded == [["qab"], ["qaa"], ["qad"]]


def test_zero_shot_transfer_reads_the_zero_shot_family_and_trains_nothing_itself(
    default_config,
):
    config = copy.deepcopy(default_config)
    config["survey"]["transfer"] = "zero_shot"
    config["survey"]["languages"] = ["qaa", "qab"]
    with pytest.raises(ConfigError, match=r"survey.transfer.*lacks qab.*sources: each"):
        validate_config(config)
    config["languages"]["sources"] = "each"
    config["languages"]["targets"] = ["qaa", "qab"]
    valid = validate_config(config)
    assert survey.units(valid) == []
    # any task may be read from the zero-shot family's table (not only tagging tasks)
    config["survey"]["tasks"] = ["pos", "xnli"]
    assert survey.tasks(validate_config(config)) == ["pos", "xnli"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tasks": ["pos", "xnli"]}, r"survey.tasks\[1\]': xnli has no frozen"),
        ({"tasks": ["ner", "upos"]}, r"survey.tasks\[1\]"),
        ({"languages": ["qaa", "qzz"]}, r"survey.languages\[1\].*qzz"),
        ({"languages": ["qaa"]}, r"survey.languages': the all-pairs analyses need 2"),
        ({"overlap": {"task": "pos"}}, r"survey.overlap.task"),
        ({"word_order": {"task": "dep"}}, r"survey.word_order.task': dep has no frozen"),
        ({"word_order": {"features": ["SVO"]}}, r"survey.word_order.features\[0\]"),
        ({"translation": {"pairs": []}}, r"survey.translation.pairs': no language pair"),
        ({"translation": {"pairs": [["qaa", "qzz"]]}}, r"survey.translation.pairs\[0\]\[1\]"),
        ({"translation": {"corpus": "pud", "pairs": [["qaa", "qab"]]}}, r"pud_dir': corpus pud"),
        ({"translation": {"corpus": "pud", "pairs": [["qaa", "qab"]], "pud_dir": "no/such"}},
         r"pud_dir': no directory no/such"),
        ({"translation": {"corpus": "files", "pairs": [["qaa", "qab"]]}},
         r"translation.files.qaa-qab': corpus files needs"),
        ({"translation": {"corpus": "files", "pairs": [["qaa", "qab"]],
                          "files": {"qaa-qab": ["nope.qaa", "nope.qab"]}}},
         r"translation.files.qaa-qab': no file nope.qaa"),
        ({"translation": {"pairs": [["qaa", "qab"]], "fit_fraction": 1.0}}, r"fit_fraction"),
    ],
)  # fmt: skip
def test_survey_mistakes_name_their_key(default_config, change, message):
    config = copy.deepcopy(default_config)
    config["survey"] = {**config["survey"], **change}
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


def test_pud_translation_finds_the_treebanks_or_names_the_missing_language(
    default_config, tmp_path
):
    config = copy.deepcopy(default_config)
    config["survey"]["translation"] = {"corpus": "pud", "pud_dir": str(tmp_path),
                                       "pairs": [["qaa", "qab"]]}  # fmt: skip
    with pytest.raises(ConfigError, match=r"pud_dir'.*no PUD treebank for 'qaa'"):
        validate_config(config)
    for code in ("qaa", "qab"):
        folder = tmp_path / f"UD_X{code}-PUD"
        folder.mkdir()
        (folder / f"{code}_pud-ud-test.conllu").write_text("", encoding="utf-8")
    validate_config(config)
