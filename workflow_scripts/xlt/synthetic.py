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
"""

from __future__ import annotations

import hashlib
import random
import re
from bisect import bisect
from functools import cache
from pathlib import Path

from xlt.conllu_io import write_conllu
from xlt.corpus import NERSentence, UDSentence
from xlt.fileio import atomic_path, write_json
from xlt.ner_io import write_wikiann

WORD_ORDERS = ("SVO", "SOV", "VSO", "VOS", "OVS", "OSV")
ADPOSITIONS = ("preposition", "postposition")
ADJECTIVE_ORDERS = ("before", "after")
AFFIXES = ("none", "suffix", "prefix")
SPLITS = ("train", "dev", "test")
SIZE_KEYS = ("train", "dev", "test", "unlabelled")
OUTPUT_KEYS = (
    "ud_train",
    "ud_dev",
    "ud_test",
    "ner_train",
    "ner_dev",
    "ner_test",
    "unlabelled",
    "typology",
)
ENTITY_TYPES = ("PER", "LOC", "ORG")
_CODE = re.compile(r"q[a-t][a-z]")
_LANGUAGE_KEYS = (
    "name",
    "family",
    "word_order",
    "adposition",
    "adjective",
    "affix",
    "contractions",
    "lexical_overlap",
)


# --------------------------------------------------------------------------
# Configuration


def _fail(key: str, message: str):
    raise ValueError(f"synthetic.{key}: {message}")


def _check_int(value, key: str, minimum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(key, f"{value!r} is not an integer")
    if minimum is not None and value < minimum:
        _fail(key, f"{value!r} is below the minimum {minimum}")


def _check_choice(value, key: str, allowed) -> None:
    if value not in allowed:
        _fail(key, f"{value!r} is not one of {', '.join(allowed)}")


def _check_language(code, params, key: str) -> None:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        _fail("languages", f"{code!r} is not an ISO 639 private-use code (qaa..qtz)")
    if not isinstance(params, dict):
        _fail(key, f"expected a mapping of parameters, got {params!r}")
    for name in params:
        if name not in _LANGUAGE_KEYS:
            _fail(f"{key}.{name}", f"unknown parameter (allowed: {', '.join(_LANGUAGE_KEYS)})")
    for name in ("word_order", "adposition", "adjective", "affix", "lexical_overlap"):
        if name not in params:
            _fail(f"{key}.{name}", "missing required parameter")
    _check_choice(params["word_order"], f"{key}.word_order", WORD_ORDERS)
    _check_choice(params["adposition"], f"{key}.adposition", ADPOSITIONS)
    _check_choice(params["adjective"], f"{key}.adjective", ADJECTIVE_ORDERS)
    _check_choice(params["affix"], f"{key}.affix", AFFIXES)
    contractions = params.get("contractions", False)
    if not isinstance(contractions, bool):
        _fail(f"{key}.contractions", f"{contractions!r} is not true or false")
    overlap = params["lexical_overlap"]
    if (
        isinstance(overlap, bool)
        or not isinstance(overlap, int | float)
        or not 0.0 <= overlap <= 1.0
    ):
        _fail(f"{key}.lexical_overlap", f"{overlap!r} is not a number in [0, 1]")
    for name in ("name", "family"):
        if name in params and not isinstance(params[name], str):
            _fail(f"{key}.{name}", f"{params[name]!r} is not a string")


def validate_spec(spec: dict) -> None:
    """Raise ValueError naming the config key (``synthetic.…``) of the first problem."""
    if not isinstance(spec, dict):
        raise ValueError(f"synthetic: expected a mapping, got {spec!r}")
    for name in ("seed", "source", "sizes", "languages"):
        if name not in spec:
            _fail(name, "missing required key")
    _check_int(spec["seed"], "seed")
    sizes = spec["sizes"]
    if not isinstance(sizes, dict):
        _fail("sizes", f"expected a mapping, got {sizes!r}")
    for name in SIZE_KEYS:
        if name not in sizes:
            _fail(f"sizes.{name}", "missing required key")
        _check_int(sizes[name], f"sizes.{name}", minimum=1)
    languages = spec["languages"]
    if not isinstance(languages, dict) or not languages:
        _fail("languages", "expected a non-empty mapping of language codes")
    for code, params in languages.items():
        _check_language(code, params, f"languages.{code}")
    source = spec["source"]
    if source not in languages:
        _fail("source", f"{source!r} is not one of synthetic.languages ({', '.join(languages)})")
    overlap = languages[source]["lexical_overlap"]
    if overlap != 1.0:
        _fail(
            f"languages.{source}.lexical_overlap",
            f"{overlap!r}: the source language overlaps fully with itself, set 1.0",
        )


def _language(spec: dict, code: str) -> dict:
    validate_spec(spec)
    if code not in spec["languages"]:
        _fail(
            "languages",
            f"no language {code!r} (configured: {', '.join(spec['languages'])})",
        )
    params = dict(spec["languages"][code])
    params.setdefault("contractions", False)
    params.setdefault("name", code)
    params.setdefault("family", "Synthetic")
    return params


# --------------------------------------------------------------------------
# Typology


def typology_record(spec: dict, code: str) -> dict:
    """The language's typological features, in the language table's record format.

    Syntax features reuse URIEL/lang2vec names so that synthetic and real
    languages fill the same columns. The morphology names (M_PREFIXING,
    M_SUFFIXING, M_CONTRACTIONS) are our own: URIEL has no binary equivalents.
    """
    p = _language(spec, code)
    syntax = {f"S_{order}": int(p["word_order"] == order) for order in WORD_ORDERS}
    syntax["S_ADPOSITION_BEFORE_NOUN"] = int(p["adposition"] == "preposition")
    syntax["S_ADPOSITION_AFTER_NOUN"] = int(p["adposition"] == "postposition")
    syntax["S_ADJECTIVE_BEFORE_NOUN"] = int(p["adjective"] == "before")
    syntax["S_ADJECTIVE_AFTER_NOUN"] = int(p["adjective"] == "after")
    morphology = {
        "M_PREFIXING": int(p["affix"] == "prefix"),
        "M_SUFFIXING": int(p["affix"] == "suffix"),
        "M_CONTRACTIONS": int(p["contractions"]),
    }
    return {
        "code": code,
        "name": p["name"],
        "family": p["family"],
        "area": "Synthetic",
        "kind": "synthetic",
        "features": {
            "syntax": syntax,
            "morphology": morphology,
            "lexical": {"overlap_with_source": float(p["lexical_overlap"])},
        },
    }


# --------------------------------------------------------------------------
# Random streams


def _digest(*parts) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()


def _rng(*parts) -> random.Random:
    """An independent stream named by ``parts`` (stable across Python versions)."""
    return random.Random(int.from_bytes(_digest(*parts)[:8], "big"))


def _unit(*parts) -> float:
    """A uniform number in [0, 1) named by ``parts``."""
    return int.from_bytes(_digest(*parts)[:7], "big") / 2**56


# --------------------------------------------------------------------------
# Abstract lexicon (the same for every language and seed)

# Lexemes per category. GIVEN/SURNAME are PER name parts, PLACE LOC parts,
# ORGNAME and ORGTYPE ("company", "bank", ...) ORG parts; all are PROPN.
_CATEGORY_SIZES = {
    "NOUN": 160,
    "VERB": 80,
    "ADJ": 50,
    "ADV": 20,
    "ADP": 8,
    "DET": 6,
    "PRON": 8,
    "NUM": 10,
    "CCONJ": 2,
    "GIVEN": 50,
    "SURNAME": 50,
    "PLACE": 50,
    "ORGNAME": 40,
    "ORGTYPE": 6,
}
_N_TRANSITIVE = 50  # VERB lexemes 0..49 take an object
_N_CONTRACTING_ADP = 3  # in contracting languages the 3 most frequent ADPs fuse
_FUNCTION = frozenset({"ADP", "DET", "PRON", "CCONJ"})
_NAMES = frozenset({"GIVEN", "SURNAME", "PLACE", "ORGNAME", "ORGTYPE"})

# Homographs share one form key, hence one surface form in every language, so
# that tagging needs context: verbs that are also nouns, place names that are
# also person names, and org-type words that are also common nouns (the common
# noun is written in lower case, the name part capitalised).
_SHARED_FORMS = {
    **{("VERB", i): ("NOUN", 7 + i) for i in range(4, 14)},
    **{("PLACE", i): ("SURNAME", 3 + i) for i in range(0, 6)},
    **{("PLACE", 6 + i): ("GIVEN", 2 + i) for i in range(0, 4)},
    **{("ORGTYPE", i): ("NOUN", 30 + i) for i in range(_CATEGORY_SIZES["ORGTYPE"])},
}


def _form_keys() -> list[tuple[str, int]]:
    """Every distinct form key, in a fixed order."""
    return [
        (cat, i)
        for cat, n in _CATEGORY_SIZES.items()
        for i in range(n)
        if (cat, i) not in _SHARED_FORMS
    ]


def _zipf(n: int, exponent: float = 0.9) -> list[float]:
    """Cumulative Zipf weights: a few frequent lexemes, a long tail of rare ones."""
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += rank**-exponent
        cum.append(total)
    return cum


_CUM = {cat: _zipf(n) for cat, n in _CATEGORY_SIZES.items()}
_CUM_TRANSITIVE = _zipf(_N_TRANSITIVE)
_CUM_INTRANSITIVE = _zipf(_CATEGORY_SIZES["VERB"] - _N_TRANSITIVE)


def _pick(rng: random.Random, cat: str) -> int:
    cum = _CUM[cat]
    return bisect(cum, rng.random() * cum[-1])


# --------------------------------------------------------------------------
# Phonology and surface lexicon

_CONSONANTS = "pbtdkgmnfvszlrhjw"
_VOWELS = "aeiouy"


@cache
def _phonology(seed: int, code: str) -> tuple[str, str]:
    """The language's consonants and vowels: partly different subsets per language,
    so that forms not shared with the source also share fewer subwords with it."""
    rng = _rng(seed, "phonology", code)
    consonants = "".join(sorted(rng.sample(_CONSONANTS, 11)))
    vowels = "".join(sorted(rng.sample(_VOWELS, 4)))
    return consonants, vowels


def _syllable(rng: random.Random, consonants: str, vowels: str) -> str:
    r = rng.random()
    if r < 0.7:
        return rng.choice(consonants) + rng.choice(vowels)
    if r < 0.92:
        return rng.choice(consonants) + rng.choice(vowels) + rng.choice(consonants)
    return rng.choice(vowels)


def _syllable_count(rng: random.Random, cat: str) -> int:
    if cat in _FUNCTION:
        return 1
    if cat == "NUM":
        return rng.choice((1, 2))
    return 2 if rng.random() < 0.6 else 3


def _fresh_form(rng: random.Random, phonology: tuple[str, str], cat: str, taken) -> str:
    consonants, vowels = phonology
    while True:
        n = _syllable_count(rng, cat)
        form = "".join(_syllable(rng, consonants, vowels) for _ in range(n))
        # at least two letters: a contraction drops one from its first word
        if form not in taken and len(form) >= 2:
            return form


@cache
def _source_forms(seed: int, source: str) -> dict[tuple[str, int], str]:
    """The source language's form of every form key (lower case)."""
    phonology = _phonology(seed, source)
    forms: dict[tuple[str, int], str] = {}
    taken: set[str] = set()
    for key in _form_keys():
        rng = _rng(seed, "form", source, *key)
        form = _fresh_form(rng, phonology, key[0], taken)
        taken.add(form)
        forms[key] = form
    return forms


@cache
def _language_forms(
    seed: int, source: str, code: str, overlap: float
) -> dict[tuple[str, int], str]:
    """Each form key keeps the source form with probability ``overlap`` (decided per
    key), else gets a fresh form from the language's own phonology. Fresh forms
    never coincide with any source form, so shared vocabulary means shared lexemes."""
    src = _source_forms(seed, source)
    if code == source:
        return src
    phonology = _phonology(seed, code)
    keys = _form_keys()
    keep = {key: _unit(seed, "keep", code, *key) < overlap for key in keys}
    forms = {key: src[key] for key in keys if keep[key]}
    taken = set(src.values())
    for key in keys:
        if not keep[key]:
            form = _fresh_form(_rng(seed, "form", code, *key), phonology, key[0], taken)
            taken.add(form)
            forms[key] = form
    return forms


@cache
def _affixes(seed: int, code: str) -> dict[str, str]:
    """Case (ACC, OBL) and tense (PAST, FUT) markers.

    Nominative and present are unmarked, as in Turkish or Finnish, so that bare
    stems still occur and an affixing language is not lexically disjoint from
    an unaffixed one by construction."""
    rng = _rng(seed, "affixes", code)
    consonants, vowels = _phonology(seed, code)
    result: dict[str, str] = {}
    for feature in ("ACC", "OBL", "PAST", "FUT"):
        while True:
            affix = rng.choice(consonants) + rng.choice(vowels)
            if affix not in result.values():
                result[feature] = affix
                break
    return result


def _fuse(first: str, second: str) -> str:
    """Surface form of a contraction: the first word loses its last letter."""
    return first[:-1] + second


class _Language:
    """Everything needed to linearise and spell abstract sentences in one language."""

    def __init__(self, spec: dict, code: str):
        p = _language(spec, code)
        seed, source = spec["seed"], spec["source"]
        self.code = code
        self.forms = _language_forms(seed, source, code, float(p["lexical_overlap"]))
        self.affix = p["affix"]
        self.markers = _affixes(seed, code) if self.affix != "none" else {}
        self.contractions = p["contractions"]
        self.preposition = p["adposition"] == "preposition"
        self.modifier_before = p["adjective"] == "before"
        self.slots = self._slots(p["word_order"])

    def _slots(self, order: str) -> dict[str, dict[str, float]]:
        """Sort keys of each dependent relative to its head (negative: before it)."""
        v = order.index("V")
        subj, obj = (order.index("S") - v) * 10, (order.index("O") - v) * 10
        # Obliques go next to the object, on its far side from the verb; with no
        # object they sit where it would.
        obl = obj + 1 if obj > 0 else obj - 1
        side = -1 if self.modifier_before else 1
        verb = {
            "nsubj": subj,
            "obj": obj,
            "obl": obl,
            "advmod": 0.5 * side,
            "punct": 200,  # final punctuation; a comma before a conjunct is -101
            "cc": -100,
            "conj": 100,
        }
        noun = {
            "det": 30 * side,
            "nummod": 20 * side,
            "amod": 10 * side,
            "nmod": 50 if self.preposition else -50,
            "case": -90 if self.preposition else 90,
            "flat": 1,
            "cc": -100,
            "conj": 100,
        }
        return {"VERB": verb, "NOUN": noun}

    def spell(self, key: tuple[str, int]) -> str:
        key = _SHARED_FORMS.get(key, key)
        return self.forms[key]

    def inflect(self, form: str, feature: str | None) -> str:
        marker = self.markers.get(feature) if feature else None
        if marker is None:
            return form
        return form + marker if self.affix == "suffix" else marker + form


# --------------------------------------------------------------------------
# Abstract sentences


class _Node:
    __slots__ = ("upos", "key", "deprel", "deps", "feature", "entity", "text")

    def __init__(self, upos, key, deprel, feature=None, entity=None, text=None):
        self.upos = upos
        self.key = key  # (category, index) into the lexicon, or None with ``text``
        self.deprel = deprel
        self.deps: list[_Node] = []
        self.feature = feature  # ACC/OBL on nominal heads, PAST/FUT on verbs
        self.entity = entity  # PER/LOC/ORG on the first token of a name
        self.text = text  # a fixed form (punctuation, digits)


class _Sampler:
    """Samples abstract dependency trees; ``entity_rate`` is the chance that a
    noun phrase is a named entity (WikiANN-like samples use a high one)."""

    def __init__(self, rng: random.Random, modifier_before: bool, entity_rate: float):
        self.rng = rng
        self.modifier_before = modifier_before
        self.entity_rate = entity_rate

    def sentence(self) -> _Node:
        rng = self.rng
        root = self.clause("root")
        if rng.random() < 0.1:
            conj = self.clause("conj")
            conj.deps.insert(0, _Node("CCONJ", ("CCONJ", _pick(rng, "CCONJ")), "cc"))
            conj.deps.insert(0, _Node("PUNCT", None, "punct", text=","))
            root.deps.append(conj)
        root.deps.append(_Node("PUNCT", None, "punct", text="?" if rng.random() < 0.08 else "."))
        return root

    def clause(self, deprel: str) -> _Node:
        rng = self.rng
        transitive = rng.random() < 0.65
        if transitive:
            index = bisect(_CUM_TRANSITIVE, rng.random() * _CUM_TRANSITIVE[-1])
        else:
            cum = _CUM_INTRANSITIVE
            index = _N_TRANSITIVE + bisect(cum, rng.random() * cum[-1])
        r = rng.random()
        tense = "PAST" if r < 0.35 else "FUT" if r < 0.5 else None
        verb = _Node("VERB", ("VERB", index), deprel, feature=tense)
        verb.deps.append(self.nominal("nsubj", None, coordinate=True))
        if transitive:
            verb.deps.append(self.nominal("obj", "ACC", coordinate=True))
        r = rng.random()
        for _ in range(0 if r < 0.5 else 1 if r < 0.85 else 2):
            verb.deps.append(self.nominal("obl", "OBL", adposition=True))
        if rng.random() < 0.25:
            verb.deps.append(_Node("ADV", ("ADV", _pick(rng, "ADV")), "advmod"))
        return verb

    def nominal(
        self,
        deprel: str,
        feature: str | None,
        *,
        adposition: bool = False,
        coordinate: bool = False,
        depth: int = 0,
    ) -> _Node:
        rng = self.rng
        r = rng.random()
        if r < self.entity_rate:
            head = self.name(deprel, feature)
        elif r < self.entity_rate + 0.12:
            head = _Node("PRON", ("PRON", _pick(rng, "PRON")), deprel)
        else:
            head = self.common_noun(deprel, feature, depth)
        if adposition:
            head.deps.append(_Node("ADP", ("ADP", _pick(rng, "ADP")), "case"))
        elif coordinate and rng.random() < 0.06:
            conj = self.nominal("conj", feature, depth=depth + 1)
            conj.deps.insert(0, _Node("CCONJ", ("CCONJ", _pick(rng, "CCONJ")), "cc"))
            head.deps.append(conj)
        return head

    def common_noun(self, deprel: str, feature: str | None, depth: int) -> _Node:
        rng = self.rng
        noun = _Node("NOUN", ("NOUN", _pick(rng, "NOUN")), deprel, feature=feature)
        if rng.random() < 0.55:
            noun.deps.append(_Node("DET", ("DET", _pick(rng, "DET")), "det"))
        if rng.random() < 0.12:
            if rng.random() < 0.3:
                num = _Node("NUM", None, "nummod", text=str(rng.randint(2, 99)))
            else:
                num = _Node("NUM", ("NUM", _pick(rng, "NUM")), "nummod")
            noun.deps.append(num)
        r = rng.random()
        for _ in range(0 if r < 0.6 else 1 if r < 0.9 else 2):
            noun.deps.append(_Node("ADJ", ("ADJ", _pick(rng, "ADJ")), "amod"))
        if depth == 0 and rng.random() < 0.12:
            noun.deps.append(self.nominal("nmod", "OBL", adposition=True, depth=1))
        return noun

    def name(self, deprel: str, feature: str | None) -> _Node:
        """A named entity: its first token heads the others (UD ``flat``)."""
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            entity = "PER"
            parts = [("GIVEN", _pick(rng, "GIVEN"))]
            if rng.random() < 0.6:
                parts.append(("SURNAME", _pick(rng, "SURNAME")))
        elif r < 0.75:
            entity = "LOC"
            parts = [("PLACE", _pick(rng, "PLACE"))]
            if rng.random() < 0.25:
                parts.append(("PLACE", _pick(rng, "PLACE")))
        else:
            entity = "ORG"
            parts = [("ORGNAME", _pick(rng, "ORGNAME"))]
            if rng.random() < 0.35:
                parts.append(("ORGNAME", _pick(rng, "ORGNAME")))
            org_type = ("ORGTYPE", _pick(rng, "ORGTYPE"))
            # "Acme Company" vs "Company Acme": the type word sits where a head
            # noun would, modifiers on the language's modifier side.
            parts = parts + [org_type] if self.modifier_before else [org_type] + parts
        head = _Node("PROPN", parts[0], deprel, feature=feature, entity=entity)
        head.deps.extend(_Node("PROPN", key, "flat") for key in parts[1:])
        return head


# --------------------------------------------------------------------------
# Linearisation and spelling


def _linearise(node: _Node, slots: dict, out: list) -> None:
    """Append the subtree's nodes to ``out`` in surface order."""
    if not node.deps:
        out.append(node)
        return
    keys = slots["VERB"] if node.upos == "VERB" else slots["NOUN"]
    # A comma opens a coordinated clause, before its conjunction.
    ordered = sorted(
        ((-101 if d.text == "," else keys[d.deprel], d) for d in node.deps),
        key=lambda pair: pair[0],
    )
    placed = False
    for key, dep in ordered:
        if not placed and key > 0:
            out.append(node)
            placed = True
        _linearise(dep, slots, out)
    if not placed:
        out.append(node)


class _Realised:
    """One sentence in one language: syntactic words, surface tokens, NER tags."""

    __slots__ = ("ud", "tokens", "tags")

    def __init__(self, ud: UDSentence, tokens: list[str], tags: list[str]):
        self.ud = ud
        self.tokens = tokens
        self.tags = tags


def _realise(tree: _Node, lang: _Language) -> _Realised:
    nodes: list[_Node] = []
    _linearise(tree, lang.slots, nodes)
    position = {id(node): i for i, node in enumerate(nodes)}
    heads = [0] * len(nodes)
    for node in nodes:
        for dep in node.deps:
            heads[position[id(dep)]] = position[id(node)] + 1
    forms = []
    for node in nodes:
        if node.text is not None:
            forms.append(node.text)
            continue
        form = lang.spell(node.key)
        if node.key[0] in _NAMES:
            form = form.capitalize()
        forms.append(form)
    # Inflection: verbs and common nouns on the word itself; names on their edge
    # token (the last for suffixes, the first for prefixes), like phrasal case.
    tags = ["O"] * len(nodes)
    for i, node in enumerate(nodes):
        if node.entity is not None:
            end = i + 1 + sum(1 for d in node.deps if d.deprel == "flat")
            tags[i] = "B-" + node.entity
            for j in range(i + 1, end):
                tags[j] = "I-" + node.entity
            if node.feature:
                edge = end - 1 if lang.affix == "suffix" else i
                forms[edge] = lang.inflect(forms[edge], node.feature)
        elif node.feature:
            forms[i] = lang.inflect(forms[i], node.feature)
    # Contractions: a contracting adposition fuses with the determiner of its
    # noun phrase when the two are adjacent (Spanish "de el" -> "del"), or with
    # a pronoun complement (Irish "ag mé" -> "agam"). The pronoun case matters
    # where determiners follow the noun but adpositions precede it: there ADP
    # and DET are never adjacent.
    multiword: list[tuple[int, int, str]] = []
    tokens: list[str] = []
    token_tags: list[str] = []
    i = 0
    n = len(nodes)
    while i < n:
        if lang.contractions and i + 1 < n and _contracts(nodes, heads, i, lang.preposition):
            fused = _fuse(forms[i], forms[i + 1])
            multiword.append((i + 1, i + 2, fused))
            tokens.append(fused)
            token_tags.append("O")
            i += 2
            continue
        tokens.append(forms[i])
        token_tags.append(tags[i])
        i += 1
    ud = UDSentence(
        forms=forms,
        upos=[node.upos for node in nodes],
        heads=heads,
        deprels=[node.deprel for node in nodes],
        text=" ".join(tokens),
        multiword_tokens=multiword,
    )
    return _Realised(ud, tokens, token_tags)


def _contracts(nodes: list[_Node], heads: list[int], i: int, preposition: bool) -> bool:
    """Whether words i and i+1 form an ADP+DET/PRON (or DET/PRON+ADP) contraction."""
    adp, other = (i, i + 1) if preposition else (i + 1, i)
    a, o = nodes[adp], nodes[other]
    if a.upos != "ADP" or a.key[1] >= _N_CONTRACTING_ADP:
        return False
    if o.upos == "PRON":
        return heads[adp] == other + 1
    return o.upos == "DET" and heads[adp] == heads[other]


# --------------------------------------------------------------------------
# Corpora

# Chance that a noun phrase is a named entity: UD-like samples have few,
# WikiANN-like samples many, raw text in between.
_ENTITY_RATE = {"ud": 0.12, "ner": 0.4, "unlabelled": 0.2}


def _sample(spec: dict, code: str, task: str, split: str, n: int) -> list[_Realised]:
    """``n`` sentences of one task and split; each (task, split) has its own stream."""
    lang = _Language(spec, code)
    rng = _rng(spec["seed"], "sentences", code, task, split)
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


def generate_language(spec: dict, code: str, out: dict[str, Path]) -> None:
    """Write every corpus of language ``code`` and its typology record, atomically.

    ``out`` maps each of OUTPUT_KEYS to a path: CoNLL-U files (``ud_*``), WikiANN
    files in Rahimi's ``lang:token<TAB>tag`` format (``ner_*``), plain text
    (``unlabelled``) and JSON (``typology``).
    """
    _language(spec, code)
    missing = [key for key in OUTPUT_KEYS if key not in out]
    if missing:
        raise ValueError(f"generate_language: output paths missing for {', '.join(missing)}")
    for split in SPLITS:
        write_conllu(out[f"ud_{split}"], ud_sentences(spec, code, split))
        write_wikiann(out[f"ner_{split}"], code, ner_sentences(spec, code, split))
    with atomic_path(out["unlabelled"]) as tmp:
        lines = unlabelled_lines(spec, code)
        tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    write_json(out["typology"], typology_record(spec, code))
