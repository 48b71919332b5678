"""Questions whose answers are spans of a short paragraph (an XQuAD stand-in).

A paragraph is a few sentences of the language; a question asks for the
subject, the object or the oblique of one sentence's main clause. It is that
clause's core (verb, subject, object) realised in the same language, with the
asked-for phrase replaced by a question word in its place (who / what /
where, inflected like the phrase they stand for; questions stay in situ, as in
Chinese or Turkish) and a question mark. The answer is the phrase as the
paragraph spells it: the whole subtree, coordination and modifiers included
(an oblique with its adposition). Finding it needs the question's verb and
other argument to pick the sentence and the word order to pick the phrase, so
it transfers through shared forms and word order like the other tasks.

Paragraphs come in articles (``ARTICLE_PARAGRAPHS`` each), as XQuAD's do:
few-shot sampling draws whole articles.
"""

from __future__ import annotations

from xlt.data.sources.synthetic.draws import _rng
from xlt.data.sources.synthetic.grammar import _Node, _Sampler
from xlt.data.sources.synthetic.nli import _NOMINAL_KEEP, _core
from xlt.data.sources.synthetic.realisation import _Language, _linearise, _realise

SENTENCES = 2  # per paragraph
QUESTIONS = 3  # per paragraph at most
ARTICLE_PARAGRAPHS = 4
# The question word (lexicon category WH) that asks for each role.
_ASKS = {"nsubj": 0, "obj": 1, "obl": 2}


def _subtree(node: _Node) -> list[_Node]:
    found = [node]
    for dep in node.deps:
        found += _subtree(dep)
    return found


def _askable(clause: _Node) -> list[_Node]:
    """The phrases of a clause a question can ask for: its subject, its object,
    its oblique when it has exactly one."""
    obliques = [d for d in clause.deps if d.deprel == "obl"]
    return [d for d in clause.deps if d.deprel in ("nsubj", "obj")] + (
        obliques if len(obliques) == 1 else []
    )


def _question(clause: _Node, asked: _Node) -> _Node:
    """The clause's core with ``asked`` replaced by its question word."""
    question = _Node(clause.upos, clause.key, clause.deprel, clause.feature)
    for dep in clause.deps:
        if dep is asked:
            feature = dep.feature if dep.deprel == "obj" else None
            question.deps.append(_Node("PRON", ("WH", _ASKS[dep.deprel]), dep.deprel, feature))
        elif dep.deprel in ("nsubj", "obj"):
            question.deps.append(_core(dep, _NOMINAL_KEEP))
    question.deps.append(_Node("PUNCT", None, "punct", text="?"))
    return question


def _token_span(tree: _Node, phrase: _Node, lang: _Language, tokens: int, fused) -> tuple[int, int]:
    """First and last surface token of ``phrase`` in ``tree``'s sentence."""
    words: list[_Node] = []
    _linearise(tree, lang.slots, words)
    inside = {id(node) for node in _subtree(phrase)}
    positions = [i for i, node in enumerate(words) if id(node) in inside]
    first, last = positions[0], positions[-1]  # a subtree's words are contiguous
    # word -> token: a contraction (1-based word ids start..end) is one token
    token_of, token = [], 0
    fused_words = {start - 1: end - 1 for start, end, _ in fused}
    i = 0
    while i < len(words):
        end = fused_words.get(i, i)
        token_of += [token] * (end - i + 1)
        token, i = token + 1, end + 1
    assert token == tokens
    return token_of[first], token_of[last]


def qa_records(spec: dict, code: str, split: str, n: int | None = None) -> list[dict]:
    """``n`` questions of one split, SQuAD-style records ``{id, article, context,
    question, answers: [{text, answer_start}]}``."""
    n = (spec.get("questions") or spec["sizes"])[split] if n is None else n
    lang = _Language(spec, code)
    rng = _rng(spec["seed"], "qa", code, split)
    sampler = _Sampler(rng, lang.modifier_before, 0.2)
    records: list[dict] = []
    paragraph = 0
    while len(records) < n:
        trees = [sampler.sentence() for _ in range(SENTENCES)]
        realised = [_realise(tree, lang) for tree in trees]
        texts = [" ".join(r.tokens) for r in realised]
        context = " ".join(texts)
        starts = [sum(len(t) + 1 for t in texts[:k]) for k in range(SENTENCES)]
        candidates = [(k, phrase) for k, tree in enumerate(trees) for phrase in _askable(tree)]
        rng.shuffle(candidates)
        for k, phrase in candidates[: min(QUESTIONS, n - len(records))]:
            tokens = realised[k].tokens
            first, last = _token_span(
                trees[k], phrase, lang, len(tokens), realised[k].ud.multiword_tokens
            )
            offset = starts[k] + sum(len(t) + 1 for t in tokens[:first])
            answer = " ".join(tokens[first : last + 1])
            question = " ".join(_realise(_question(trees[k], phrase), lang).tokens)
            records.append(
                {
                    "id": f"{code}-{split}-{len(records) + 1:05d}",
                    "article": f"{code}-{split}-article-{paragraph // ARTICLE_PARAGRAPHS + 1:04d}",
                    "context": context,
                    "question": question,
                    "answers": [{"text": answer, "answer_start": offset}],
                }
            )
        paragraph += 1
    return records
