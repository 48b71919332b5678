"""The registry of real data sources: every task's corpus kind has one source,
each configured by a block of the schema's ``data``, and the input functions
ask the source instead of branching on the kind."""

import pytest
import yaml

from xlt import tasks
from xlt.core.paths import SCHEMAS
from xlt.data import real_data
from xlt.data.sources.registry import SOURCES, config_block, for_task

DATA = {
    "source": "real",
    "ud": {"version": "2.4", "local_dir": None, "policy": "largest", "treebanks": {}},
    "ner": {"source": "rahimi", "local_dir": None, "split_seed": 1, "eval_split": "test"},
    "conll": {"local_dir": None, "download": True},
    "xnli": {"source": "hub", "local_dir": None, "eval_split": "test"},
    "sentiment": {"local_dir": "my/sentences", "eval_split": "test"},
    "qa": {"source": "hub", "local_dir": None, "reserved_articles": 0},
}


def test_every_task_has_the_source_of_its_corpus_kind():
    for name, task in tasks.TASKS.items():
        assert for_task(name).kind == task.corpus, name


def test_every_source_is_configured_by_a_block_of_the_schema():
    schema = yaml.safe_load((SCHEMAS / "config.schema.yaml").read_text())
    blocks = set(schema["properties"]["data"]["properties"])
    assert {source.config_key for source in SOURCES.values()} <= blocks
    assert [config_block(t) for t in ("pos", "dep", "ner", "conll_ner", "xnli", "qa")] == [
        "ud", "ud", "ner", "conll", "xnli", "qa",
    ]  # fmt: skip


def test_a_sources_root_is_the_users_directory_or_where_its_download_goes():
    assert real_data.data_root("pos", DATA) == "resources/ud/ud-treebanks-v2.4"
    assert real_data.data_root("ner", DATA) == "resources/wikiann/rahimi"
    assert real_data.data_root("xnli", DATA) == "resources/xnli/hub"
    assert real_data.data_root("qa", DATA) == "resources/qa/hub"
    assert real_data.data_root("conll_ner", DATA) == "resources/conll/conll2002"
    assert real_data.data_root("sentiment", DATA) == "my/sentences"
    local = {**DATA, "ud": {**DATA["ud"], "local_dir": "my/ud"}}
    assert real_data.data_root("dep", local) == "my/ud"
    assert for_task("dep").from_local_dir(local["ud"])
    assert not for_task("pos").from_local_dir(DATA["ud"])


def test_a_download_is_the_input_of_a_languages_corpus():
    wikiann = for_task("ner")
    assert wikiann.inputs(DATA["ner"], "resources/wikiann/rahimi", "zh") == [
        "resources/wikiann/rahimi/zh"
    ]
    xnli = for_task("xnli")
    assert xnli.inputs(DATA["xnli"], "resources/xnli/hub", "de", "test") == [
        "resources/xnli/hub/test-de.tsv"
    ]
    # without MultiNLI at hand, the first rows of the dev file train
    from_dev = {**DATA["xnli"], "train_from_dev": {"train": 100, "dev": 50}}
    assert xnli.inputs(from_dev, "resources/xnli/hub", "en", "train") == [
        "resources/xnli/hub/dev-en.tsv"
    ]
    # a user's directory is an input only once it exists
    assert for_task("sentiment").inputs(DATA["sentiment"], "my/sentences", "de") == []


def test_a_task_without_a_source_is_an_error(monkeypatch):
    monkeypatch.setitem(tasks.TASKS, "made_up", tasks.TASKS["pos"].__class__(
        **{**vars(tasks.TASKS["pos"]), "corpus": "nowhere"}))  # fmt: skip
    with pytest.raises(ValueError, match="no real data source for task 'made_up'"):
        for_task("made_up")
