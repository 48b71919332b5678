"""XNLI / MultiNLI loading from local copies in the hub's formats (no network)."""

import datasets
import pytest

from xlt.data.sources.xnli_hub import LABELS, examples_from_dataset, load_split, load_xnli

HUB_NAMES = ["entailment", "neutral", "contradiction"]  # facebook/xnli, nyu-mll/multi_nli

# (premise, hypothesis, label name); None = no gold label (-1)
ROWS = [
    ("p0", "h0", "entailment"),
    ("p1", "h1", "contradiction"),
    ("p2", "h2", None),
    ("p3", "h3", "neutral"),
    ("p4", "h4", "contradiction"),
]
EXPECTED = [
    {"premise": p, "hypothesis": h, "label": label} for p, h, label in ROWS if label is not None
]


def _xnli_dataset(rows, names=HUB_NAMES):
    features = datasets.Features(
        {
            "premise": datasets.Value("string"),
            "hypothesis": datasets.Value("string"),
            "label": datasets.ClassLabel(names=names),
        }
    )
    data = {
        "premise": [r[0] for r in rows],
        "hypothesis": [r[1] for r in rows],
        "label": [-1 if r[2] is None else names.index(r[2]) for r in rows],
    }
    return datasets.Dataset.from_dict(data, features=features)


def _mnli_dataset(rows):
    """MultiNLI as nyu-mll/multi_nli stores it: extra columns, same ClassLabel."""
    features = datasets.Features(
        {
            "promptID": datasets.Value("int32"),
            "pairID": datasets.Value("string"),
            "premise": datasets.Value("string"),
            "premise_binary_parse": datasets.Value("string"),
            "premise_parse": datasets.Value("string"),
            "hypothesis": datasets.Value("string"),
            "hypothesis_binary_parse": datasets.Value("string"),
            "hypothesis_parse": datasets.Value("string"),
            "genre": datasets.Value("string"),
            "label": datasets.ClassLabel(names=HUB_NAMES),
        }
    )
    n = len(rows)
    data = {
        "promptID": list(range(n)),
        "pairID": [f"{i}e" for i in range(n)],
        "premise": [r[0] for r in rows],
        "premise_binary_parse": ["( x )"] * n,
        "premise_parse": ["(ROOT x)"] * n,
        "hypothesis": [r[1] for r in rows],
        "hypothesis_binary_parse": ["( y )"] * n,
        "hypothesis_parse": ["(ROOT y)"] * n,
        "genre": ["fiction"] * n,
        "label": [-1 if r[2] is None else HUB_NAMES.index(r[2]) for r in rows],
    }
    return datasets.Dataset.from_dict(data, features=features)


@pytest.fixture
def hub_copy(tmp_path):
    """Local copies laid out as on the hub: facebook/xnli/<lang>/<split>-00000-of-00001.parquet
    and nyu-mll/multi_nli/data/train-00000-of-00001.parquet."""
    xnli = tmp_path / "xnli"
    for lang in ("ar", "en"):
        (xnli / lang).mkdir(parents=True)
        _xnli_dataset(ROWS).to_parquet(str(xnli / lang / "test-00000-of-00001.parquet"))
        _xnli_dataset(ROWS[:2]).to_parquet(str(xnli / lang / "validation-00000-of-00001.parquet"))
    # facebook/xnli's train split of a language is XNLI-MT's translation of MultiNLI
    _xnli_dataset(ROWS[3:]).to_parquet(str(xnli / "ar" / "train-00000-of-00001.parquet"))
    mnli = tmp_path / "multi_nli"
    (mnli / "data").mkdir(parents=True)
    _mnli_dataset(ROWS).to_parquet(str(mnli / "data" / "train-00000-of-00001.parquet"))
    _mnli_dataset(ROWS[:1]).to_parquet(
        str(mnli / "data" / "validation_matched-00000-of-00001.parquet")
    )
    return {"xnli": xnli, "mnli": mnli, "cache": tmp_path / "cache"}


def test_parquet_in_the_hub_layout(hub_copy):
    test = load_xnli("ar", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    assert test == EXPECTED  # 5 rows, the -1 row dropped, order kept
    dev = load_xnli("ar", "dev", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    assert [e["label"] for e in dev] == ["entailment", "contradiction"]
    assert load_xnli("ar", "validation", source=hub_copy["xnli"], cache_dir=hub_copy["cache"]) == (
        dev
    )
    # ClassLabel names survive the parquet round trip
    dataset = load_split("ar", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    assert dataset.features["label"].names == HUB_NAMES
    assert dataset.num_rows == 5


def test_rows_without_gold_label_are_counted(hub_copy):
    dataset = load_split("ar", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    examples, dropped = examples_from_dataset(dataset)
    assert (len(examples), dropped) == (4, 1)
    assert {e["label"] for e in examples} <= set(LABELS)


def test_english_train_is_multinli_mapped_like_xnli(hub_copy):
    train = load_xnli("en", "train", source=hub_copy["mnli"], cache_dir=hub_copy["cache"])
    assert train == EXPECTED
    en_test = load_xnli("en", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    assert train == en_test  # same rows, same ClassLabel ints -> same names
    assert set(train[0]) == {"premise", "hypothesis", "label"}  # MNLI's extra columns dropped


def test_labels_are_mapped_by_name_not_position(tmp_path):
    permuted = ["contradiction", "entailment", "neutral"]
    dataset = _xnli_dataset(ROWS, names=permuted)
    assert dataset["label"][:2] == [1, 0]  # entailment is index 1 here
    path = tmp_path / "de" / "test-00000-of-00001.parquet"
    path.parent.mkdir()
    dataset.to_parquet(str(path))
    assert load_xnli("de", "test", source=tmp_path, cache_dir=tmp_path / "cache") == EXPECTED


def test_save_to_disk_dataset_dict(tmp_path):
    splits = datasets.DatasetDict(
        {"validation": _xnli_dataset(ROWS[:2]), "test": _xnli_dataset(ROWS)}
    )
    splits.save_to_disk(str(tmp_path / "saved" / "fr"))
    assert load_xnli("fr", "test", source=tmp_path / "saved") == EXPECTED
    assert len(load_xnli("fr", "dev", source=tmp_path / "saved" / "fr")) == 2
    datasets.DatasetDict({"test": _xnli_dataset(ROWS)}).save_to_disk(str(tmp_path / "mnli"))
    with pytest.raises(ValueError, match="no split 'train'"):
        load_xnli("en", "train", source=tmp_path / "mnli")


def test_single_parquet_file_and_split_files_in_the_source_directory(tmp_path):
    path = tmp_path / "test-00000-of-00001.parquet"
    _xnli_dataset(ROWS).to_parquet(str(path))
    assert load_xnli("vi", "test", source=path, cache_dir=tmp_path / "cache") == EXPECTED
    assert load_xnli("vi", "test", source=tmp_path, cache_dir=tmp_path / "cache") == EXPECTED


def test_string_labels(tmp_path):
    dataset = datasets.Dataset.from_dict(
        {
            "premise": ["a", "b", "c"],
            "hypothesis": ["x", "y", "z"],
            "label": ["neutral", "-", "entailment"],
        }
    )
    examples, dropped = examples_from_dataset(dataset)
    assert [e["label"] for e in examples] == ["neutral", "entailment"]
    assert dropped == 1
    bad = datasets.Dataset.from_dict({"premise": ["a"], "hypothesis": ["x"], "label": ["maybe"]})
    with pytest.raises(ValueError, match="unknown label 'maybe'"):
        examples_from_dataset(bad)


def test_unknown_labels_are_rejected():
    extra = _xnli_dataset(ROWS[:1], names=[*HUB_NAMES, "hidden"])
    with pytest.raises(ValueError, match=r"unknown label name\(s\) \['hidden'\]"):
        examples_from_dataset(extra)
    plain = datasets.Dataset.from_dict({"premise": ["a"], "hypothesis": ["x"], "label": [0]})
    with pytest.raises(ValueError, match="cannot be mapped by name"):
        examples_from_dataset(plain)
    missing = datasets.Dataset.from_dict({"premise": ["a"], "label": ["neutral"]})
    with pytest.raises(ValueError, match="lacks column"):
        examples_from_dataset(missing)


def test_non_english_train_is_xnli_mt_from_the_language_config(hub_copy):
    train = load_xnli("ar", "train", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    assert [e["premise"] for e in train] == ["p3", "p4"]
    assert [e["label"] for e in train] == ["neutral", "contradiction"]


def test_argument_errors(hub_copy):
    with pytest.raises(ValueError, match="XNLI has no language 'fi'"):
        load_xnli("fi", "test", source=hub_copy["xnli"])
    with pytest.raises(ValueError, match="unknown XNLI split 'validation_matched'"):
        load_xnli("en", "validation_matched", source=hub_copy["mnli"])
    with pytest.raises(FileNotFoundError, match="no 'test' data of 'de'"):
        load_xnli("de", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_xnli("de", "test", source=hub_copy["xnli"] / "missing")


# --- XTREME's layout: what the workflow reads --------------------------------


def test_hub_examples_written_in_xtremes_layout_read_back(hub_copy, tmp_path):
    from xlt.data.sources.xnli import read_xtreme, write_xtreme

    test = load_xnli("ar", "test", source=hub_copy["xnli"], cache_dir=hub_copy["cache"])
    quoted = [*test, {"premise": 'He said "no"\tthen left', "hypothesis": "x", "label": "neutral"}]
    write_xtreme(tmp_path / "test-ar.tsv", quoted)
    back = read_xtreme(tmp_path / "test-ar.tsv")
    assert back[:-1] == EXPECTED
    # csv quoting keeps a quote and a tab inside a field (stripped of nothing else)
    assert back[-1]["premise"] == 'He said "no"\tthen left'


def test_xtreme_dev_sample(shared_data):
    from xlt.data.sources.xnli import read_xtreme

    dev = read_xtreme(shared_data / "xnli/xtreme/dev-de.tsv")  # CRLF line ends
    assert len(dev) == 300
    assert dev[0] == {
        "premise": "und er hat gesagt, Mama ich bin daheim.",
        "hypothesis": "Er rief seine Mutter an, sobald er aus dem Schulbus stieg.",
        "label": "neutral",
    }
    # PROVENANCE: 100 of each label in every 300-row dev prefix, the same in every language
    labels = [e["label"] for e in dev]
    assert {label: labels.count(label) for label in LABELS} == dict.fromkeys(LABELS, 100)
    english = [e["label"] for e in read_xtreme(shared_data / "xnli/xtreme/dev-en.tsv")]
    assert english == labels


def test_unlabelled_xtreme_test_file_is_refused(shared_data):
    from xlt.data.corpus import CorpusFormatError
    from xlt.data.sources.xnli import read_xtreme

    with pytest.raises(
        CorpusFormatError, match=r"test-de\.tsv:1: no label column.*eval_split: dev"
    ):
        read_xtreme(shared_data / "xnli/xtreme/test-de.tsv")


def test_train_from_dev_rows_never_overlap(shared_data):
    from xlt.data.sources.xnli import xnli_source, xnli_split

    cfg = {"source": "local", "eval_split": "dev", "train_from_dev": {"train": 150, "dev": 50}}
    root = shared_data / "xnli/xtreme"
    train, dev = (xnli_split(root, "en", split, "test", cfg) for split in ("train", "dev"))
    test_en, test_de = (xnli_split(root, lang, "test", "test", cfg) for lang in ("en", "de"))
    # a premise's three rows stay on one side: 150 is a multiple of 3, 200 is not
    assert (len(train), len(dev), len(test_en), len(test_de)) == (150, 51, 99, 99)
    premises = [{e["premise"] for e in part} for part in (train, dev, test_en)]
    assert not premises[0] & premises[1] and not premises[1] & premises[2]
    # German rows 201-300 are the translations of the English rows scored
    assert [e["label"] for e in test_de] == [e["label"] for e in test_en]
    assert "rows 201-end" in xnli_source(root, "de", "test", "test", cfg)["notes"][0]
    plain = {"source": "local", "eval_split": "dev", "train_from_dev": None}
    assert xnli_source(root, "de", "test", "test", plain)["files"] == [str(root / "dev-de.tsv")]
    assert xnli_source(root, "en", "train", "test", plain)["files"] == [str(root / "train-en.tsv")]


# --- XNLI-MT 1.0: the release's translated training files ----------------------

MT_FILE = (
    "\ufeffpremise\thypo\tlabel\n"
    'Il a dit "non\tRien\tcontradictory\n'  # a lone quote: the release does not quote
    "Une phrase\u2028coupée\tAutre\tentailment\r\n"  # U+2028 inside a cell, CRLF
    "\n"
    "P\tH\tneutral\n"
)


def _mt_root(tmp_path, text=MT_FILE, lang="de"):
    from xlt.data.sources.xnli import mt_path

    path = mt_path(tmp_path, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_xnli_mt_file_is_read_unquoted_with_xnli_label_names(tmp_path):
    from xlt.data.sources.xnli import read_mt

    path = _mt_root(tmp_path)
    assert path == tmp_path / "XNLI-MT-1.0/multinli/multinli.train.de.tsv"
    assert read_mt(path) == [
        {"premise": 'Il a dit "non', "hypothesis": "Rien", "label": "contradiction"},
        {"premise": "Une phrase\u2028coupée", "hypothesis": "Autre", "label": "entailment"},
        {"premise": "P", "hypothesis": "H", "label": "neutral"},
    ]


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("sentence1\tsentence2\tgold_label\na\tb\tneutral\n", ":1:", "expected the header"),
        ("", ":1:", "found an empty line"),
        ("premise\thypo\tlabel\na\tb\tneutral\na\tneutral\n", ":3:", "found 2"),
        ("premise\thypo\tlabel\na\tb\tcontradiction\n", ":2:", "'contradiction' is not one"),
        ("premise\thypo\tlabel\n \tb\tneutral\n", ":2:", "empty premise"),
        ("premise\thypo\tlabel\n\n", ": ", "no examples"),
    ],
)
def test_malformed_xnli_mt_files_name_file_and_line(tmp_path, text, where, message):
    from xlt.data.corpus import CorpusFormatError
    from xlt.data.sources.xnli import read_mt

    path = _mt_root(tmp_path, text)
    with pytest.raises(CorpusFormatError, match=f"multinli.train.de.tsv{where}.*{message}"):
        read_mt(path)


def test_translated_train_reads_xnli_mt_for_every_language_but_english(tmp_path):
    from xlt.data.real_data import target_split_gap
    from xlt.data.sources.xnli import xnli_source, xnli_split

    _mt_root(tmp_path)
    cfg = {"source": "local", "local_dir": str(tmp_path), "eval_split": "dev",
           "train_from_dev": None, "translated_train": True}  # fmt: skip
    assert [e["label"] for e in xnli_split(tmp_path, "de", "train", "test", cfg)] == [
        "contradiction", "entailment", "neutral"
    ]  # fmt: skip
    source = xnli_source(tmp_path, "de", "train", "test", cfg)
    assert source["files"] == [str(tmp_path / "XNLI-MT-1.0/multinli/multinli.train.de.tsv")]
    assert "XNLI-MT 1.0" in source["notes"][0]
    # English stays MultiNLI (XTREME's train-en.tsv); dev and test stay XNLI's
    assert xnli_source(tmp_path, "en", "train", "test", cfg)["files"] == [
        str(tmp_path / "train-en.tsv")
    ]
    assert xnli_source(tmp_path, "de", "dev", "test", cfg)["files"] == [
        str(tmp_path / "dev-de.tsv")
    ]
    # a hub download writes the translation in XTREME's layout
    hub = {**cfg, "source": "hub"}
    assert xnli_source(tmp_path, "de", "train", "test", hub)["files"] == [
        str(tmp_path / "train-de.tsv")
    ]
    data = {"xnli": cfg, "ud": {}, "ner": {}}
    assert target_split_gap("xnli", "de", "train", data) is None
    assert target_split_gap("xnli", "fr", "train", data) == (
        f"no multinli.train.fr.tsv in {tmp_path}"
    )
    with pytest.raises(FileNotFoundError, match="multinli.train.fr.tsv does not exist.*unpack"):
        xnli_split(tmp_path, "fr", "train", "test", cfg)
    off = {**cfg, "translated_train": False}
    assert "data.xnli.translated_train" in target_split_gap(
        "xnli", "de", "train", {**data, "xnli": off}
    )


def test_an_empty_split_says_where_its_rows_were_to_come_from(shared_data, tmp_path):
    import runpy
    from types import SimpleNamespace

    from xlt.core.paths import PROJECT
    from xlt.data.corpus import CorpusFormatError

    # the sample's dev files have 300 rows: training and selection take them all
    cfg = {"source": "local", "eval_split": "dev", "train_from_dev": {"train": 270, "dev": 30},
           "translated_train": False}  # fmt: skip
    job = SimpleNamespace(
        wildcards=SimpleNamespace(task="xnli", lang="de", split="test"),
        params=SimpleNamespace(root=str(shared_data / "xnli/xtreme"), role="target",
                               data={"xnli": cfg}),
        output=SimpleNamespace(corpus=str(tmp_path / "c.jsonl"), source=str(tmp_path / "s")),
    )  # fmt: skip
    main = runpy.run_path(str(PROJECT / "workflow_scripts/preprocess_corpus.py"))["main"]
    with pytest.raises(CorpusFormatError) as error:
        main(job)
    assert str(error.value).startswith(f"{shared_data / 'xnli/xtreme/dev-de.tsv'}: empty split")
    assert "xnli de test: rows 301-end of the dev file" in str(error.value)
    assert "data.xnli.train_from_dev" in str(error.value)
    assert not (tmp_path / "c.jsonl").exists()
