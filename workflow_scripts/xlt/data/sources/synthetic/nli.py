"""Sentence pairs with entailment labels known by construction (an XNLI stand-in).

The premise is a sentence of the language; the hypothesis is built from the
premise's abstract tree and realised in the same language:

* entailment: the premise's core clause (subject, verb, object), its
  modifiers, obliques and coordinated material dropped: what the premise says
  without its details;
* contradiction: that core clause with the verb replaced by its antonym
  (verbs come in fixed antonym pairs, the same in every language);
* neutral: that core clause about another subject.

Deciding needs both sentences (the hypothesis alone looks the same in every
class), and it transfers through shared word forms and word order like the
other tasks.
"""

from __future__ import annotations

from xlt.data.sources.synthetic.draws import _rng
from xlt.data.sources.synthetic.grammar import _Node, _Sampler
from xlt.data.sources.synthetic.realisation import _Language, _realise

LABELS = ("entailment", "neutral", "contradiction")
# What a hypothesis keeps of a clause and of a noun phrase.
_CLAUSE_KEEP = frozenset({"nsubj", "obj", "punct"})
_NOMINAL_KEEP = frozenset({"det", "flat"})


def _core(node: _Node, keep=_CLAUSE_KEEP) -> _Node:
    """A copy of ``node`` with only the dependents a hypothesis keeps."""
    copy = _Node(node.upos, node.key, node.deprel, node.feature, node.entity, node.text)
    copy.deps = [_core(d, _NOMINAL_KEEP) for d in node.deps if d.deprel in keep]
    return copy


def _antonym(key: tuple[str, int]) -> tuple[str, int]:
    """The verb paired with ``key`` (0-1, 2-3, ...; transitive and intransitive
    verbs are both even in number, so a pair never mixes them)."""
    category, index = key
    return category, index ^ 1


def _head_key(node: _Node):
    return node.key if node.key is not None else node.text


def _hypothesis(premise: _Node, label: str, sampler: _Sampler) -> _Node:
    core = _core(premise)
    if label == "contradiction":
        core.key = _antonym(core.key)
    elif label == "neutral":
        core = _core(sampler.sentence())
    return core


def nli_pairs(spec: dict, code: str, split: str, n: int | None = None) -> list[dict]:
    """``n`` (premise, hypothesis, label) pairs of one split: each premise with
    one hypothesis of every label (as XNLI's annotators wrote one of each per
    premise), the labels in random order; texts are surface tokens joined by
    spaces."""
    n = (spec.get("pairs") or spec["sizes"])[split] if n is None else n
    lang = _Language(spec, code)
    rng = _rng(spec["seed"], "nli", code, split)
    sampler = _Sampler(rng, lang.modifier_before, 0.2)
    pairs: list[dict] = []
    while len(pairs) < n:
        premise = sampler.sentence()
        text = " ".join(_realise(premise, lang).tokens)
        labels = list(LABELS)
        rng.shuffle(labels)
        for label in labels[: n - len(pairs)]:
            hypothesis = _hypothesis(premise, label, sampler)
            pairs.append(
                {
                    "premise": text,
                    "hypothesis": " ".join(_realise(hypothesis, lang).tokens),
                    "label": label,
                }
            )
    return pairs
