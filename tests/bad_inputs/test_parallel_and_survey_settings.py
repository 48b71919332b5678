"""Parallel text that is not parallel and survey settings that name no feature:
config errors before any job (before the encoder is pretrained), naming the key
and the file and line or the entry. The good inputs of each kind pass."""

from __future__ import annotations

import copy

import pytest

from xlt.config import ConfigError, validate_config


def pud_sentence(sent_id: str | None, word: str) -> str:
    comment = f"# sent_id = {sent_id}\n" if sent_id else ""
    return f"{comment}# text = {word}\n1\t{word}\t_\tNOUN\t_\t_\t0\troot\t_\t_\n\n"


GOOD_IDS = ["n01001011", "n01001012", "n01001013"]


def write_pud(root, code: str, ids: list[str | None]) -> None:
    directory = root / f"UD_{code.upper()}-PUD"
    directory.mkdir(parents=True, exist_ok=True)
    text = "".join(pud_sentence(i, f"w{n}") for n, i in enumerate(ids))
    (directory / f"{code}_pud-ud-test.conllu").write_text(text, encoding="utf-8")


def pud_config(default_config, root) -> dict:
    """A real-data run of the survey's translation analysis alone (no corpus)."""
    config = copy.deepcopy(default_config)
    config.pop("synthetic", None)
    config["data"] = {"source": "real", "ud": {"local_dir": str(root)}}
    config["tasks"], config["methods"] = ["pos"], ["survey"]
    config["languages"] = {"sources": [["en"]], "targets": ["en", "de"],
                           "distance_features": ["syntax_knn"]}  # fmt: skip
    config["encoder"]["embedded"]["pretrain"]["languages"] = ["en", "de"]
    config["survey"] = {"languages": [], "analyses": ["translation"],
                        "translation": {"corpus": "pud", "pud_dir": str(root),
                                        "pairs": [["en", "de"]]}}  # fmt: skip
    return config


PUD_CASES = [
    # (case, the German file's sentence ids, what the message says)
    ("missing-sentence", GOOD_IDS[:2], "3 vs 2 sentences"),
    ("extra-sentence", [*GOOD_IDS, "n01001014"], "3 vs 4 sentences"),
    ("renumbered", ["n01001011", "n01001099", "n01001013"],
     "sentence 2 is n01001012 in one and n01001099 in the other"),
    ("no-sent-id", ["n01001011", None, "n01001013"], ":5: sentence 2 has no # sent_id"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "ids", "message"), PUD_CASES, ids=[c[0] for c in PUD_CASES])
def test_pud_files_that_are_not_parallel(default_config, tmp_path, case, ids, message):
    write_pud(tmp_path, "en", GOOD_IDS)
    write_pud(tmp_path, "de", ids)
    with pytest.raises(ConfigError) as error:
        validate_config(pud_config(default_config, tmp_path))
    (problem,) = str(error.value).splitlines()[1:]  # the one problem of the config
    assert "config key 'survey.translation.pud_dir'" in problem and message in problem
    assert "de_pud-ud-test.conllu" in problem


def test_parallel_pud_files_pass(default_config, tmp_path):
    write_pud(tmp_path, "en", GOOD_IDS)
    write_pud(tmp_path, "de", GOOD_IDS)
    validate_config(pud_config(default_config, tmp_path))


def files_config(default_config, source, target) -> dict:
    config = copy.deepcopy(default_config)
    config["survey"]["analyses"] = ["translation"]
    files = {"qaa-qab": [str(source), str(target)]}
    config["survey"]["translation"] = {"corpus": "files", "pairs": [["qaa", "qab"]], "files": files}
    return config


FILE_CASES = [
    # (case, the target file's text, what the message says)
    ("blank-line", "a b\n\nc d\n", ":2: blank line: every line must hold a sentence"),
    ("extra-line", "a b\nc d\ne f\ng h\n", "3 vs 4 lines"),
    ("missing-line", "a b\nc d\n", "3 vs 2 lines"),
]


@pytest.mark.parametrize(("case", "text", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_line_aligned_files_that_are_not_aligned(default_config, tmp_path, case, text, message):
    source, target = tmp_path / "s.txt", tmp_path / "t.txt"
    source.write_text("x y\nz w\nv u\n", encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        validate_config(files_config(default_config, source, target))
    assert "config key 'survey.translation.files.qaa-qab'" in str(error.value)
    assert message in str(error.value)


def test_aligned_files_pass(default_config, tmp_path):
    source, target = tmp_path / "s.txt", tmp_path / "t.txt"
    source.write_text("x y\nz w\n", encoding="utf-8")
    target.write_text("a b\nc d\n", encoding="utf-8")
    validate_config(files_config(default_config, source, target))


WORD_ORDER_CASES = [
    ("unknown-feature", {"features": ["S_SVO", "S_VERB_FIRST"]},
     "survey.word_order.features[1]': S_VERB_FIRST is no feature of the set syntax"),
    ("unknown-synthetic-set", {"feature_set": "syntax_wals"},
     "survey.word_order.feature_set': 'syntax_wals' is no feature set of the synthetic"),
    ("syntax-feature-in-morphology", {"feature_set": "morphology"},
     "survey.word_order.features[0]': S_SVO is no feature of the set morphology"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "change", "message"), WORD_ORDER_CASES, ids=[c[0] for c in WORD_ORDER_CASES]
)
def test_word_order_settings_that_name_no_feature(default_config, case, change, message):
    config = copy.deepcopy(default_config)
    config["survey"]["word_order"] = {**config["survey"].get("word_order", {}), **change}
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert message in str(error.value)


def test_a_lang2vec_set_without_the_feature_names_it(default_config, shared_data):
    # real languages: lang2vec's own names (WALS 86A is S_POSSESSOR_BEFORE_NOUN)
    config = copy.deepcopy(default_config)
    treebanks = str(shared_data / "ud/ud-treebanks-sample")
    config["data"] = {"source": "real", "ud": {"local_dir": treebanks}}
    config["tasks"], config["methods"] = ["pos"], ["survey"]
    config["languages"] = {"sources": [["en"]], "targets": ["en", "ko"],
                           "distance_features": ["syntax_knn"]}  # fmt: skip
    config["encoder"]["embedded"]["pretrain"]["languages"] = ["en", "ko"]
    order = {"feature_set": "syntax_wals", "features": ["S_SVO", "S_GENITIVE_BEFORE_NOUN"]}
    config["survey"] = {"languages": ["en", "ko"], "analyses": ["word_order"], "word_order": order}
    config.pop("synthetic", None)
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    (problem,) = str(error.value).splitlines()[1:]  # the one problem of the config
    assert problem.strip().startswith(
        "config key 'survey.word_order.features[1]': S_GENITIVE_BEFORE_NOUN is no feature "
        "of the set syntax_wals"
    )
