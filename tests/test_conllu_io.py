"""Tests for the CoNLL-U reader/writer, with the `conllu` package as oracle on real data."""

from __future__ import annotations

from pathlib import Path

import conllu
import pytest

from conftest import without_shared_data
from xlt.data.conllu_io import read_conllu, write_conllu
from xlt.data.corpus import CorpusFormatError, UDSentence

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
UD_DIR = DATA / "ud" / "ud-treebanks-sample"


def row(*cols: str) -> str:
    return "\t".join(cols)


def word(i, form, upos, head, deprel) -> str:
    return row(str(i), form, "_", upos, "_", "_", str(head), deprel, "_", "_")


# Sentence 1 has the Spanish contraction "del" = "de el" (lines 1-8); sentence 2
# (lines 10-15) has an empty node 2.1 for the elided verb of a gapping clause.
FIXTURE_LINES = [
    "# sent_id = s1",
    "# text = Vino del mercado.",
    word(1, "Vino", "VERB", 0, "root"),
    row("2-3", "del", *["_"] * 8),
    word(2, "de", "ADP", 4, "case"),
    word(3, "el", "DET", 4, "det"),
    word(4, "mercado", "NOUN", 1, "obl"),
    word(5, ".", "PUNCT", 1, "punct"),
    "",
    "# sent_id = s2",
    word(1, "Y", "CCONJ", 2, "cc"),
    word(2, "Luis", "PROPN", 0, "root"),
    row("2.1", "bebe", "beber", "VERB", "_", "_", "_", "_", "0:root", "_"),
    word(3, "café", "NOUN", 2, "orphan"),
    word(4, ".", "PUNCT", 2, "punct"),
    "",
]


def write_lines(tmp_path, lines, name="bad.conllu") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_line(lineno: int, text: str) -> list[str]:
    """The fixture with its 1-based line ``lineno`` replaced."""
    lines = list(FIXTURE_LINES)
    lines[lineno - 1] = text
    return lines


def assert_fixture(sentences: list[UDSentence]) -> None:
    s1, s2 = sentences
    assert s1.forms == ["Vino", "de", "el", "mercado", "."]
    assert s1.upos == ["VERB", "ADP", "DET", "NOUN", "PUNCT"]
    assert s1.heads == [0, 4, 4, 1, 1]
    assert s1.deprels == ["root", "case", "det", "obl", "punct"]
    assert s1.multiword_tokens == [(2, 3, "del")]
    assert (s1.sent_id, s1.text, s1.line) == ("s1", "Vino del mercado.", 1)
    assert s2.forms == ["Y", "Luis", "café", "."]
    assert s2.upos == ["CCONJ", "PROPN", "NOUN", "PUNCT"]
    assert s2.heads == [2, 0, 2, 2]
    assert s2.multiword_tokens == []
    assert (s2.sent_id, s2.text, s2.line) == ("s2", None, 10)


def test_read_fixture(tmp_path):
    assert_fixture(read_conllu(write_lines(tmp_path, FIXTURE_LINES, "es.conllu")))


def test_last_sentence_without_blank_line(tmp_path):
    path = tmp_path / "es.conllu"
    path.write_text("\n".join(FIXTURE_LINES[:-1]), encoding="utf-8")
    assert_fixture(read_conllu(path))


def test_crlf_and_bom(tmp_path):
    path = tmp_path / "es.conllu"
    path.write_bytes(("\ufeff" + "\r\n".join(FIXTURE_LINES) + "\r\n").encode("utf-8"))
    assert_fixture(read_conllu(path))


def test_extra_blank_lines_between_sentences(tmp_path):
    lines = FIXTURE_LINES[:9] + ["", ""] + FIXTURE_LINES[9:]
    sentences = read_conllu(write_lines(tmp_path, lines, "es.conllu"))
    assert [s.line for s in sentences] == [1, 12]


def test_upos_tagset_accepts_known_tags(tmp_path):
    tags = {"VERB", "ADP", "DET", "NOUN", "PUNCT", "CCONJ", "PROPN"}
    assert len(read_conllu(write_lines(tmp_path, FIXTURE_LINES), upos_tagset=tags)) == 2


def test_round_trip(tmp_path):
    original = read_conllu(write_lines(tmp_path, FIXTURE_LINES, "es.conllu"))
    out = tmp_path / "out" / "copy.conllu"
    write_conllu(out, original)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# sent_id = s1\n# text = Vino del mercado.\n1\tVino\t_\tVERB\t")
    assert "\n2-3\tdel\t_\t_\t_\t_\t_\t_\t_\t_\n2\tde\t_\tADP\t_\t_\t4\tcase\t_\t_\n" in text
    assert text.endswith("\t2\tpunct\t_\t_\n\n") and "\n\n\n" not in text
    again = read_conllu(out)
    for a, b in zip(original, again, strict=True):
        a.line = b.line = None
        assert a == b
    write_conllu(tmp_path / "copy2.conllu", again)
    assert (tmp_path / "copy2.conllu").read_text(encoding="utf-8") == text


def test_round_trip_unparsed_sentence(tmp_path):
    s = UDSentence(["a b", "c"], ["X", "X"], [None, None], ["_", "_"])
    path = tmp_path / "u.conllu"
    write_conllu(path, [s])
    (back,) = read_conllu(path)
    assert (back.forms, back.heads, back.sent_id, back.text) == (
        ["a b", "c"],
        [None, None],
        None,
        None,
    )


def test_failed_write_leaves_old_file(tmp_path):
    path = tmp_path / "keep.conllu"
    path.write_text("old\n", encoding="utf-8")
    bad = UDSentence(["a\tb"], ["X"], [0], ["root"])
    with pytest.raises(ValueError, match="tab"):
        write_conllu(path, [bad])
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.conllu"]


MALFORMED = {
    "wrong column count": (4, row("2-3", "del", "_")),
    "malformed ID": (5, word("x", "de", "ADP", 4, "case")),
    "word ID out of order": (6, word(4, "el", "DET", 4, "det")),
    "word ID 0": (3, word(0, "Vino", "VERB", 0, "root")),
    "HEAD not an integer": (5, word(2, "de", "ADP", "four", "case")),
    "HEAD negative": (5, word(2, "de", "ADP", -1, "case")),
    "HEAD outside sentence": (7, word(4, "mercado", "NOUN", 6, "obl")),
    "HEAD on itself": (7, word(4, "mercado", "NOUN", 4, "obl")),
    "range not before its first word": (4, row("3-4", "del", *["_"] * 8)),
    "range of one word": (4, row("2-2", "del", *["_"] * 8)),
    "malformed range": (4, row("2-", "del", *["_"] * 8)),
    "empty UPOS": (6, word(3, "el", "", 4, "det")),
    "underscore UPOS": (6, word(3, "el", "_", 4, "det")),
    "two roots": (7, word(4, "mercado", "NOUN", 0, "obl")),
    "comment inside a sentence": (7, "# text = late"),
}


@pytest.mark.parametrize(("lineno", "text"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_line(tmp_path, lineno, text):
    with pytest.raises(CorpusFormatError) as err:
        read_conllu(write_lines(tmp_path, with_line(lineno, text)))
    assert err.value.line == lineno
    assert f"bad.conllu:{lineno}:" in str(err.value)


def test_range_past_sentence_end(tmp_path):
    lines = FIXTURE_LINES[:7] + [row("5-6", "x", *["_"] * 8)] + FIXTURE_LINES[7:]
    with pytest.raises(CorpusFormatError, match=r"bad\.conllu:8: multiword token ends"):
        read_conllu(write_lines(tmp_path, lines))


def test_no_root(tmp_path):
    # A cycle 1 -> 5 -> 1 and no HEAD 0: reported at the sentence's first line.
    lines = with_line(3, word(1, "Vino", "VERB", 5, "root"))
    with pytest.raises(CorpusFormatError, match=r"bad\.conllu:1: sentence has no root"):
        read_conllu(write_lines(tmp_path, lines))


def test_upos_outside_tagset(tmp_path):
    tags = {"VERB", "ADP", "DET", "NOUN", "PUNCT", "PROPN"}  # no CCONJ
    with pytest.raises(CorpusFormatError, match=r"bad\.conllu:11: .*'CCONJ'"):
        read_conllu(write_lines(tmp_path, FIXTURE_LINES), upos_tagset=tags)


def test_sentence_without_words(tmp_path):
    lines = FIXTURE_LINES + ["# sent_id = s3", "# text = nothing", ""]
    with pytest.raises(CorpusFormatError, match=r"bad\.conllu:17: sentence has no words"):
        read_conllu(write_lines(tmp_path, lines))


@pytest.mark.parametrize("content", ["", "\n\n", "\ufeff\r\n"])
def test_no_sentences(tmp_path, content):
    path = tmp_path / "empty.conllu"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"empty\.conllu: no sentences"):
        read_conllu(path)


def _ud_files():
    if not UD_DIR.is_dir():
        return [pytest.param(None, id="no-shared-data")]
    files = sorted(UD_DIR.glob("*/*.conllu"))
    return [pytest.param(f, id=f.name) for f in files]


def _oracle(path: Path):
    """Per sentence: (sent_id, forms, upos, heads, multiword ranges) as `conllu` sees them."""
    result = []
    with path.open(encoding="utf-8") as fh:
        for tokens in conllu.parse_incr(fh):
            words = [t for t in tokens if isinstance(t["id"], int)]
            ranges = [
                (t["id"][0], t["id"][2], t["form"])
                for t in tokens
                if isinstance(t["id"], tuple) and t["id"][1] == "-"
            ]
            result.append(
                (
                    tokens.metadata.get("sent_id"),
                    [t["form"] for t in words],
                    [t["upos"] for t in words],
                    [t["head"] for t in words],
                    ranges,
                )
            )
    return result


@pytest.mark.parametrize("path", _ud_files())
def test_real_ud_matches_conllu_package(path):
    if path is None:
        without_shared_data(f"UD sample data not found at {UD_DIR} (shared/data not provided)")
    ours = read_conllu(path)
    expected = _oracle(path)
    assert len(ours) == len(expected)
    assert sum(len(s.forms) for s in ours) == sum(len(e[1]) for e in expected)
    assert sum(len(s.multiword_tokens) for s in ours) == sum(len(e[4]) for e in expected)
    got = [(s.sent_id, s.forms, s.upos, s.heads, s.multiword_tokens) for s in ours]
    assert got == expected


def spaced(i, form, head, misc="_"):
    return row(str(i), form, "_", "X", "_", "_", str(head), "dep", "_", misc)


def test_heads_that_form_a_cycle_beside_the_root(tmp_path):
    # word 1 is the root; 2 -> 3 -> 4 -> 2 never reaches it
    lines = ["# text = a b c d"] + [spaced(1, "a", 0), spaced(2, "b", 3), spaced(3, "c", 4)]
    lines += [spaced(4, "d", 2), ""]
    with pytest.raises(CorpusFormatError) as err:
        read_conllu(write_lines(tmp_path, lines))
    assert str(err.value).endswith(
        "bad.conllu:3: HEADs form a cycle (2 -> 3 -> 4 -> 2): the words are not a tree"
    )


def test_a_sentence_cut_short_does_not_spell_its_text(tmp_path):
    # a file truncated at a line boundary: the last sentence lost its last words
    lines = ["# text = Le chat dort .", spaced(1, "Le", 2), spaced(2, "chat", 0)]
    with pytest.raises(CorpusFormatError) as err:
        read_conllu(write_lines(tmp_path, lines))
    assert str(err.value).endswith(
        "bad.conllu:1: the words do not spell the sentence's # text (words: 'Le chat'; "
        "# text: 'Le chat dort .'): a sentence cut short, or words of another sentence"
    )


def test_text_spelled_with_space_after_and_multiword_tokens(tmp_path):
    lines = [
        "# text = Vino del mercado.",
        spaced(1, "Vino", 0),
        row("2-3", "del", *["_"] * 8),
        spaced(2, "de", 4),
        spaced(3, "el", 4),
        spaced(4, "mercado", 1, "SpaceAfter=No"),
        spaced(5, ".", 1, "SpaceAfter=No|Other=x"),
        "",
    ]
    (sentence,) = read_conllu(write_lines(tmp_path, lines))
    assert sentence.forms == ["Vino", "de", "el", "mercado", "."]


def test_fragments_of_one_token_are_a_warning_naming_the_line(tmp_path, caplog):
    # an inflectional-group split of "geldi" without a multiword-token line
    lines = ["# sent_id = 1", "# text = geldi", spaced(1, "gel", 0), spaced(2, "di", 1), ""]
    with caplog.at_level("WARNING", logger="xlt.data.conllu_io"):
        (sentence,) = read_conllu(write_lines(tmp_path, lines))
    assert sentence.forms == ["gel", "di"]
    assert "1 sentence(s) whose surface tokens space the # text differently" in caplog.text
    assert "bad.conllu:1" in caplog.text
