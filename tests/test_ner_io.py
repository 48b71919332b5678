"""Tests for the NER column readers and the WikiANN writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import without_shared_data
from xlt.data.corpus import CorpusFormatError, NERSentence
from xlt.data.ner_io import read_ner, write_wikiann

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NER_DIR = DATA / "ner"


def write(tmp_path, text: str, name="ner.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pairs(sentences):
    return [(s.words, s.tags) for s in sentences]


RAHIMI = "en:Paris\tB-LOC\nen:is\tO\n\nen:John\tB-PER\nen:Smith\tI-PER\nen:http:\tO\n"
PANX = "Paris\tB-LOC\nis\tO\n\nJohn\tB-PER\nSmith\tI-PER\nhttp:\tO\n"
EXPECTED = [
    (["Paris", "is"], ["B-LOC", "O"]),
    (["John", "Smith", "http:"], ["B-PER", "I-PER", "O"]),
]


def test_rahimi_prefix_stripped(tmp_path):
    sentences = read_ner(write(tmp_path, RAHIMI))
    assert pairs(sentences) == EXPECTED
    assert [s.line for s in sentences] == [1, 4]


def test_prefix_with_subtag_stripped(tmp_path):
    text = "zh-yue:香港\tB-LOC\n\nzh-yue:a\tO\n"
    assert pairs(read_ner(write(tmp_path, text))) == [(["香港"], ["B-LOC"]), (["a"], ["O"])]


def test_panx(tmp_path):
    assert pairs(read_ner(write(tmp_path, PANX))) == EXPECTED


@pytest.mark.parametrize(
    "text",
    [
        "http:\tO\nhttp:\tO\n",  # 4-letter "code"
        "EN:Paris\tB-LOC\n",  # codes are lower case
        "Paris\tB-LOC\nen:x\tO\n",  # the first token decides: no prefix
    ],
)
def test_tokens_are_kept_in_a_file_without_prefix(tmp_path, text):
    words = [w for s in read_ner(write(tmp_path, text)) for w in s.words]
    assert words == [line.split("\t")[0] for line in text.split("\n") if line]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "en:Paris\tB-LOC\nhttp:\tO\n",
            2,
            "token 'http:' has no language prefix; every token of this file carries 'en:' "
            "(from line 1)",
        ),
        (
            "en:Paris\tB-LOC\n\nde:Berlin\tB-LOC\n",
            3,
            "token 'de:Berlin' has the prefix 'de:'; every token of this file carries 'en:' "
            "(from line 1)",
        ),
        ("en:Paris\tB-LOC\nen:\tO\n", 2, "empty token after the prefix 'en:'"),
    ],
)
def test_a_prefixed_file_needs_the_prefix_on_every_token(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(CorpusFormatError) as err:
        read_ner(path)
    assert str(err.value) == f"{path}:{line}: {reason}"


def test_the_prefix_must_be_the_language_read(tmp_path):
    path = write(tmp_path, "de:Berlin\tB-LOC\n")
    assert read_ner(path, lang="de")[0].words == ["Berlin"]
    with pytest.raises(CorpusFormatError) as err:
        read_ner(path, lang="en")
    assert str(err.value) == (
        f"{path}:1: tokens carry the prefix 'de:' but the file is read for 'en'"
    )


def test_every_token_line_has_the_columns_of_the_first(tmp_path):
    # CoNLL 2003: token, POS, chunk, tag; a line that lost its chunk column
    path = write(tmp_path, "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nGerman JJ I-MISC\n")
    with pytest.raises(CorpusFormatError) as err:
        read_ner(path)
    assert str(err.value) == f"{path}:4: 3 column(s) where the file's first token line has 4"


def test_conll2003_docstart_skipped(tmp_path):
    text = (
        "-DOCSTART- -X- -X- O\n"
        "\n"
        "EU NNP I-NP I-ORG\n"
        "rejects VBZ I-VP O\n"
        "\n"
        "-DOCSTART- -X- -X- O\n"
        "\n"
        "Peter NNP I-NP I-PER\n"
        "Blackburn NNP I-NP I-PER\n"
        "\n"
    )
    sentences = read_ner(write(tmp_path, text))
    # Tags are read as written (IOB1 here); repair belongs to the metrics.
    assert pairs(sentences) == [
        (["EU", "rejects"], ["I-ORG", "O"]),
        (["Peter", "Blackburn"], ["I-PER", "I-PER"]),
    ]
    assert [s.line for s in sentences] == [3, 8]


def test_conll2002_docstart_without_blank_line(tmp_path):
    text = "-DOCSTART- -DOCSTART- O\nDe Art O\nPeeters N B-PER\n\nZo Adv O\n"
    sentences = read_ner(write(tmp_path, text))
    assert pairs(sentences) == [(["De", "Peeters"], ["O", "B-PER"]), (["Zo"], ["O"])]
    assert [s.line for s in sentences] == [2, 5]


def test_two_column_space_separated(tmp_path):
    text = "Ọlọ́run B-PER\nni O\n\n\n\nÈkó B-LOC\n"
    sentences = read_ner(write(tmp_path, text))
    assert pairs(sentences) == [(["Ọlọ́run", "ni"], ["B-PER", "O"]), (["Èkó"], ["B-LOC"])]
    assert [s.line for s in sentences] == [1, 6]


def test_crlf_and_bom(tmp_path):
    path = tmp_path / "ner.txt"
    path.write_bytes(("\ufeff" + RAHIMI.replace("\n", "\r\n")).encode("utf-8"))
    assert pairs(read_ner(path)) == EXPECTED


def test_missing_label_column_names_line(tmp_path):
    path = write(tmp_path, "Paris\tB-LOC\nis\tO\n\nJohn\n")
    with pytest.raises(CorpusFormatError) as err:
        read_ner(path)
    assert err.value.line == 4
    assert str(err.value) == f"{path}:4: no label column (unlabelled split?)"


def test_unlabelled_read(tmp_path):
    path = write(tmp_path, "Shortly\nafterward\n\nen:x\n")
    with pytest.raises(CorpusFormatError, match=r"ner\.txt:1: no label column"):
        read_ner(path)
    sentences = read_ner(path, labelled=False)
    assert [(s.words, s.tags, s.line) for s in sentences] == [
        (["Shortly", "afterward"], None, 1),
        (["en:x"], None, 4),
    ]


def test_unlabelled_read_takes_first_column(tmp_path):
    text = "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\n"
    assert pairs(read_ner(write(tmp_path, text), labelled=False)) == [(["EU"], None)]


@pytest.mark.parametrize("tag", ["E-PER", "S-LOC", "B-", "LOC", "o", "U-ORG"])
def test_bad_tag_names_line_and_tag(tmp_path, tag):
    path = write(tmp_path, f"Paris\tB-LOC\nis\t{tag}\n")
    with pytest.raises(CorpusFormatError, match=rf"ner\.txt:2: tag '{tag}'"):
        read_ner(path)


@pytest.mark.parametrize("text", ["", "\n\n", "-DOCSTART- -X- -X- O\n\n"])
def test_no_sentences(tmp_path, text):
    with pytest.raises(CorpusFormatError, match=r"ner\.txt: no sentences"):
        read_ner(write(tmp_path, text))


def test_write_wikiann_round_trip(tmp_path):
    sentences = [NERSentence(w, t) for w, t in EXPECTED]
    path = tmp_path / "sub" / "train"
    write_wikiann(path, "en", sentences)
    assert path.read_text(encoding="utf-8") == RAHIMI + "\n"
    assert pairs(read_ner(path)) == EXPECTED


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        ("en", [NERSentence(["a"], None)]),  # unlabelled
        ("en", [NERSentence(["a", "b"], ["O"])]),  # misaligned
        ("en", [NERSentence(["a b\tc"], ["O"])]),  # tab in token
        ("en", [NERSentence(["a"], ["X"])]),  # not IOB
        ("en", []),
        ("EN", [NERSentence(["a"], ["O"])]),
    ],
)
def test_write_wikiann_rejects(tmp_path, lang, sentences):
    with pytest.raises(ValueError):
        write_wikiann(tmp_path / "out", lang, sentences)
    assert not (tmp_path / "out").exists()


REAL_FILES = {
    "wikiann-rahimi/en/train": 600,
    "wikiann-rahimi/en/dev": 200,
    "panx-xtreme/download/panx/train-en.tsv": 600,
    "conll2003/eng.train": 600,
    "conll2002/ned.train": 600,
    "conll2002/esp.train": 600,
    "masakhaner/data/yor/train.txt": 600,
}


def _need_ner_data():
    if not NER_DIR.is_dir():
        without_shared_data(f"NER sample data not found at {NER_DIR} (shared/data not provided)")


@pytest.mark.parametrize(("rel", "count"), REAL_FILES.items(), ids=REAL_FILES.keys())
def test_real_file_counts(rel, count):
    _need_ner_data()
    sentences = read_ner(NER_DIR / rel)
    assert len(sentences) == count
    words = [w for s in sentences for w in s.words]
    assert "-DOCSTART-" not in words
    assert all(len(s.words) == len(s.tags) > 0 for s in sentences)


def test_real_rahimi_equals_panx_without_prefix():
    # PROVENANCE: PAN-X train/dev are the Rahimi files with "en:" removed.
    _need_ner_data()
    rahimi = read_ner(NER_DIR / "wikiann-rahimi/en/train")
    panx = read_ner(NER_DIR / "panx-xtreme/download/panx/train-en.tsv")
    assert rahimi[0].words[:2] == ["R.H.", "Saunders"]
    assert pairs(rahimi) == pairs(panx)


def test_real_panx_test_is_unlabelled():
    _need_ner_data()
    path = NER_DIR / "panx-xtreme/download/panx/test-en.tsv"
    with pytest.raises(CorpusFormatError, match=r"test-en\.tsv:1: no label column"):
        read_ner(path)
    sentences = read_ner(path, labelled=False)
    assert len(sentences) == 300
    assert all(s.tags is None for s in sentences)
    assert sentences[0].words[:2] == ["Shortly", "afterward"]
