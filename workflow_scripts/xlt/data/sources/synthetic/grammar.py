"""The abstract grammar shared by all synthetic languages: a sentence sampler.

``_Sampler`` draws abstract dependency trees of ``_Node``s (clauses with
subjects, objects, obliques and adverbs; noun phrases with determiners,
numerals, adjectives, nominal modifiers, coordination and named entities),
choosing lexemes by their Zipf weights (``_pick``). The trees carry no word
order and no surface forms; ``realisation`` adds both per language.
"""

from __future__ import annotations

import random
from bisect import bisect

from xlt.data.sources.synthetic.lexicon import (
    _CUM,
    _CUM_INTRANSITIVE,
    _CUM_TRANSITIVE,
    _N_TRANSITIVE,
)


def _pick(rng: random.Random, cat: str) -> int:
    cum = _CUM[cat]
    return bisect(cum, rng.random() * cum[-1])


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
