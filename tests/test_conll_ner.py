"""Task conll_ner: the CoNLL-2002/2003 shared tasks' NER files (xlt.data.sources.conll), read
through the real-data rules (xlt.data.real_data) and checked by the config."""

import copy
import io
import zipfile
from collections import Counter

import pytest

from conftest import SHARED_DATA, without_shared_data
from xlt import tasks
from xlt.config.validation import ConfigError, validate_config
from xlt.data.corpus import CorpusFormatError
from xlt.data.ner_io import read_ner
from xlt.data.preprocess import preprocess
from xlt.data.real_data import data_gap, records, source, unlabelled_text
from xlt.data.sources import conll
from xlt.families.registry import needed_corpora
from xlt.tasks.metrics import entity_spans, repair_bio

CONLL_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]

# English-like (CoNLL-2003): token POS chunk NER, IOB1, -DOCSTART- documents.
ENG = (
    "-DOCSTART- -X- -X- O\n"
    "\n"
    "Deutsche NNP I-NP I-ORG\n"  # 3
    "Bank NNP I-NP I-ORG\n"
    "Peter NNP I-NP I-PER\n"  # another type right after: a new entity
    "says VBZ I-VP O\n"
    "\n"
    "Paris NNP I-NP I-LOC\n"  # 8
    "Berlin NNP I-NP B-LOC\n"  # IOB1's B-: a second LOC right after the first
    "and CC O O\n"
    "German JJ I-NP I-MISC\n"
    "\n"
)
# German-like (CoNLL-2003): token lemma POS chunk NER, Latin-1.
DEU = (
    "-DOCSTART- -X- -X- -X- O\n"
    "\n"
    "Köln Köln NE I-NC I-LOC\n"
    "grüßt grüßen VVFIN I-VC O\n"
    "Jürgen Jürgen NE I-NC I-PER\n"
    "Groß Groß NE I-NC I-PER\n"
    "\n"
)
# Dutch-like (CoNLL-2002): token POS NER, IOB2, -DOCSTART- lines right before a sentence.
NED = (
    "-DOCSTART- -DOCSTART- O\n"
    "De Art O\n"
    "Morgen N B-ORG\n"
    "\n"
    "Zo Adv O\n"
    "-DOCSTART- -DOCSTART- O\n"  # a document boundary ends the sentence
    "Jan N B-PER\n"
    "Peeters N I-PER\n"
)


def write(path, text: str, encoding: str = "utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def pairs(sentences):
    return [(s.words, s.tags) for s in sentences]


def data_cfg(local_dir=None, download=False) -> dict:
    return {
        "source": "real",
        "ud": {"local_dir": None},
        "ner": {"local_dir": None},
        "conll": {"local_dir": local_dir, "download": download},
    }


def files_for(directory, prefix: str, texts: dict[str, str], encoding="utf-8"):
    """``<directory>/<prefix>.{train,testa,testb}`` from ``texts`` keyed by file split."""
    for file_split, text in texts.items():
        write(directory / f"{prefix}.{file_split}", text, encoding)
    return directory


def one_token(word: str, tag: str = "O", columns: int = 3) -> str:
    return " ".join([word, *["X"] * (columns - 2), tag]) + "\n"


# --------------------------------------------------------------------------- IOB1 -> IOB2


def test_the_task_is_a_tagging_task_scored_by_span_f1_over_four_types():
    task = tasks.get("conll_ner")
    assert (task.kind, task.corpus, task.metric) == ("tagging", "conll", "span_f1")
    assert tasks.labels("conll_ner") == CONLL_LABELS
    assert tasks.labels("ner") == CONLL_LABELS[:7]  # WikiANN's set is unchanged


@pytest.mark.parametrize(
    ("iob1", "iob2"),
    [
        (["I-ORG", "I-ORG", "I-PER"], ["B-ORG", "I-ORG", "B-PER"]),
        (["I-LOC", "B-LOC"], ["B-LOC", "B-LOC"]),
        (["O", "I-MISC", "I-MISC", "O", "I-MISC"], ["O", "B-MISC", "I-MISC", "O", "B-MISC"]),
        (["B-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"]),  # IOB2 stays as it is
    ],
)
def test_iob1_becomes_iob2(iob1, iob2):
    assert repair_bio(iob1) == iob2


def test_an_english_file_is_read_in_iob2(tmp_path):
    path = write(tmp_path / "eng.train", ENG)
    sentences = conll.read_conll(path)
    assert pairs(sentences) == [
        (["Deutsche", "Bank", "Peter", "says"], ["B-ORG", "I-ORG", "B-PER", "O"]),
        (["Paris", "Berlin", "and", "German"], ["B-LOC", "B-LOC", "O", "B-MISC"]),
    ]
    assert [s.line for s in sentences] == [3, 8]
    # the file's entities, as IOB1 means them, are the records' entities
    assert [entity_spans(s.tags) for s in sentences] == [
        [("ORG", 0, 2), ("PER", 2, 3)],
        [("LOC", 0, 1), ("LOC", 1, 2), ("MISC", 3, 4)],
    ]
    assert conll.conll_records(path) == [{"words": s.words, "labels": s.tags} for s in sentences]


def test_a_latin1_german_file_with_five_columns(tmp_path):
    path = write(tmp_path / "deu.testa", DEU, encoding="latin-1")
    with pytest.raises(CorpusFormatError, match="is not UTF-8"):
        read_ner(path)  # the shared reader wants UTF-8 ...
    sentences = conll.read_conll(path)  # ... CoNLL's falls back to Latin-1
    assert pairs(sentences) == [
        (["Köln", "grüßt", "Jürgen", "Groß"], ["B-LOC", "O", "B-PER", "I-PER"])
    ]
    utf8 = write(tmp_path / "utf8" / "deu.testa", DEU)  # a converted copy reads the same
    assert pairs(conll.read_conll(utf8)) == pairs(sentences)


def test_a_utf8_file_with_one_latin1_byte_is_refused_not_read_as_latin1(tmp_path):
    # België in UTF-8 on line 1, Zürich in Latin-1 (0xfc) on line 3: read as Latin-1,
    # every UTF-8 letter would become two (BelgiÃ«)
    path = tmp_path / "ned.testa"
    path.write_bytes("België B-LOC\n\n".encode() + "Zürich B-LOC\n".encode("latin-1"))
    with pytest.raises(CorpusFormatError) as error:
        conll.read_conll(path)
    message = str(error.value)
    assert message.startswith(f"{path}:3: ")
    # line 1 and its newline are 14 bytes, blank line 2 one more: Z is byte 15, ü 16
    assert "byte 16 (column 2, 0xfc) is not UTF-8, but line 1 is UTF-8 (bytes c3 ab)" in message
    assert "the file mixes encodings; make it all UTF-8 or all latin-1" in message
    with pytest.raises(CorpusFormatError, match="mixes encodings"):
        conll.conll_records(path)


def test_a_dutch_file_with_docstart_lines(tmp_path):
    sentences = conll.read_conll(write(tmp_path / "ned.train", NED))
    assert pairs(sentences) == [
        (["De", "Morgen"], ["O", "B-ORG"]),
        (["Zo"], ["O"]),
        (["Jan", "Peeters"], ["B-PER", "I-PER"]),
    ]
    assert [s.line for s in sentences] == [2, 5, 7]


def test_the_preprocessing_reader_of_the_task(tmp_path):
    path = write(tmp_path / "eng.testb", ENG)
    out = tmp_path / "test.jsonl"
    assert preprocess("conll_ner", path, out) == 2
    assert out.read_text().splitlines()[0] == (
        '{"words": ["Deutsche", "Bank", "Peter", "says"], '
        '"labels": ["B-ORG", "I-ORG", "B-PER", "O"]}'
    )


# --------------------------------------------------------------------------- files and splits


@pytest.fixture
def conll_dirs(tmp_path):
    """CoNLL-2003 English flat in one directory, CoNLL-2002 Dutch in a conll2002/
    subdirectory of another; every file's one word names it."""
    english = tmp_path / "reuters"
    for file_split in ("train", "testa", "testb"):
        write(english / f"eng.{file_split}", one_token(f"eng-{file_split}", columns=4))
    corpora = tmp_path / "corpora"
    for file_split in ("train", "testa", "testb"):
        write(corpora / "conll2002" / f"ned.{file_split}", one_token(f"ned-{file_split}"))
    return [str(english), str(corpora)]


@pytest.mark.parametrize(
    ("lang", "split", "word"),
    [
        ("en", "train", "eng-train"),
        ("en", "dev", "eng-testa"),
        ("en", "test", "eng-testb"),
        ("nl", "train", "ned-train"),
        ("nl", "dev", "ned-testa"),
        ("nl", "test", "ned-testb"),
    ],
)
def test_testa_is_dev_and_testb_is_test(conll_dirs, lang, split, word):
    cfg = data_cfg(conll_dirs)
    for role in ("train", "test"):  # the split does not depend on the language's role
        assert records("conll_ner", "resources/conll/conll2002", lang, split, role, cfg) == [
            {"words": [word], "labels": ["O"]}
        ]
    found = source("conll_ner", "unused", lang, split, "train", cfg)
    assert found["files"][0].endswith(f"{conll.file_name(lang, split)}")
    assert conll.file_name(lang, split) == word.replace("-", ".")


def test_source_says_which_shared_task_and_file(conll_dirs):
    cfg = data_cfg(conll_dirs)
    dev = source("conll_ner", "unused", "en", "dev", "train", cfg)
    assert dev == {
        "files": [f"{conll_dirs[0]}/eng.testa"],
        "notes": ["CoNLL-2003 eng.testa (the shared task's development data)"],
    }
    test = source("conll_ner", "unused", "nl", "test", "test", cfg)
    assert test["files"] == [f"{conll_dirs[1]}/conll2002/ned.testb"]


def test_directories_are_searched_in_order(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write(first / "conll2002" / "esp.train", one_token("first"))
    write(second / "esp.train", one_token("second"))
    assert conll.find_local([str(first), str(second)], "es", "train") == (
        first / "conll2002" / "esp.train"
    )
    assert conll.find_local([str(second), str(first)], "es", "train") == second / "esp.train"
    assert conll.find_local(str(second), "es", "train") == second / "esp.train"  # one directory
    assert conll.find_local(None, "es", "train") is None


def test_conll2002_comes_from_the_download_unless_local(tmp_path, conll_dirs):
    download = tmp_path / "resources" / "conll2002"
    cfg = data_cfg(conll_dirs, download=True)["conll"]
    assert conll.resolve(cfg, "es", "train", download) == download / "esp.train"
    assert conll.resolve(cfg, "nl", "train", download) == (
        tmp_path / "corpora" / "conll2002" / "ned.train"
    )
    found = source("conll_ner", download, "es", "test", "test", data_cfg(conll_dirs, True))
    assert found["notes"] == [
        "CoNLL-2002 esp.testb",
        "CoNLL-2002 from NLTK's data (data.conll.download)",
    ]
    with pytest.raises(FileNotFoundError, match="the download_conll2002 rule writes"):
        records("conll_ner", download, "es", "test", "test", data_cfg(conll_dirs, True))


def test_pretraining_text_is_train_and_testa_never_testb(conll_dirs):
    lines = unlabelled_text("en", ["conll_ner"], data_cfg(conll_dirs))
    assert lines == ["eng-train", "eng-testa"]


# --------------------------------------------------------------------------- errors


def test_a_language_conll_does_not_have(conll_dirs):
    with pytest.raises(ValueError, match=r"CoNLL NER has no language 'fr' \(its languages: de"):
        records("conll_ner", "unused", "fr", "train", "train", data_cfg(conll_dirs))
    assert data_gap("conll_ner", "fr", "test", data_cfg(conll_dirs)) == (
        "CoNLL NER has no 'fr' (its languages: de, en, es, nl)"
    )


def test_conll2003_is_never_downloaded(tmp_path, conll_dirs):
    cfg = data_cfg(conll_dirs, download=True)
    with pytest.raises(FileNotFoundError) as error:
        records("conll_ner", tmp_path / "download", "de", "train", "train", cfg)
    message = str(error.value)
    assert "no CoNLL-2003 file deu.train for 'de'" in message
    assert (
        f"{conll_dirs[0]}/deu.train" in message
        and f"{conll_dirs[0]}/conll2003/deu.train" in message
    )
    assert "cannot be downloaded" in message and "data.conll.local_dir" in message
    assert data_gap("conll_ner", "de", "train", cfg) == message
    unset = data_gap("conll_ner", "en", "train", data_cfg(None, download=True))
    assert unset.startswith(
        "no CoNLL-2003 file eng.train for 'en' (data.conll.local_dir is not set)"
    )


def test_a_missing_conll2002_file_without_download(tmp_path, conll_dirs):
    (tmp_path / "corpora" / "conll2002" / "ned.testa").unlink()
    cfg = data_cfg(conll_dirs, download=False)
    with pytest.raises(FileNotFoundError, match=r"no CoNLL-2002 file ned\.testa for 'nl'.*"
                       r"data\.conll\.download: true"):  # fmt: skip
        records("conll_ner", "unused", "nl", "dev", "train", cfg)
    assert data_gap("conll_ner", "nl", "dev", cfg).startswith("no CoNLL-2002 file ned.testa")
    assert data_gap("conll_ner", "nl", "dev", data_cfg(conll_dirs, download=True)) is None


def test_a_local_directory_not_there_yet_is_no_gap_but_the_job_names_the_key(tmp_path):
    cfg = data_cfg([str(tmp_path / "later")])
    assert data_gap("conll_ner", "en", "train", cfg) is None  # a paper config's dry run
    with pytest.raises(FileNotFoundError, match=r"not a directory: .*data\.conll\.local_dir"):
        records("conll_ner", "unused", "en", "train", "train", cfg)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("EU NNP I-NP I-ORG\nrejects VBZ O\n", 2,
         "3 column(s) where the file's first token line has 4"),
        ("EU NNP I-NP I-ORG\nrejects VBZ I-VP ORG\n", 2, "tag 'ORG' is not O, B-<type>"),
        ("EU NNP I-NP I-ORG\n\nin IN I-PP O\n1996 CD I-NP I-DATE\n", 4,
         "tag 'I-DATE' is not in the conll_ner tag set (O, B-PER, I-PER, B-LOC, I-LOC, "
         "B-ORG, I-ORG, B-MISC, I-MISC)"),
    ],
)  # fmt: skip
def test_a_malformed_file_names_file_line_and_tag(tmp_path, text, line, reason):
    path = write(tmp_path / "reuters" / "eng.train", text)
    with pytest.raises(CorpusFormatError) as error:
        records("conll_ner", "unused", "en", "train", "train", data_cfg(str(path.parent)))
    assert str(error.value).startswith(f"{path}:{line}: {reason}")


def _real_config(default_config, local_dir, **changes) -> dict:
    config = copy.deepcopy(default_config)
    config.pop("synthetic")
    config.pop("factorization")
    config["data"] = {"source": "real", "conll": {"local_dir": local_dir, "download": False}}
    config["tasks"] = ["conll_ner"]
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["es", "nl"],
        "distance_features": ["syntax_knn"],
    }
    config["methods"] = ["zero_shot"]
    config["encoder"]["name"] = "bert-base-multilingual-cased"
    config.update(changes)
    return config


def test_the_config_is_checked_before_any_job(default_config, tmp_path, conll_dirs):
    texts = {"train": one_token("a"), "testa": one_token("b"), "testb": one_token("c")}
    files_for(tmp_path / "corpora" / "conll2002", "esp", texts)
    config = validate_config(_real_config(default_config, conll_dirs))
    assert config["data"]["conll"] == {"local_dir": conll_dirs, "download": False}
    assert ("conll_ner", "es", "test") in needed_corpora(config)
    # a source without its CoNLL-2003 files stops the DAG, naming both keys
    missing = _real_config(default_config, conll_dirs[1:])
    with pytest.raises(ConfigError, match=r"'languages\.sources\[0\]\[0\]': no CoNLL-2003 file "
                       r"eng\.train for 'en' .*data\.conll\.local_dir"):  # fmt: skip
        validate_config(missing)
    # a per-task target list must name CoNLL languages only
    other = _real_config(default_config, conll_dirs)
    other["languages"]["targets"] = {"conll_ner": ["nl", "fr"]}
    with pytest.raises(ConfigError, match=r"'languages\.targets\.conll_ner\[1\]': CoNLL NER has "):
        validate_config(other)
    wrong = _real_config(default_config, conll_dirs)
    wrong["data"]["conll"]["local_dir"] = []
    with pytest.raises(ConfigError, match=r"'data\.conll\.local_dir'"):
        validate_config(wrong)


# --------------------------------------------------------------------------- download


def _nltk_zip(path, *, leave_out=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("conll2002/README", "CoNLL-2002\n")
        for prefix in ("esp", "ned"):
            for file_split in ("train", "testa", "testb"):
                name = f"{prefix}.{file_split}"
                if name not in leave_out:
                    zf.writestr(f"conll2002/{name}", one_token(name.replace(".", "-")))
    path.write_bytes(buffer.getvalue())
    return path


def no_sleep(_seconds):
    pass


def test_download_conll2002_from_nltk_data(tmp_path):
    archive = _nltk_zip(tmp_path / "served.zip")
    dest = tmp_path / "resources" / "conll2002"
    dest.mkdir(parents=True)  # Snakemake makes the outputs' directory before the job
    assert conll.download_conll2002(dest, url=archive.as_uri(), sleep=no_sleep) == dest
    assert sorted(p.name for p in dest.iterdir()) == [
        "esp.testa", "esp.testb", "esp.train", "ned.testa", "ned.testb", "ned.train"
    ]  # fmt: skip
    assert conll.conll_records(dest / "ned.testb") == [{"words": ["ned-testb"], "labels": ["O"]}]
    assert (tmp_path / "resources" / "conll2002.zip").is_file()  # kept and reused

    def opener(*args, **kwargs):
        raise AssertionError("nothing to fetch: the files are there")

    conll.download_conll2002(dest, opener=opener)


def test_download_of_a_wrong_archive_or_a_failed_fetch_writes_nothing(tmp_path):
    archive = _nltk_zip(tmp_path / "served.zip", leave_out={"ned.testb"})
    dest = tmp_path / "resources" / "conll2002"
    with pytest.raises(ValueError, match=r"served\.zip: no ned\.testb \(not NLTK's"):
        conll.download_conll2002(dest, archive=archive)
    assert not dest.exists()
    url = (tmp_path / "missing.zip").as_uri()
    with pytest.raises(ConnectionError):
        conll.download_conll2002(dest, url=url, retries=1, sleep=no_sleep)
    assert not dest.exists()


def test_the_download_url_is_nltks_conll2002():
    assert conll.NLTK_URL == (
        "https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/corpora/conll2002.zip"
    )


# --------------------------------------------------------------------------- the shared files


@pytest.fixture
def shared_conll():
    roots = [SHARED_DATA / "ner" / "conll2003", SHARED_DATA / "ner" / "conll2002"]
    missing = [str(r) for r in roots if not r.is_dir()]
    if missing:
        without_shared_data(f"the shared CoNLL samples are not there: {', '.join(missing)}")
    return [str(r) for r in roots]


def entity_counts(recs) -> Counter:
    return Counter(etype for r in recs for etype, _, _ in entity_spans(r["labels"]))


# Counted by hand with awk on the shared sample files (sentences: blank-line blocks
# without the -DOCSTART- ones; an entity starts at a B- tag or at an I- tag whose
# type differs from the previous token's, which is O at a sentence start):
# eng.testa: 200 sentences, 2591 tokens, PER 122, LOC 125, ORG 119, MISC 27
# (2591 tokens + 12 -DOCSTART- lines + 212 blank lines = its 2815 lines; no B- tag).
REAL_COUNTS = {
    ("en", "dev"): (200, 2591, {"PER": 122, "LOC": 125, "ORG": 119, "MISC": 27}),
    ("en", "train"): (600, 7981, {"PER": 327, "LOC": 404, "ORG": 213, "MISC": 171}),
    ("en", "test"): (300, 4030, {"PER": 352, "LOC": 202, "ORG": 65, "MISC": 53}),
    ("es", "dev"): (200, 3345, {"PER": 45, "LOC": 107, "ORG": 105, "MISC": 39}),
    ("es", "test"): (300, 10309, {"PER": 154, "LOC": 192, "ORG": 307, "MISC": 73}),
    ("nl", "dev"): (200, 2368, {"PER": 31, "LOC": 47, "ORG": 45, "MISC": 39}),
    ("nl", "test"): (300, 3433, {"PER": 68, "LOC": 34, "ORG": 81, "MISC": 79}),
}


@pytest.mark.parametrize(("lang", "split"), REAL_COUNTS, ids=lambda v: str(v))
def test_the_shared_files_hand_checked(shared_conll, lang, split):
    recs = records("conll_ner", "unused", lang, split, "train", data_cfg(shared_conll))
    sentences, tokens, entities = REAL_COUNTS[lang, split]
    assert len(recs) == sentences
    assert sum(len(r["words"]) for r in recs) == tokens
    assert entity_counts(recs) == entities
    assert all(repair_bio(r["labels"]) == r["labels"] for r in recs)  # valid IOB2
    assert {t for r in recs for t in r["labels"]} <= set(CONLL_LABELS)
    assert "-DOCSTART-" not in {w for r in recs for w in r["words"]}


def test_the_shared_english_dev_file_hand_checked(shared_conll):
    dev = records("conll_ner", "unused", "en", "dev", "train", data_cfg(shared_conll))
    # eng.testa lines 3-13: CRICKET - LEICESTERSHIRE (I-ORG) TAKE OVER AT TOP ...
    assert dev[0]["words"][:3] == ["CRICKET", "-", "LEICESTERSHIRE"]
    assert dev[0]["labels"][:3] == ["O", "O", "B-ORG"]
    # the file has no B- tag: every entity opens with I- (IOB1), read as B-
    assert sum(t.startswith("B-") for r in dev for t in r["labels"]) == sum(
        entity_counts(dev).values()
    )


def test_a_stray_i_tag_of_conll2002_opens_an_entity(shared_conll):
    # esp.testb line 9291 "Calidad NC I-MISC" starts a sentence (line 9290 is blank):
    # the only I- tag of the Spanish and Dutch samples that opens an entity
    test = records("conll_ner", "unused", "es", "test", "test", data_cfg(shared_conll))
    (calidad,) = [r for r in test if r["words"][:3] == ["Calidad", "del", "entrenamiento"]]
    assert calidad["labels"][:3] == ["B-MISC", "I-MISC", "I-MISC"]


# --------------------------------------------------------------------------- synthetic


def test_the_synthetic_benchmark_is_unaffected(default_config):
    config = validate_config(default_config)
    assert config["tasks"] == ["pos", "ner", "dep", "xnli", "sentiment", "qa"]
    assert "conll" not in config["data"]
    assert not [c for c in needed_corpora(config) if c[0] == "conll_ner"]
    # the synthetic benchmark generates no CoNLL files: the task needs real data
    config = copy.deepcopy(default_config)
    config["tasks"] = ["pos", "conll_ner"]
    with pytest.raises(ConfigError, match=r"'tasks\[1\]': conll_ner reads the CoNLL-2002/2003"):
        validate_config(config)


def test_synthetic_ner_files_read_as_before(tmp_path):
    # a WikiANN-style synthetic file: no -DOCSTART-, IOB2 tags of the ner set
    text = "qaa:Tomo\tB-PER\nqaa:Rava\tI-PER\nqaa:sela\tO\n\nqaa:Kip\tB-LOC\n"
    path = write(tmp_path / "train", text)
    assert pairs(read_ner(path)) == [
        (["Tomo", "Rava", "sela"], ["B-PER", "I-PER", "O"]),
        (["Kip"], ["B-LOC"]),
    ]
    out = tmp_path / "train.jsonl"
    assert preprocess("ner", path, out) == 2
