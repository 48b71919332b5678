"""Sentences with a polarity known by construction (a review-sentiment stand-in).

Adjectives come in two halves of the lexicon: the even-numbered ones are
positive, the odd-numbered negative (the same lexemes in every language). A
sentence of a class has at least one adjective and all of its adjectives of
that class's polarity; the rest of the sentence is drawn as usual. The label
is carried by word forms only, so it transfers as far as the forms do (the
language's lexical overlap) and as far as the encoder finds the adjectives in
another word order.
"""

from __future__ import annotations

from xlt.data.sources.synthetic.draws import _rng
from xlt.data.sources.synthetic.grammar import _Node, _Sampler
from xlt.data.sources.synthetic.realisation import _Language, _realise

LABELS = ("negative", "positive")


def _adjectives(node: _Node) -> list[_Node]:
    found = [node] if node.upos == "ADJ" else []
    for dep in node.deps:
        found += _adjectives(dep)
    return found


def sentiment_sentences(spec: dict, code: str, split: str, n: int | None = None) -> list[dict]:
    """``n`` sentences ``{text, label}`` of one split, labels drawn uniformly."""
    n = spec["sizes"][split] if n is None else n
    lang = _Language(spec, code)
    rng = _rng(spec["seed"], "sentiment", code, split)
    sampler = _Sampler(rng, lang.modifier_before, 0.2)
    examples = []
    for _ in range(n):
        label = LABELS[rng.randrange(len(LABELS))]
        tree = sampler.sentence()
        while not _adjectives(tree):
            tree = sampler.sentence()
        polarity = 0 if label == "positive" else 1
        for adjective in _adjectives(tree):
            category, index = adjective.key
            adjective.key = (category, index - index % 2 + polarity)
        examples.append({"text": " ".join(_realise(tree, lang).tokens), "label": label})
    return examples
