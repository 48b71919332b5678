"""Tests for WikiANN / PAN-X: local layouts, unlabelled files, splitting, hub, download."""

from __future__ import annotations

import io
import random
import re
import tarfile
from pathlib import Path

import pytest

from xlt.data.corpus import CorpusFormatError, NERSentence
from xlt.data.ner_io import write_wikiann
from xlt.data.sources import wikiann, wikiann_hub
from xlt.languages.codes import convert

TAGS = {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"}


def tag_set(sentences) -> set[str]:
    return {t for s in sentences for t in s.tags}


def pairs(sentences):
    return [(s.words, s.tags) for s in sentences]


@pytest.fixture
def rahimi(shared_data) -> Path:
    return shared_data / "ner" / "wikiann-rahimi"


@pytest.fixture
def panx(shared_data) -> Path:
    return shared_data / "ner" / "panx-xtreme" / "download" / "panx"


# --------------------------------------------------------------------------- local files


def test_rahimi_layout(rahimi):
    sizes = {s: len(wikiann.load_local(rahimi, "en", s)) for s in wikiann.SPLITS}
    assert sizes == {"train": 600, "dev": 200, "test": 300}
    train = wikiann.load_local(rahimi, "en", "train")
    assert tag_set(train) == TAGS
    assert not any(w.startswith("en:") for s in train for w in s.words)
    assert wikiann.find_split(rahimi, "en", "dev") == rahimi / "en" / "dev"


def test_panx_layout(panx):
    assert len(wikiann.load_local(panx, "en", "train")) == 600
    assert len(wikiann.load_local(panx, "en", "dev")) == 200
    assert tag_set(wikiann.load_local(panx, "en", "dev")) <= TAGS
    assert wikiann.find_split(panx, "en", "train") == panx / "train-en.tsv"


def test_panx_train_is_rahimi_train_without_prefix(rahimi, panx):
    assert pairs(wikiann.load_local(panx, "en", "train")) == pairs(
        wikiann.load_local(rahimi, "en", "train")
    )


def test_panx_test_is_unlabelled(panx):
    path = panx / "test-en.tsv"
    assert not wikiann.is_labelled(path)
    assert wikiann.is_labelled(panx / "dev-en.tsv")
    message = f"{path} is unlabelled (XTREME PAN-X test files carry no labels); evaluate on dev"
    with pytest.raises(wikiann.UnlabelledSplitError, match=re.escape(message)):
        wikiann.labelled_split(path)
    with pytest.raises(CorpusFormatError):
        wikiann.load_local(panx, "en", "test")


def test_partly_unlabelled_file_names_the_line(tmp_path):
    path = tmp_path / "mixed.tsv"
    path.write_text("Paris\tB-LOC\nis\n", encoding="utf-8")
    assert not wikiann.is_labelled(path)
    with pytest.raises(CorpusFormatError, match=r"mixed.tsv:2: no label column"):
        wikiann.labelled_split(path)


def test_empty_file_is_a_format_error_not_unlabelled(tmp_path):
    path = tmp_path / "empty.tsv"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="no sentences") as error:
        wikiann.labelled_split(path)
    assert not isinstance(error.value, wikiann.UnlabelledSplitError)


def test_find_split_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="no WikiANN dev file for 'fi'"):
        wikiann.find_split(tmp_path, "fi", "dev")
    with pytest.raises(ValueError, match="unknown split 'validation'"):
        wikiann.find_split(tmp_path, "fi", "validation")


def test_pipeline_code_to_wikiann_directory(tmp_path):
    code = convert("yue", "wikiann")
    sentences = [NERSentence(["香港", "大學"], ["B-ORG", "I-ORG"])]
    write_wikiann(wikiann.rahimi_path(tmp_path, code, "train"), code, sentences)
    assert (tmp_path / "zh-yue" / "train").is_file()
    assert pairs(wikiann.load_local(tmp_path, code, "train")) == pairs(sentences)


# --------------------------------------------------------------------------- splitting


def synthetic(n: int) -> list[NERSentence]:
    return [NERSentence([f"w{i}", "x"], ["B-PER", "O"]) for i in range(n)]


@pytest.mark.parametrize(
    "n, sizes",
    [
        (1000, (800, 100, 100)),
        (999, (801, 99, 99)),
        (10, (8, 1, 1)),
        (5, (5, 0, 0)),
        (0, (0, 0, 0)),
    ],
)
def test_split_sizes(n, sizes):
    assert wikiann.split_sizes(n) == sizes


@pytest.mark.parametrize("fractions", [(0.8, 0.1), (0.8, 0.1, 0.2), (1.1, -0.05, -0.05)])
def test_split_fractions_validated(fractions):
    with pytest.raises(ValueError, match="fractions must be"):
        wikiann.split_sizes(10, fractions)


def test_deterministic_split_sizes_and_partition():
    sentences = synthetic(1000)
    splits = wikiann.deterministic_split(sentences, seed=1)
    assert [len(splits[s]) for s in wikiann.SPLITS] == [800, 100, 100]
    ids = [id(s) for split in splits.values() for s in split]
    assert sorted(ids) == sorted(id(s) for s in sentences)


def test_deterministic_split_ignores_input_order():
    sentences = synthetic(500) + synthetic(3)  # three exact duplicates
    shuffled = sentences[:]
    random.Random(7).shuffle(shuffled)
    a = wikiann.deterministic_split(sentences, seed=3)
    b = wikiann.deterministic_split(shuffled, seed=3)
    assert {k: pairs(v) for k, v in a.items()} == {k: pairs(v) for k, v in b.items()}


def test_deterministic_split_depends_on_seed():
    sentences = synthetic(200)
    a = wikiann.deterministic_split(sentences, seed=1)["test"]
    b = wikiann.deterministic_split(sentences, seed=2)["test"]
    assert pairs(a) != pairs(b)


def test_split_of_real_unsplit_file(rahimi, tmp_path):
    # Stand-in for an original WikiANN file: all three Rahimi splits in one file.
    text = "".join(
        (rahimi / "en" / s).read_text(encoding="utf-8").rstrip("\n") + "\n\n"
        for s in wikiann.SPLITS
    )
    path = tmp_path / "wikiann-en.bio"
    path.write_text(text, encoding="utf-8")
    splits = {s: wikiann.load_unsplit(path, s, seed=1) for s in wikiann.SPLITS}
    assert [len(splits[s]) for s in wikiann.SPLITS] == [880, 110, 110]
    assert tag_set(splits["train"]) == TAGS


# --------------------------------------------------------------------------- hub


def write_hub_copy(root: Path, config: str, rows: dict[str, list[dict]]) -> Path:
    """A local copy laid out like the hub repository: <config>/<split>-*.parquet + README."""
    import datasets

    features = datasets.Features(
        {
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=list(wikiann_hub.HUB_LABELS))),
            "langs": datasets.Sequence(datasets.Value("string")),
        }
    )
    (root / config).mkdir(parents=True)
    card = ["---", "configs:", f"- config_name: {config}", "  data_files:"]
    for split, split_rows in rows.items():
        dataset = datasets.Dataset.from_list(split_rows, features=features)
        dataset.to_parquet(str(root / config / f"{split}-00000-of-00001.parquet"))
        card += [f"  - split: {split}", f"    path: {config}/{split}-*"]
    (root / "README.md").write_text("\n".join([*card, "---", ""]), encoding="utf-8")
    return root


HUB_ROWS = {
    "train": [{"tokens": ["香港", "大學"], "ner_tags": [3, 4], "langs": ["zh-yue"] * 2}],
    "validation": [
        {"tokens": ["a", "b", "c", "d", "e", "f", "g"], "ner_tags": [5, 6, 0, 1, 2, 3, 4]},
        {"tokens": ["x"], "ner_tags": [0]},
    ],
    "test": [{"tokens": ["y"], "ner_tags": [1]}],
}


def test_load_hub_from_local_copy(tmp_path):
    pytest.importorskip("datasets")
    rows = {
        k: [{"langs": ["zh-yue"] * len(r["tokens"]), **r} for r in v] for k, v in HUB_ROWS.items()
    }
    hub = write_hub_copy(tmp_path / "hub", "zh-yue", rows)
    cache = tmp_path / "cache"
    dev = wikiann_hub.load_hub("zh-yue", "dev", cache, path=str(hub))
    assert pairs(dev) == [
        (list("abcdefg"), ["B-LOC", "I-LOC", "O", "B-PER", "I-PER", "B-ORG", "I-ORG"]),
        (["x"], ["O"]),
    ]
    assert pairs(wikiann_hub.load_hub("zh-yue", "train", cache, path=str(hub))) == [
        (["香港", "大學"], ["B-ORG", "I-ORG"])
    ]
    with pytest.raises(ValueError, match="unknown split 'validation'"):
        wikiann_hub.load_hub("zh-yue", "validation", cache, path=str(hub))


def test_hub_rows_without_class_labels_use_the_card_order():
    datasets = pytest.importorskip("datasets")
    plain = datasets.Dataset.from_list([{"tokens": ["a", "b"], "ner_tags": [5, 0]}])
    assert pairs(wikiann_hub.hub_to_sentences(plain)) == [(["a", "b"], ["B-LOC", "O"])]


# --------------------------------------------------------------------------- download


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def inner_archive(code: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for split in [*wikiann.SPLITS, "extra"]:
            add_bytes(tar, split, f"{code}:Paris\tB-LOC\n{code}:{split}\tO\n\n".encode())
    return buffer.getvalue()


def outer_archive(path: Path, codes: list[str]) -> Path:
    with tarfile.open(path, "w") as tar:
        for code in codes:
            add_bytes(tar, f"{code}.tar.gz", inner_archive(code))
    return path


def no_sleep(_seconds):
    pass


def test_download_rahimi_from_file_url(tmp_path):
    source = outer_archive(tmp_path / "panx_dataset.tar", ["en", "zh-yue"])
    root = tmp_path / "wikiann"
    dest = wikiann.download_rahimi("zh-yue", root / "zh-yue", url=source.as_uri(), sleep=no_sleep)
    assert sorted(p.name for p in dest.iterdir()) == ["dev", "test", "train"]
    assert pairs(wikiann.load_local(root, "zh-yue", "test")) == [
        (["Paris", "test"], ["B-LOC", "O"])
    ]

    def opener(*args, **kwargs):
        raise AssertionError("the cached archive must be reused")

    wikiann.download_rahimi("en", root / "en", opener=opener)
    assert len(wikiann.load_local(root, "en", "train")) == 1
    assert sorted(p.name for p in root.iterdir()) == ["en", "panx_dataset.tar", "zh-yue"]


def test_download_rahimi_unknown_language_leaves_nothing(tmp_path):
    source = outer_archive(tmp_path / "panx_dataset.tar", ["en"])
    root = tmp_path / "wikiann"
    with pytest.raises(ValueError, match="no kv.tar.gz"):
        wikiann.download_rahimi("kv", root / "kv", url=source.as_uri(), sleep=no_sleep)
    assert sorted(p.name for p in root.iterdir()) == ["panx_dataset.tar"]


def test_download_rahimi_failed_fetch_leaves_nothing(tmp_path):
    root = tmp_path / "wikiann"
    url = (tmp_path / "missing.tar").as_uri()
    with pytest.raises(ConnectionError):
        wikiann.download_rahimi("en", root / "en", url=url, retries=1, sleep=no_sleep)
    assert not (root / "en").exists()
    assert not root.exists() or list(root.iterdir()) == []
