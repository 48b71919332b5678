import pytest

from xlt.data.corpus import CorpusFormatError, read_task_corpus
from xlt.data.preprocess import preprocess

CONLLU = """# sent_id = 1
1\tla\t_\tDET\t_\t_\t2\tdet\t_\t_
2\tkat\t_\tNOUN\t_\t_\t0\troot\t_\t_

"""


def test_pos_corpus_keeps_words_tags_and_tree(tmp_path):
    raw = tmp_path / "x-ud-test.conllu"
    raw.write_text(CONLLU)
    assert preprocess("pos", raw, tmp_path / "out.jsonl") == 1
    [record] = read_task_corpus(tmp_path / "out.jsonl")
    assert record == {
        "words": ["la", "kat"],
        "labels": ["DET", "NOUN"],
        "heads": [2, 0],
        "deprels": ["det", "root"],
    }


def test_dep_corpus_keeps_the_tree_with_universal_relations(tmp_path):
    raw = tmp_path / "x-ud-test.conllu"
    raw.write_text(CONLLU.replace("\tdet\t", "\tdet:poss\t"))
    assert preprocess("dep", raw, tmp_path / "out.jsonl") == 1
    [record] = read_task_corpus(tmp_path / "out.jsonl")
    assert record == {
        "words": ["la", "kat"],
        "upos": ["DET", "NOUN"],
        "heads": [2, 0],
        "deprels": ["det", "root"],  # det:poss -> det, as the CoNLL 2018 scorer compares
    }


def test_upos_outside_the_tag_set_names_file_and_line(tmp_path):
    raw = tmp_path / "x-ud-test.conllu"
    raw.write_text(CONLLU.replace("NOUN", "NOUNY"))
    with pytest.raises(CorpusFormatError, match=r"x-ud-test\.conllu:3:.*NOUNY"):
        preprocess("pos", raw, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_ner_tag_outside_the_tag_set_names_file_and_line(tmp_path):
    raw = tmp_path / "train"
    raw.write_text("qaa:Deno\tB-PER\nqaa:sel\tO\n\nqaa:Yo\tB-MISC\n\n")
    with pytest.raises(CorpusFormatError, match=r"train:4: tag 'B-MISC' is not in the ner tag set"):
        preprocess("ner", raw, tmp_path / "out.jsonl")


def test_empty_split_is_an_error(tmp_path):
    raw = tmp_path / "dev"
    raw.write_text("\n\n")
    with pytest.raises(CorpusFormatError, match="no sentences"):
        preprocess("ner", raw, tmp_path / "out.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(CorpusFormatError, match="empty split"):
        read_task_corpus(empty)
