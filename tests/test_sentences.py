"""Labelled sentences in a directory a user points data.sentiment.local_dir at."""

import json

import pytest

from xlt.data import real_data
from xlt.data.sources.sentences import find_file, read_sentences, write_sentences

LABELS = ("negative", "positive")
CFG = {"local_dir": None, "eval_split": "test"}


@pytest.fixture
def reviews(tmp_path):
    rows = [
        {"text": 'Great "value"\tfor money', "label": "positive"},
        {"text": "Broke after a day", "label": "negative"},
    ]
    write_sentences(tmp_path / "train-en.tsv", rows)
    lines = [
        json.dumps(r, ensure_ascii=False) for r in ({"text": "Sehr gut", "label": "positive"},)
    ]
    (tmp_path / "test-de.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "dev-de.tsv").write_text("Schlecht\tnegative\n")
    return tmp_path, rows


def test_tsv_and_jsonl_read_back(reviews):
    root, rows = reviews
    assert read_sentences(root / "train-en.tsv", LABELS) == rows  # quotes and tabs survive
    assert read_sentences(find_file(root, "de", "test"), LABELS) == [
        {"text": "Sehr gut", "label": "positive"}
    ]


def test_records_follow_the_eval_split(reviews):
    root, _ = reviews
    data = {"sentiment": {**CFG, "local_dir": str(root)}, "ner": {"split_seed": 1}}
    assert real_data.records("sentiment", root, "de", "test", "test", data) == [
        {"text": "Sehr gut", "label": "positive"}
    ]
    data["sentiment"]["eval_split"] = "dev"
    source = real_data.source("sentiment", root, "de", "test", "test", data)
    assert source["files"] == [str(root / "dev-de.tsv")]
    assert "data.sentiment.eval_split" in source["notes"][0]


def test_data_gaps_name_what_is_missing(reviews):
    root, _ = reviews
    data = {"ud": {}, "ner": {}, "sentiment": {**CFG, "local_dir": str(root)}}
    assert real_data.data_gap("sentiment", "en", "train", data) is None
    assert "no test file for 'en'" in real_data.data_gap("sentiment", "en", "test", data)
    data["sentiment"]["local_dir"] = None
    assert "set data.sentiment.local_dir" in real_data.data_gap("sentiment", "de", "test", data)


def test_two_files_for_one_split_is_an_error(reviews):
    root, _ = reviews
    (root / "test-de.tsv").write_text("x\tpositive\n")
    with pytest.raises(ValueError, match="keep one"):
        find_file(root, "de", "test")
