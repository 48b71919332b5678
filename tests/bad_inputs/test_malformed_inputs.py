"""A corpus of malformed inputs of the kinds users' real files and configs contain.

Each corpus file goes through preprocessing (``xlt.data.preprocess``, what the
preprocess_corpus and preprocess_synthetic jobs run) and must fail with a CorpusFormatError whose
message names the file and the line (or the file, for a whole-file problem)
and the reason, leaving no output that looks finished. Each config goes
through validation (what Snakemake runs when it builds the DAG) and must fail
with a ConfigError naming the key. Workflow-level cases are in
tests/test_workflow.py (a config typo in a real run) and tests/e2e/test_smoke.py
(a bad corpus with --keep-going).
"""

from __future__ import annotations

import copy
import gzip

import pytest

from xlt.config import ConfigError, validate_config
from xlt.data.corpus import CorpusFormatError
from xlt.data.preprocess import preprocess


def word(i, form, upos, head, misc="_"):
    return f"{i}\t{form}\t_\t{upos}\t_\t_\t{head}\tdep\t_\t{misc}"


GOOD = [  # line numbers: 1 text, 2-5 words, 6 blank
    "# text = Le chat dort .",
    word(1, "Le", "DET", 2),
    word(2, "chat", "NOUN", 3),
    word(3, "dort", "VERB", 0),
    word(4, ".", "PUNCT", 3),
    "",
]


def edit(line: int, text: str) -> str:
    lines = list(GOOD)
    lines[line - 1] = text
    return "\n".join(lines) + "\n"


def insert(line: int, text: str) -> str:
    lines = list(GOOD)
    lines.insert(line - 1, text)
    return "\n".join(lines) + "\n"


GOOD_TEXT = "\n".join(GOOD) + "\n"

# (case id, file content (str or bytes), line named or None, part of the reason)
CONLLU_CASES = [
    (
        "nine-columns",
        edit(2, word(1, "Le", "DET", 2).replace("\t", " ", 1)),
        2,
        "tab-separated columns",
    ),
    ("id-out-of-order", edit(3, word(3, "chat", "NOUN", 3)), 3, "out of order"),
    ("malformed-id", edit(3, word("2a", "chat", "NOUN", 3)), 3, "malformed ID"),
    ("empty-form", edit(3, word(2, "", "NOUN", 3)), 3, "empty FORM"),
    ("empty-upos", edit(3, word(2, "chat", "_", 3)), 3, "empty UPOS"),
    ("upos-outside-tagset", edit(3, word(2, "chat", "NOUNS", 3)), 3, "not in the tag set"),
    ("head-not-integer", edit(3, word(2, "chat", "NOUN", "x")), 3, "is not an integer"),
    ("head-outside-sentence", edit(3, word(2, "chat", "NOUN", 9)), 3, "outside the sentence"),
    ("own-head", edit(3, word(2, "chat", "NOUN", 2)), 3, "its own HEAD"),
    ("no-root", edit(4, word(3, "dort", "VERB", 2)), 1, "no root"),
    ("two-roots", edit(3, word(2, "chat", "NOUN", 0)), 4, "2 roots"),
    # 1 -> 2 -> 1 beside the root 3
    ("head-cycle", edit(3, word(2, "chat", "NOUN", 1)), 2, "HEADs form a cycle (1 -> 2 -> 1)"),
    ("range-backwards", insert(2, "2-1\tLe\t_\t_\t_\t_\t_\t_\t_\t_"), 2, "multiword token"),
    ("range-past-end", insert(5, "4-6\tx\t_\t_\t_\t_\t_\t_\t_\t_"), 5, "multiword token ends"),
    ("comment-inside", insert(4, "# note = here"), 4, "comment line inside a sentence"),
    ("no-words", "# sent_id = 1\n# text = x\n\n", 1, "no words"),
    ("cut-short", "\n".join(GOOD[:4]) + "\n", 1, "do not spell the sentence's # text"),
    ("latin-1", GOOD_TEXT.replace("chat", "chât").encode("latin-1"), 1, "is not UTF-8"),
    ("gzip", gzip.compress(GOOD_TEXT.encode()), None, "gzip-compressed"),
    ("binary", GOOD_TEXT.encode().replace(b"\tdort\t", b"\tdo\x00t\t"), 4, "binary data"),
    ("empty-file", "", None, "no sentences"),
    ("blank-lines-only", "\n\n\n", None, "no sentences"),
]

# A parsing corpus is read by the same CoNLL-U reader (every case above fails
# for dep too), and needs a tree: a head per word and universal relations.
DEP_CASES = [
    ("head-missing", edit(3, word(2, "chat", "NOUN", "_")), 3, "word without a HEAD"),
    (
        "relation-not-universal",
        edit(3, word(2, "chat", "NOUN", 3).replace("\tdep\t", "\tsubject\t")),
        3,
        "DEPREL 'subject' is not a universal dependency relation",
    ),
]

NER_CASES = [
    ("prefix-missing", "en:Paris\tB-LOC\nParis\tO\n", 2, "has no language prefix"),
    ("prefix-other-language", "en:Paris\tB-LOC\n\nde:Berlin\tB-LOC\n", 3, "has the prefix 'de:'"),
    ("prefix-empty-token", "en:Paris\tB-LOC\nen:\tO\n", 2, "empty token after the prefix"),
    ("prefix-not-the-language", "de:Berlin\tB-LOC\n", 1, "read for 'en'"),
    ("columns-differ", "EU NNP B-ORG\nrejects O\n", 2, "column(s) where the file's first"),
    ("tab-in-space-file", "EU NNP B-ORG\nrejects\tVBZ\tO\n", 2, "a tab in a space-separated"),
    ("tag-not-iob", "Paris\tLOC\n", 1, "is not O, B-<type> or I-<type>"),
    ("tag-outside-tagset", "Paris\tB-FOO\n", 1, "not in the ner tag set"),
    ("no-label-column", "Paris\tB-LOC\nis\n", 2, "no label column"),
    ("empty-token", "Paris\tB-LOC\n\tO\n", 2, "empty token"),
    ("docstart-only", "-DOCSTART- O\n\n", None, "no sentences"),
    ("empty-ner-file", "", None, "no sentences"),
    ("latin-1-ner", "Côte\tB-LOC\n".encode("latin-1"), 1, "is not UTF-8"),
    ("gzip-ner", gzip.compress(b"Paris\tB-LOC\n"), None, "gzip-compressed"),
]


XNLI_GOOD = "A man sleeps .\tA man is asleep .\tentailment\n"
XNLI_CASES = [
    ("label-outside-three", XNLI_GOOD + "p\th\tcontradictory\n", 2, "label 'contradictory'"),
    ("unlabelled-file", "p\th\n" + XNLI_GOOD, 1, "XTREME's processed XNLI test files carry"),
    # one short row among labelled ones is that row's problem, not a test file's
    ("short-row", XNLI_GOOD + "p\th\n", 2, "expected 3 tab-separated columns"),
    # a bare CR is refused at its own line, not taken as a row break that would
    # shift later line numbers or pass for a test file's missing label column
    ("bare-cr-inside-a-row", XNLI_GOOD + "p\th\rneutral\n", 2, "a carriage return"),
    ("bare-cr-in-the-first-row", "p\th\rneutral\n" + XNLI_GOOD, 1, "a carriage return"),
    ("short-row-after-crlf-rows", XNLI_GOOD.replace("\n", "\r\n") * 2 + "p\th\r\n", 3, "found 2"),
    ("four-columns", "p\th\tneutral\textra\n", 1, "expected 3 tab-separated columns"),
    ("empty-hypothesis", XNLI_GOOD + "p\t \tneutral\n", 2, "empty premise or hypothesis"),
    ("no-rows", "\n\n", None, "no examples"),
    ("latin-1-xnli", "Côte\th\tneutral\n".encode("latin-1"), 1, "is not UTF-8"),
]


def run_case(tmp_path, task, content, line, reason):
    raw = tmp_path / ("raw.tsv" if task in ("ner", "xnli") else "raw.conllu")
    raw.write_bytes(content.encode() if isinstance(content, str) else content)
    out = tmp_path / "out" / "corpus.jsonl"
    out.parent.mkdir()
    with pytest.raises(CorpusFormatError) as error:
        preprocess(task, raw, out, lang="en")
    where = f"{raw}:{line}: " if line is not None else f"{raw}: "
    assert str(error.value).startswith(where), str(error.value)
    assert reason in str(error.value)
    assert list(out.parent.iterdir()) == []  # nothing half-written, nothing that looks done


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"), CONLLU_CASES, ids=[c[0] for c in CONLLU_CASES]
)
def test_malformed_conllu(tmp_path, case, content, line, reason):
    run_case(tmp_path, "pos", content, line, reason)


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"),
    CONLLU_CASES + DEP_CASES,
    ids=[c[0] for c in CONLLU_CASES + DEP_CASES],
)
def test_malformed_dep(tmp_path, case, content, line, reason):
    run_case(tmp_path, "dep", content, line, reason)


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"), NER_CASES, ids=[c[0] for c in NER_CASES]
)
def test_malformed_ner(tmp_path, case, content, line, reason):
    run_case(tmp_path, "ner", content, line, reason)


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"), XNLI_CASES, ids=[c[0] for c in XNLI_CASES]
)
def test_malformed_xnli(tmp_path, case, content, line, reason):
    run_case(tmp_path, "xnli", content, line, reason)


def test_the_good_files_pass(tmp_path):
    raw = tmp_path / "raw.conllu"
    raw.write_text(GOOD_TEXT)
    assert preprocess("pos", raw, tmp_path / "pos.jsonl", lang="fr") == 1
    assert preprocess("dep", raw, tmp_path / "dep.jsonl", lang="fr") == 1
    raw = tmp_path / "raw.tsv"
    raw.write_text("en:Paris\tB-LOC\nen:is\tO\n")
    assert preprocess("ner", raw, tmp_path / "ner.jsonl", lang="en") == 1
    raw.write_text(XNLI_GOOD)
    assert preprocess("xnli", raw, tmp_path / "xnli.jsonl", lang="en") == 1


def setting(path: str, value):
    def change(config):
        *parents, last = path.split(".")
        section = config
        for part in parents:
            section = section[part]
        section[last] = value

    return change


CONFIG_CASES = [
    ("typo", lambda c: c["training"].update(lerning_rate=1e-3), "training.lerning_rate"),
    ("unknown-top-level-key", lambda c: c.update(seed=[1]), "seed"),
    ("unknown-target", setting("languages.targets", ["qaa", "qzz"]), "languages.targets[1]"),
    ("unknown-task", setting("tasks", ["pos", "nli"]), "tasks[1]"),
    ("wrong-type", setting("training.epochs", "three"), "training.epochs"),
    ("negative-seed", setting("seeds", [-1]), "seeds[0]"),
    ("empty-targets", setting("languages.targets", []), "languages.targets"),
    ("duplicate-target", setting("languages.targets", ["qab", "qab"]), "languages.targets"),
    ("duplicate-seed", setting("seeds", [1, 1]), "seeds"),
    (
        "duplicate-source-set",
        setting("languages.sources", [["qaa", "qab"], ["qab", "qaa"]]),
        "languages.sources[1]",
    ),
    ("nan", setting("training.learning_rate", float("nan")), "training.learning_rate"),
    ("infinite", setting("training.weight_decay", float("inf")), "training.weight_decay"),
    ("exponent-as-text", setting("training.learning_rate", "1e-3"), "training.learning_rate"),
    ("heads-do-not-divide", setting("encoder.embedded.num_heads", 3), "encoder.embedded.num_heads"),
    ("missing-local-encoder", setting("encoder.name", "./no/such/encoder"), "encoder.name"),
    ("not-a-hub-id", setting("encoder.name", "two words"), "encoder.name"),
    (
        "unknown-pretraining-language",
        setting("encoder.embedded.pretrain.languages", ["qzz"]),
        "encoder.embedded.pretrain.languages[0]",
    ),
    ("unknown-synthetic-source", setting("synthetic.source", "qzz"), "synthetic.source"),
]


@pytest.mark.parametrize(("case", "change", "key"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_malformed_config(default_config, case, change, key):
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert f"config key '{key}'" in str(error.value)


def test_the_corpus_is_large_enough():
    assert len(CONLLU_CASES) + len(NER_CASES) + len(CONFIG_CASES) >= 40


SENTIMENT_GOOD = "A fine day .\tpositive\n"
SENTIMENT_CASES = [
    ("label-outside-set", SENTIMENT_GOOD + "Meh .\t3\n", "tsv", 2, "label '3' is not one of"),
    ("three-columns", "A day .\tpositive\textra\n", "tsv", 1, "expected 2 tab-separated"),
    ("empty-text", SENTIMENT_GOOD + " \tnegative\n", "tsv", 2, "empty text"),
    ("json-not-json", '{"text": "a", "label": "positive"}\n{oops\n', "jsonl", 2, "not JSON"),
    ("json-no-label", '{"text": "a"}\n', "jsonl", 1, 'with "text" and "label"'),
    ("no-sentences", "\n", "tsv", None, "no examples"),
]


@pytest.mark.parametrize(
    ("case", "content", "suffix", "line", "reason"),
    SENTIMENT_CASES,
    ids=[c[0] for c in SENTIMENT_CASES],
)
def test_malformed_sentiment(tmp_path, case, content, suffix, line, reason):
    raw = tmp_path / f"test-en.{suffix}"
    raw.write_text(content)
    out = tmp_path / "out" / "corpus.jsonl"
    out.parent.mkdir()
    with pytest.raises(CorpusFormatError) as error:
        preprocess("sentiment", raw, out, lang="en")
    where = f"{raw}:{line}: " if line is not None else f"{raw}: "
    assert str(error.value).startswith(where), str(error.value)
    assert reason in str(error.value)
    assert list(out.parent.iterdir()) == []


def squad(*questions, context="Paris is in France."):
    """A SQuAD v1.1 file with one paragraph and the given questions."""
    import json

    article = {"title": "Paris", "paragraphs": [{"context": context, "qas": list(questions)}]}
    return json.dumps({"data": [article], "version": "1.1"}, indent=1)


def question(qid="q1", text="Paris", start=0, **extra):
    return {"id": qid, "question": "Where?", "answers": [{"text": text, "answer_start": start}]}


# (case id, file content, line named or None, part of the reason: the question id)
QA_CASES = [
    ("offset-off-its-text", squad(question(start=3)), None, "question q1"),
    ("answer-past-the-context", squad(question(start=40)), None, "question q1"),
    ("no-answers", squad({"id": "q1", "question": "Who?", "answers": []}), None, "question q1"),
    ("repeated-id", squad(question(), question(text="France", start=12)), None, "q1"),
    ("not-json", '{"data": [\n {"title": "Paris",\n  paragraphs: []}]}\n', 3, "not JSON"),
    ("no-data-list", '{"version": "1.1"}', None, "no top-level 'data' list"),
]


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"), QA_CASES, ids=[c[0] for c in QA_CASES]
)
def test_malformed_qa(tmp_path, case, content, line, reason):
    raw = tmp_path / "xquad.en.json"
    raw.write_text(content)
    out = tmp_path / "out" / "corpus.jsonl"
    out.parent.mkdir()
    with pytest.raises(CorpusFormatError) as error:
        preprocess("qa", raw, out, lang="en")
    message = str(error.value)
    where = f"{raw}:{line}: " if line is not None else f"{raw}"
    assert message.startswith(where) and reason in message, message
    assert list(out.parent.iterdir()) == []


def test_a_good_qa_file_passes(tmp_path):
    raw = tmp_path / "xquad.en.json"
    raw.write_text(squad(question(), question("q2", "France", 12)))
    assert preprocess("qa", raw, tmp_path / "qa.jsonl", lang="en") == 2


PUBLISHED = "experiment,method,task,source,target,score\n"
PUBLISHED_CASES = [
    ("decimal comma", '# a comment\np,z,pos,qaa,qab,"62,76"\n', r"line 3, column score: "
     r"'62,76' is not a number \(a decimal comma\? write 62.76\)"),
    ("a word", "p,z,pos,qaa,qab,n/a\n", r"line 2, column score: 'n/a' is not a number"),
    ("empty cell", "p,z,pos,qaa,qab,\n", r"line 2, column score: an empty cell is not a number"),
    ("duplicate", "p,z,pos,qaa,qab,62.76\np,z,pos,qaa,qac,50\np,z,pos,qaa,qab,30.00\n",
     r"lines 2, 4 are the same result \(experiment=p, method=z, task=pos, source=qaa, "
     r"target=qab\); keep one"),
    ("header only", "", r"has a header and no scores"),
    ("a fraction for a percentage", "p,z,pos,qaa,qab,162.5\n",
     r"line 2, column score: 162.5 is outside 0-100"),
    ("unknown task", "p,z,posx,qaa,qab,50\n", r"line 2, column task: 'posx' is not a task"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "rows", "message"), PUBLISHED_CASES,
                         ids=[c[0] for c in PUBLISHED_CASES])  # fmt: skip
def test_malformed_published_scores(default_config, tmp_path, case, rows, message):
    import copy

    from xlt.config import ConfigError, validate_config

    table = tmp_path / "scores.csv"
    table.write_text(PUBLISHED + rows, encoding="utf-8")
    config = copy.deepcopy(default_config)
    config["methods"] = ["zero_shot"]
    config["zero_shot"] = {"published_scores": str(table)}
    with pytest.raises(ConfigError, match=message) as error:
        validate_config(config)
    assert "'zero_shot.published_scores'" in str(error.value) and str(table) in str(error.value)


# CoNLL-2002/2003 files (the MAN-MoE family's conll_ner), read by their own reader:
# Latin-1 throughout or UTF-8 throughout, four or three columns, IOB1 or IOB2.
CONLL_GOOD = "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\n"
CONLL_CASES = [
    ("mixed-encodings", CONLL_GOOD.encode() + "Zürich NNP I-NP I-LOC\n".encode("latin-1")
     + "Köln NNP I-NP I-LOC\n".encode(), 4, "the file mixes encodings"),
    ("tag-outside-the-set", CONLL_GOOD + "Paris NNP I-NP B-CITY\n", 4,
     "not in the conll_ner tag set"),
    ("three-columns-among-four", CONLL_GOOD + "Paris NNP B-LOC\n", 4,
     "3 column(s) where the file's first token line has 4"),
    ("tab-line", CONLL_GOOD + "Paris\tNNP\tI-NP\tI-LOC\n", 4, "a tab in a space-separated"),
    ("docstart-only", "-DOCSTART- -X- -X- O\n\n", None, "no sentences"),
    ("not-a-tag", CONLL_GOOD + "Paris NNP I-NP LOC\n", 4, "is not O, B-<type> or I-<type>"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "content", "line", "reason"), CONLL_CASES, ids=[c[0] for c in CONLL_CASES]
)
def test_malformed_conll(tmp_path, case, content, line, reason):
    from xlt.data.sources import conll

    path = tmp_path / "esp.testa"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CorpusFormatError) as error:
        conll.conll_records(path)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error.value).startswith(where), str(error.value)
    assert reason in str(error.value)


def test_a_good_conll_file_passes(tmp_path):
    from xlt.data.sources import conll

    path = tmp_path / "eng.testa"
    path.write_text(CONLL_GOOD)
    assert conll.conll_records(path) == [{"words": ["EU", "rejects"], "labels": ["B-ORG", "O"]}]
