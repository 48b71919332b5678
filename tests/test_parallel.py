"""Parallel corpora: PUD treebanks aligned by sent_id, Tatoeba line pairs."""

import re

import pytest

from conftest import SHARED_DATA, without_shared_data
from xlt.data.corpus import CorpusFormatError
from xlt.data.sources.parallel import (
    ParallelCorpus,
    pud_files,
    read_line_pairs,
    read_parallel,
    read_pud,
)

PUD = SHARED_DATA / "parallel" / "pud"
TATOEBA = SHARED_DATA / "text" / "tatoeba-laser"


@pytest.fixture(scope="module")
def pud():
    if not PUD.is_dir():
        without_shared_data(f"PUD treebanks not found at {PUD} (…/shared/data absent)")
    return read_pud(pud_files(PUD, ["en", "de", "ru"]))


def test_pud_files_are_found_by_code_and_a_missing_one_is_named():
    if not PUD.is_dir():
        without_shared_data(f"PUD treebanks not found at {PUD} (…/shared/data absent)")
    files = pud_files(PUD, ["de", "en"])
    assert list(files) == ["de", "en"]
    assert files["de"] == PUD / "UD_German-PUD" / "de_pud-ud-test.conllu"
    with pytest.raises(FileNotFoundError, match=rf"'xx' under {re.escape(str(PUD))}"):
        pud_files(PUD, ["en", "xx"])


def test_real_pud_treebanks_are_parallel(pud):
    assert pud.languages == ["en", "de", "ru"]
    assert len(pud) == 1000
    assert all(len(pud.sentences[lang]) == 1000 for lang in pud.languages)
    assert pud.ids[:2] == ["n01001011", "n01001013"] and pud.ids[-1] == "w05010027"
    en, de, ru = (pud.sentences[lang][0] for lang in ("en", "de", "ru"))
    assert en[:5] == ["“", "While", "much", "of", "the"]
    assert len(en) == 35 and en[-3:] == ["post", "Monday", "."]
    # German "am" is a multiword token: its words "an dem" are read, not "am"
    assert len(de) == 32 and de[24:28] == ["Schulman", "an", "dem", "Montag"]
    assert ru[:3] == ["«", "Если", "передача"]


def test_subset_keeps_every_language_aligned(pud):
    part = pud.subset([2, 0])
    assert part.ids == [pud.ids[2], pud.ids[0]]
    assert part.sentences["de"] == [pud.sentences["de"][2], pud.sentences["de"][0]]
    assert len(part) == 2


def test_corpus_with_a_language_short_of_sentences_is_refused():
    with pytest.raises(ValueError, match="1 sentences in de for 2 ids"):
        ParallelCorpus(["en", "de"], ["1", "2"], {"en": [["a"], ["b"]], "de": [["c"]]})


def write_treebank(path, sent_ids, words=("a", "b")):
    """A CoNLL-U file with a two-word sentence per id (None: no # sent_id line)."""
    blocks = []
    for sent_id in sent_ids:
        lines = [] if sent_id is None else [f"# sent_id = {sent_id}"]
        lines += [
            f"1\t{words[0]}\t_\tX\t_\t_\t2\tdep\t_\t_",
            f"2\t{words[1]}\t_\tX\t_\t_\t0\troot\t_\t_",
        ]
        blocks.append("\n".join(lines) + "\n\n")
    path.write_text("".join(blocks), encoding="utf-8")
    return path


def test_small_treebanks_are_read_aligned(tmp_path):
    en = write_treebank(tmp_path / "en.conllu", ["s1", "s2"], ("the", "cat"))
    de = write_treebank(tmp_path / "de.conllu", ["s1", "s2"], ("die", "Katze"))
    corpus = read_pud({"en": en, "de": de})
    assert corpus.ids == ["s1", "s2"]
    assert corpus.sentences == {"en": [["the", "cat"]] * 2, "de": [["die", "Katze"]] * 2}


def test_treebanks_of_different_lengths_are_not_parallel(tmp_path):
    en = write_treebank(tmp_path / "en.conllu", ["s1", "s2", "s3"])
    de = write_treebank(tmp_path / "de.conllu", ["s1", "s2"])
    message = f"{en} and {de} are not parallel: 3 vs 2 sentences"
    with pytest.raises(ValueError, match=re.escape(message)):
        read_pud({"en": en, "de": de})


def test_swapped_sent_ids_are_named_with_both_files_and_the_position(tmp_path):
    en = write_treebank(tmp_path / "en.conllu", ["s1", "s2", "s3"])
    de = write_treebank(tmp_path / "de.conllu", ["s1", "s3", "s2"])
    message = f"{en} and {de} are not parallel: sentence 2 is s2 in one and s3 in the other"
    with pytest.raises(ValueError, match=re.escape(message)):
        read_pud({"en": en, "de": de})


def test_a_third_file_is_compared_with_the_first(tmp_path):
    en = write_treebank(tmp_path / "en.conllu", ["s1", "s2"])
    de = write_treebank(tmp_path / "de.conllu", ["s1", "s2"])
    ru = write_treebank(tmp_path / "ru.conllu", ["s1", "s9"])
    message = f"{en} and {ru} are not parallel: sentence 2 is s2 in one and s9 in the other"
    with pytest.raises(ValueError, match=re.escape(message)):
        read_pud({"en": en, "de": de, "ru": ru})


def test_a_missing_sent_id_names_the_file_and_sentence(tmp_path):
    en = write_treebank(tmp_path / "en.conllu", ["s1", "s2"])
    de = write_treebank(tmp_path / "de.conllu", ["s1", None])
    # the second sentence starts on line 5 (sent_id, two words, blank line before it)
    with pytest.raises(CorpusFormatError, match=re.escape(f"{de}:5: sentence 2 has no # sent_id")):
        read_pud({"en": en, "de": de})


def test_real_tatoeba_pair_is_read_line_by_line():
    if not TATOEBA.is_dir():
        without_shared_data(f"Tatoeba test set not found at {TATOEBA} (…/shared/data absent)")
    corpus = read_line_pairs(TATOEBA / "tatoeba.deu-eng.deu", TATOEBA / "tatoeba.deu-eng.eng")
    assert corpus.languages == ["deu", "eng"]
    assert len(corpus) == 1000 and len(corpus.sentences["eng"]) == 1000
    assert corpus.ids[:2] == ["1", "2"]
    # the first German line: "Maria sagte, ... wo Tom sei." (8 space-separated tokens)
    german = corpus.sentences["deu"][0]
    assert len(german) == 8 and german[:2] == ["Maria", "sagte,"] and german[-3:] == [
        "wo", "Tom", "sei."
    ]  # fmt: skip
    assert corpus.sentences["eng"][0] == [
        "Mary",
        "said",
        "she",
        "didn't",
        "know",
        "where",
        "Tom",
        "was.",
    ]


def test_line_pairs_of_different_lengths_name_both_files_and_counts(tmp_path):
    source = tmp_path / "pair.deu"
    target = tmp_path / "pair.eng"
    source.write_text("Ein Hund.\nZwei Katzen.\n", encoding="utf-8")
    target.write_text("A dog.\n", encoding="utf-8")
    message = f"{source} and {target} are not parallel: 2 vs 1 lines"
    with pytest.raises(ValueError, match=re.escape(message)):
        read_line_pairs(source, target)


def test_a_blank_line_names_its_file_and_line(tmp_path):
    source = tmp_path / "pair.deu"
    target = tmp_path / "pair.eng"
    source.write_text("Ein Hund.\n\nDrei.\n", encoding="utf-8")
    target.write_text("A dog.\nTwo cats.\nThree.\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=re.escape(f"{source}:2: blank line")):
        read_line_pairs(source, target)


def test_line_pairs_take_languages_when_the_suffixes_do_not_tell(tmp_path):
    source = tmp_path / "a.txt"
    target = tmp_path / "b.txt"
    source.write_text("猫が 好き\n", encoding="utf-8")
    target.write_text("I like cats\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match="pass languages"):
        read_line_pairs(source, target)
    corpus = read_line_pairs(source, target, languages=("ja", "en"))
    # no spaces between Japanese words: one token per space-separated chunk
    assert corpus.sentences == {"ja": [["猫が", "好き"]], "en": [["I", "like", "cats"]]}


def test_parallel_text_of_several_languages_names_the_file_that_differs(tmp_path):
    files = {}
    for lang, lines in {"qaa": "a b\nc\n", "qab": "a x\nc y\n", "qag": "z\n"}.items():
        files[lang] = tmp_path / f"{lang}.txt"
        files[lang].write_text(lines, encoding="utf-8")
    corpus = read_parallel("synthetic", {k: files[k] for k in ("qaa", "qab")}, limit=1)
    assert corpus.ids == ["1"] and corpus.sentences == {"qaa": [["a", "b"]], "qab": [["a", "x"]]}
    with pytest.raises(ValueError, match=r"qaa.txt and .*qag.txt are not parallel: 2 vs 1 lines"):
        read_parallel("files", files)
    with pytest.raises(ValueError, match="unknown parallel corpus kind 'tmx'"):
        read_parallel("tmx", files)
