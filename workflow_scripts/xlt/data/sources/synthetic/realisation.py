"""Surface realisation: abstract trees turned into one language's sentences.

``_Language`` gathers what one language needs (its word-order slots, lexicon,
affixes, contraction setting); ``_linearise`` orders a tree's words by those
slots and ``_realise`` spells, inflects and contracts them into a ``_Realised``
sentence: UD syntactic words, surface tokens and NER tags (``_contracts``
decides which adjacent adposition and determiner or pronoun fuse).
"""

from __future__ import annotations

from xlt.data.corpus import UDSentence
from xlt.data.sources.synthetic.grammar import _Node
from xlt.data.sources.synthetic.lexicon import (
    _N_CONTRACTING_ADP,
    _NAMES,
    _SHARED_FORMS,
    _affixes,
    _fuse,
    _language_forms,
)
from xlt.data.sources.synthetic.spec import _language


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
