"""A synthetic typology benchmark: artificial languages with controlled differences.

All languages share one abstract grammar and one abstract lexicon; they differ
only in the parameters of their config entry (word order, adposition side,
modifier side, affixation, contractions, lexical overlap with the source), so
that transfer results can be related to known typological distances. The
benchmark is the workflow's embedded default: it needs no download and runs on
one CPU core in seconds.

Determinism: every random choice comes from a stream named by (seed, purpose,
language code, ...), hashed with SHA-256, so a language's files depend only on
the seed, its own parameters, the sizes and the source language's code (whose
lexicon supplies the shared word forms). Adding or removing another language
changes nothing else, and the same inputs give byte-identical files.

Layout: ``spec`` validates the config and builds typology records, ``draws``
names the random streams, ``lexicon`` makes the word forms, ``grammar`` samples
abstract sentences and ``realisation`` linearises and spells them; this module
samples the corpora and writes a language's files.
"""

from __future__ import annotations

from pathlib import Path

from xlt.core.fileio import atomic_path, write_json
from xlt.data.conllu_io import write_conllu
from xlt.data.corpus import NERSentence, UDSentence
from xlt.data.ner_io import write_wikiann
from xlt.data.sources.sentences import write_sentences
from xlt.data.sources.squad import write_squad
from xlt.data.sources.synthetic.draws import _rng
from xlt.data.sources.synthetic.grammar import _Node, _Sampler
from xlt.data.sources.synthetic.lexicon import _fuse as _fuse
from xlt.data.sources.synthetic.lexicon import _source_forms as _source_forms
from xlt.data.sources.synthetic.nli import nli_pairs
from xlt.data.sources.synthetic.qa import qa_records
from xlt.data.sources.synthetic.realisation import _Language, _realise, _Realised
from xlt.data.sources.synthetic.sentiment import sentiment_sentences
from xlt.data.sources.synthetic.spec import (
    ADJECTIVE_ORDERS,
    ADPOSITIONS,
    AFFIXES,
    ENTITY_TYPES,
    OUTPUT_KEYS,
    SIZE_KEYS,
    SPLITS,
    WORD_ORDERS,
    _language,
    typology_record,
    validate_spec,
)
from xlt.data.sources.xnli import write_xtreme

__all__ = [
    "ADJECTIVE_ORDERS",
    "ADPOSITIONS",
    "AFFIXES",
    "ENTITY_TYPES",
    "OUTPUT_KEYS",
    "SIZE_KEYS",
    "SPLITS",
    "WORD_ORDERS",
    "generate_language",
    "ner_sentences",
    "nli_pairs",
    "qa_records",
    "sentiment_sentences",
    "typology_record",
    "parallel_lines",
    "ud_sentences",
    "unlabelled_lines",
    "validate_spec",
]

# Chance that a noun phrase is a named entity: UD-like samples have few,
# WikiANN-like samples many, raw text in between.
_ENTITY_RATE = {"ud": 0.12, "ner": 0.4, "unlabelled": 0.2, "parallel": 0.2}
# Sentences per language of the parallel text (``sizes.parallel``), like PUD's 1000.
PARALLEL_SIZE = 1000


def _sample(
    spec: dict, code: str, task: str, split: str, n: int, stream: str | None = None
) -> list[_Realised]:
    """``n`` sentences of one task and split; each (task, split) has its own stream,
    drawn for language ``code`` unless ``stream`` names another (a shared one)."""
    lang = _Language(spec, code)
    rng = _rng(spec["seed"], "sentences", stream or code, task, split)
    sampler = _Sampler(rng, lang.modifier_before, _ENTITY_RATE[task])
    result = []
    for _ in range(n):
        tree = sampler.sentence()
        if task == "ner":
            # WikiANN sentences come from entity links: most contain an entity.
            while not _has_entity(tree) and rng.random() < 0.9:
                tree = sampler.sentence()
        result.append(_realise(tree, lang))
    return result


def _has_entity(node: _Node) -> bool:
    return node.entity is not None or any(_has_entity(d) for d in node.deps)


def ud_sentences(spec: dict, code: str, split: str, n: int | None = None) -> list[UDSentence]:
    """The POS/parsing corpus of one split (``n`` defaults to the configured size)."""
    n = spec["sizes"][split] if n is None else n
    sentences = [r.ud for r in _sample(spec, code, "ud", split, n)]
    for i, s in enumerate(sentences, 1):
        s.sent_id = f"{code}-synth-{split}-{i:05d}"
    return sentences


def ner_sentences(spec: dict, code: str, split: str, n: int | None = None) -> list[NERSentence]:
    """The NER corpus of one split, over surface tokens (contractions fused)."""
    n = spec["sizes"][split] if n is None else n
    return [NERSentence(r.tokens, r.tags) for r in _sample(spec, code, "ner", split, n)]


def unlabelled_lines(spec: dict, code: str, n: int | None = None) -> list[str]:
    """Raw text: surface tokens separated by single spaces, one sentence a line."""
    n = spec["sizes"]["unlabelled"] if n is None else n
    return [" ".join(r.tokens) for r in _sample(spec, code, "unlabelled", "all", n)]


def parallel_lines(spec: dict, code: str, n: int | None = None) -> list[str]:
    """Raw text parallel across languages: line i of every language realises the same
    abstract sentence (one stream shared by all languages; the sampler's draws do not
    depend on a language's parameters, only the realisation does)."""
    n = spec["sizes"].get("parallel", PARALLEL_SIZE) if n is None else n
    return [" ".join(r.tokens) for r in _sample(spec, code, "parallel", "all", n, "shared")]


def generate_language(spec: dict, code: str, out: dict[str, Path]) -> None:
    """Write every corpus of language ``code`` and its typology record, atomically.

    ``out`` maps each of OUTPUT_KEYS to a path: CoNLL-U files (``ud_*``), WikiANN
    files in Rahimi's ``lang:token<TAB>tag`` format (``ner_*``), sentence pairs
    in XTREME's XNLI layout (``xnli_*``, see ``nli``), sentences with a
    polarity (``sentiment_*``, see ``sentiment``), questions on paragraphs in
    SQuAD's JSON (``qa_*``, see ``qa``), plain text (``unlabelled``; ``parallel``:
    the same sentences in every language) and JSON (``typology``).
    """
    _language(spec, code)
    missing = [key for key in OUTPUT_KEYS if key not in out]
    if missing:
        raise ValueError(f"generate_language: output paths missing for {', '.join(missing)}")
    for split in SPLITS:
        write_conllu(out[f"ud_{split}"], ud_sentences(spec, code, split))
        write_wikiann(out[f"ner_{split}"], code, ner_sentences(spec, code, split))
        write_xtreme(out[f"xnli_{split}"], nli_pairs(spec, code, split))
        write_sentences(out[f"sentiment_{split}"], sentiment_sentences(spec, code, split))
        write_squad(out[f"qa_{split}"], qa_records(spec, code, split))
    with atomic_path(out["unlabelled"]) as tmp:
        lines = unlabelled_lines(spec, code)
        tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with atomic_path(out["parallel"]) as tmp:
        lines = parallel_lines(spec, code)
        tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    write_json(out["typology"], typology_record(spec, code))
