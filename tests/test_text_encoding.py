"""Corpus bytes that are not UTF-8 text: an error naming the file and where,
never a bare UnicodeDecodeError; a file that is not read breaks nothing."""

import gzip

import pytest

from xlt.data.conllu_io import read_conllu
from xlt.data.corpus import CorpusFormatError
from xlt.data.ner_io import read_ner
from xlt.data.sources import ud

CONLLU = (
    "# text = Le café\n1\tLe\t_\tDET\t_\t_\t2\tdet\t_\t_\n2\tcafé\t_\tNOUN\t_\t_\t0\troot\t_\t_\n\n"
)


def test_latin1_conllu_names_line_column_and_byte(tmp_path):
    path = tmp_path / "fr-ud-train.conllu"
    path.write_bytes(CONLLU.encode("latin-1"))
    with pytest.raises(CorpusFormatError) as error:
        read_conllu(path)
    # 'é' of the comment line is byte 15 (0xe9), column 16 of line 1
    assert str(error.value) == (
        f"{path}:1: byte 15 (column 16, 0xe9) is not UTF-8: the file must be UTF-8 "
        "(from Latin-1, e.g. iconv -f latin1 -t utf-8)"
    )
    assert not isinstance(error.value, UnicodeDecodeError)


def test_gzip_under_a_conllu_name(tmp_path):
    path = tmp_path / "fr-ud-train.conllu"
    path.write_bytes(gzip.compress(CONLLU.encode()))
    with pytest.raises(CorpusFormatError, match="is gzip-compressed, not text") as error:
        read_conllu(path)
    assert error.value.path == str(path)


def test_binary_ner_file_names_the_line(tmp_path):
    path = tmp_path / "train"
    path.write_bytes(b"en:Paris\tB-LOC\n\nen:x\x00y\tO\n")
    with pytest.raises(CorpusFormatError, match=r":3: binary data \(a NUL byte\)"):
        read_ner(path)


def test_latin1_ner_file(tmp_path):
    path = tmp_path / "train"
    path.write_bytes("Paris B-LOC\nest O\n\nCôte B-LOC\n".encode("latin-1"))
    # lines of 12, 6 and 1 bytes: 'C' is byte 19, 'ô' byte 20 (column 2 of line 4)
    with pytest.raises(CorpusFormatError, match=r"train:4: byte 20 \(column 2, 0xf4\)"):
        read_ner(path)


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    path = tmp_path / "fr-ud-test.conllu"
    path.write_bytes(b"\xef\xbb\xbf" + CONLLU.encode())
    (sentence,) = read_conllu(path)
    assert sentence.forms == ["Le", "café"]


def test_choosing_the_largest_treebank_reads_no_text(tmp_path):
    # a Latin-1 train file must not break the choice (and so the test split's job);
    # only the job that reads it fails, naming it
    directory = tmp_path / "UD_French-X"
    directory.mkdir()
    (directory / "fr_x-ud-train.conllu").write_bytes((CONLLU * 3).encode("latin-1"))
    (directory / "fr_x-ud-test.conllu").write_text(CONLLU, encoding="utf-8")
    (treebank,) = ud.select_treebanks(ud.scan_release(tmp_path), "fr", "largest")
    assert treebank.sentences("train") == 3
    assert len(read_conllu(directory / "fr_x-ud-test.conllu")) == 1
