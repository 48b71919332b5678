"""The registry of method families.

Rules, config checks, tables and plots ask this registry which family a
method belongs to and what that family needs, instead of comparing method
names. Adding a family: a package in ``xlt.families`` that builds a ``Family`` (see
``base.py``), its entry in ``FAMILIES``, its schema part, its rule file.
"""

from __future__ import annotations

from xlt.families.base import Family
from xlt.families.factorization import family as factorization
from xlt.families.few_shot import family as few_shot
from xlt.families.interpolation import family as interpolation
from xlt.families.man_moe import family as man_moe
from xlt.families.survey import family as survey
from xlt.families.zero_shot import family as zero_shot

FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        zero_shot.FAMILY,
        few_shot.FAMILY,
        interpolation.FAMILY,
        man_moe.FAMILY,
        factorization.FAMILY,
        survey.FAMILY,
    )
}


def all_methods() -> list[str]:
    """Every method of every family, in registry order."""
    return [m for family in FAMILIES.values() for m in family.methods]


def family_of(method: str) -> Family:
    """The family ``method`` belongs to; KeyError for a method of no family."""
    for family in FAMILIES.values():
        if method in family.methods:
            return family
    raise KeyError(f"method '{method}' belongs to no family ({', '.join(all_methods())})")


def active_families(config: dict) -> list[Family]:
    """Families with at least one method in ``config['methods']``, in registry order."""
    return [family for family in FAMILIES.values() if family.is_active(config)]


def needed_corpora(config: dict) -> list[tuple[str, str, str]]:
    """Every (task, language, split) some configured family reads, without repeats."""
    return list(dict.fromkeys(c for f in active_families(config) for c in f.corpora(config)))


def role(config: dict, lang: str) -> str:
    """What a language's real data is for: the first family that uses it decides
    (``train``, or ``partitioned`` when one experiment both trains and tests on
    it); a language no family trains on is only tested (``test``)."""
    for family in active_families(config):
        answer = family.role(config, lang)
        if answer:
            return answer
    return "test"


def corpus_problems(config: dict, corpus: tuple[str, str, str], records: list[dict]) -> list[str]:
    """What the configured families cannot do with a preprocessed corpus."""
    return [
        p
        for family in active_families(config)
        for p in family.check_corpus(config, corpus, records)
    ]
