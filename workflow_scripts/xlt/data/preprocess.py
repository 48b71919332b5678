"""Raw corpus files -> the common JSONL format, with tag-set validation."""

from __future__ import annotations

from xlt import tasks
from xlt.data.conllu_io import read_conllu
from xlt.data.corpus import CorpusFormatError, write_task_corpus
from xlt.data.ner_io import checked_ner_records, read_ner
from xlt.data.sources.ud import tree_records


def pos_records(path, lang: str | None = None) -> list[dict]:
    """Records (words, UPOS labels, heads, deprels) of a CoNLL-U file; a UPOS tag
    outside the pos tag set is an error naming file and line."""
    allowed = set(tasks.labels("pos"))
    return [
        {"words": s.forms, "labels": s.upos, "heads": s.heads, "deprels": s.deprels}
        for s in read_conllu(path, upos_tagset=allowed)
    ]


def ner_records(path, lang: str | None = None) -> list[dict]:
    """Records (words, labels) of an NER file in any layout ``read_ner`` reads (of
    language ``lang`` if given); a tag outside the ner tag set is an error naming
    file and line."""
    return checked_ner_records(read_ner(path, lang=lang), path)


def dep_records(path, lang: str | None = None) -> list[dict]:
    """Records (words, UPOS, heads, universal relations) of a CoNLL-U file, for
    parsing; a word without a head or with a relation outside the universal
    ones is an error naming file and line (the reader already refuses cycles,
    heads outside the sentence and a second root)."""
    allowed = set(tasks.labels("pos"))
    return tree_records(read_conllu(path, upos_tagset=allowed), path)


def xnli_records(path, lang: str | None = None) -> list[dict]:
    """Records (premise, hypothesis, label) of an XNLI file in XTREME's layout."""
    from xlt.data.sources.xnli import read_xtreme

    return read_xtreme(path)


def sentiment_records(path, lang: str | None = None) -> list[dict]:
    """Records (text, label) of a TSV or JSON-lines file of labelled sentences."""
    from xlt.data.sources.sentences import read_sentences

    return read_sentences(path, tasks.labels("sentiment"))


def qa_records(path, lang: str | None = None) -> list[dict]:
    """Records (id, article, context, question, answers) of a SQuAD v1.1 JSON file."""
    from xlt.data.sources.squad import read_squad

    return read_squad(path)


def conll_ner_records(path, lang: str | None = None) -> list[dict]:
    """Records (words, IOB2 labels) of a CoNLL-2002/2003 NER file (IOB1 converted)."""
    from xlt.data.sources.conll import conll_records

    return conll_records(path)


READERS = {
    "pos": pos_records,
    "ner": ner_records,
    "conll_ner": conll_ner_records,
    "dep": dep_records,
    "xnli": xnli_records,
    "sentiment": sentiment_records,
    "qa": qa_records,
}


def preprocess(task: str, raw_path, out_path, lang: str | None = None) -> int:
    """Convert ``raw_path`` (of language ``lang``) for ``task``; returns the number
    of sentences."""
    records = READERS[task](raw_path, lang)
    if not records:
        raise CorpusFormatError(raw_path, None, "empty split: no sentences")
    write_task_corpus(out_path, records)
    return len(records)
