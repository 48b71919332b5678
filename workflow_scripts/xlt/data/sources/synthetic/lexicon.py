"""The synthetic languages' lexicon: abstract lexemes and their surface forms.

The abstract lexicon (category sizes, Zipf frequency weights, homographs that
share one form key) is the same for every language and seed. Surface forms come
from each language's own phonology: the source language draws a fresh form for
every form key, other languages keep each source form with probability
``lexical_overlap``; this module also draws each language's case and tense
affixes and spells contractions (``_fuse``).
"""

from __future__ import annotations

import random
from functools import cache

from xlt.data.sources.synthetic.draws import _rng, _unit

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
    "WH": 3,  # question words asking for a subject, an object, an oblique (qa)
}
_N_TRANSITIVE = 50  # VERB lexemes 0..49 take an object
_N_CONTRACTING_ADP = 3  # in contracting languages the 3 most frequent ADPs fuse
_FUNCTION = frozenset({"ADP", "DET", "PRON", "CCONJ", "WH"})
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
