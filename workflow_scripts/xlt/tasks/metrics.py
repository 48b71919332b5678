"""Token accuracy and entity-level span F1 over IOB tag sequences.

Span F1 is computed here from spans rather than delegated to seqeval, so that
the handling of malformed predictions is explicit: every sequence is first
repaired to valid IOB2 (an ``I-X`` that does not continue an ``X`` entity opens
a new one), which is also how CoNLL-2003's IOB1 files are meant to be read.
The tests check the result against seqeval's strict IOB2 mode.

Extractive QA answers are scored as SQuAD v1.1 scores them (``squad_scores``).
"""

from __future__ import annotations

import re
import string
from collections import Counter

_TAG = re.compile(r"([BI])-(\S+)")


def _check_aligned(gold: list[list[str]], pred: list[list[str]]) -> int:
    """Raise ValueError unless gold and pred align; return the number of tokens."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} sentences but pred has {len(pred)}")
    n_tokens = 0
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: gold has {len(g)} tags but pred has {len(p)}")
        n_tokens += len(g)
    if n_tokens == 0:
        raise ValueError("no tokens to score")
    return n_tokens


def accuracy(gold: list[list[str]], pred: list[list[str]]) -> float:
    """Fraction of tokens whose predicted tag equals the gold tag."""
    n_tokens = _check_aligned(gold, pred)
    correct = sum(
        g == p for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True)
    )
    return correct / n_tokens


def one_class(gold: list[list[str]], pred: list[list[str]]) -> bool:
    """Whether the predictions use a single label for everything although the
    gold labels use several: a model that learned nothing (a failed run, whose
    score is no result: NER's F1 of exactly 0 from "O" everywhere)."""
    predicted = {p for ps in pred for p in ps}
    return len(predicted) == 1 and len({g for gs in gold for g in gs}) > 1


def _split_tag(tag: str) -> tuple[str, str] | None:
    """(prefix, type) of an entity tag, None for ``O``; ValueError otherwise."""
    if tag == "O":
        return None
    m = _TAG.fullmatch(tag)
    if m is None:
        raise ValueError(f"tag {tag!r} is not O, B-<type> or I-<type>")
    return m.group(1), m.group(2)


def repair_bio(tags: list[str]) -> list[str]:
    """Turn an IOB1 or broken sequence into valid IOB2.

    An ``I-X`` after ``O``, at the start, or after an entity of another type
    becomes ``B-X``; every other tag is kept.
    """
    repaired = []
    current_type = None  # type of the entity the previous tag belongs to
    for tag in tags:
        parts = _split_tag(tag)
        if parts is None:
            current_type = None
            repaired.append(tag)
            continue
        prefix, etype = parts
        if prefix == "I" and etype != current_type:
            tag = f"B-{etype}"
        current_type = etype
        repaired.append(tag)
    return repaired


def entity_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """Entities as (type, start, end) with ``end`` exclusive, read after repair."""
    spans: list[tuple[str, int, int]] = []
    for i, tag in enumerate(repair_bio(tags)):
        if tag == "O":
            continue
        prefix, etype = tag.split("-", 1)
        if prefix == "B":
            spans.append((etype, i, i + 1))
        else:  # after repair, an I- tag always continues the last span
            spans[-1] = (etype, spans[-1][1], i + 1)
    return spans


def span_f1(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Entity-level exact-match precision, recall and F1 (micro-averaged over types).

    A predicted entity counts only if its type and both boundaries match a
    gold entity; ``O`` tokens are never counted. Precision (recall) is 0.0 when
    there are no predicted (gold) entities, and then F1 is 0.0 as well, as with
    seqeval's ``zero_division=0``.
    """
    _check_aligned(gold, pred)
    gold_spans = {(i, *s) for i, tags in enumerate(gold) for s in entity_spans(tags)}
    pred_spans = {(i, *s) for i, tags in enumerate(pred) for s in entity_spans(tags)}
    n_gold, n_pred = len(gold_spans), len(pred_spans)
    n_correct = len(gold_spans & pred_spans)
    precision = n_correct / n_pred if n_pred else 0.0
    recall = n_correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_correct": n_correct,
    }


def sentence_counts(metric: str, gold: list[list[str]], pred: list[list[str]]) -> list[tuple]:
    """Per sentence, what the corpus score sums: (hits, predicted, gold) with
    accuracy's hits = correct words and predicted = gold = words, span F1's hits =
    exactly matched entities and the two entity counts. ``score_from_counts`` of
    all sentences is the corpus score; of a resample of them, the score of that
    resample (the findings stage's bootstrap over test sentences)."""
    _check_aligned(gold, pred)
    if metric == "accuracy":
        return [
            (sum(a == b for a, b in zip(g, p, strict=True)), len(g), len(g))
            for g, p in zip(gold, pred, strict=True)
        ]
    if metric == "span_f1":
        counts = []
        for g, p in zip(gold, pred, strict=True):
            gold_spans, pred_spans = set(entity_spans(g)), set(entity_spans(p))
            counts.append((len(gold_spans & pred_spans), len(pred_spans), len(gold_spans)))
        return counts
    raise ValueError(f"no per-sentence counts for metric '{metric}'")


def score_from_counts(hits, predicted, gold) -> float:
    """0-100 score of summed per-sentence counts: 2 hits / (predicted + gold), i.e.
    accuracy when predicted = gold = words, micro span F1 otherwise (0 when both
    sums are 0). Arrays and Series are summed by their own ``sum`` (a bootstrap
    calls this thousands of times; Python's ``sum`` over an array is 40 times
    slower, and on integer counts both give the same total)."""
    total = _summed(predicted) + _summed(gold)
    return 100 * 2 * _summed(hits) / total if total else 0.0


def _summed(counts) -> float:
    """The sum of ``counts``: a list, an array or a Series."""
    return float(counts.sum()) if hasattr(counts, "sum") else float(sum(counts))


def universal_relation(deprel: str) -> str:
    """The universal part of a UD relation (``nmod:poss`` -> ``nmod``)."""
    return deprel.split(":", 1)[0]


def attachment_scores(
    gold_heads: list[list[int]],
    gold_relations: list[list[str]],
    pred_heads: list[list[int]],
    pred_relations: list[list[str]],
    upos: list[list[str]] | None = None,
    exclude_upos=(),
) -> dict:
    """Unlabelled and labelled attachment scores (fractions) over words.

    A word counts for UAS when its predicted head is its gold head, for LAS
    when its relation matches too; relations are compared by their universal
    part, as in the CoNLL 2018 shared task's scorer (which counts every word).
    Words whose gold UPOS is in ``exclude_upos`` (say PUNCT and SYM) are not
    scored. Returns ``uas``, ``las`` and ``words`` (the number scored).
    """
    _check_aligned(gold_heads, pred_heads)
    _check_aligned(gold_relations, pred_relations)
    _check_aligned(gold_heads, gold_relations)
    excluded = set(exclude_upos)
    if excluded and upos is None:
        raise ValueError("exclude_upos needs the gold UPOS of every word")
    if upos is not None:
        _check_aligned(gold_heads, upos)
    n = attached = labelled = 0
    for s, heads in enumerate(gold_heads):
        for w, head in enumerate(heads):
            if upos is not None and upos[s][w] in excluded:
                continue
            n += 1
            if pred_heads[s][w] == head:
                attached += 1
                gold_rel = universal_relation(gold_relations[s][w])
                labelled += gold_rel == universal_relation(pred_relations[s][w])
    if n == 0:
        raise ValueError(f"no words to score (every word's UPOS is in {sorted(excluded)})")
    return {"uas": attached / n, "las": labelled / n, "words": n}


# --- SQuAD v1.1 answer scoring (see squad_scores) ----------------------------

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """SQuAD v1.1 normalisation, in its order: lower case, drop every ASCII
    punctuation character (``string.punctuation``), drop the articles
    a/an/the as whole words, collapse whitespace to single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _golds(gold_answers) -> list[str]:
    golds = list(gold_answers)
    if not golds:
        raise ValueError("no gold answers to compare with")
    return golds


def exact_match(prediction: str, gold_answers) -> float:
    """1.0 if the normalised prediction equals some normalised gold answer, else 0.0."""
    predicted = normalize_answer(prediction)
    return float(any(predicted == normalize_answer(g) for g in _golds(gold_answers)))


def _token_f1(predicted: list[str], gold: list[str]) -> float:
    overlap = sum((Counter(predicted) & Counter(gold)).values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(predicted)
    recall = overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def answer_f1(prediction: str, gold_answers) -> float:
    """Best token F1 of the prediction against the gold answers.

    Tokens are the whitespace-separated tokens of the normalised texts, counted
    as bags (a token shared twice counts twice); no overlap, an empty
    prediction included, scores 0.0.
    """
    predicted = normalize_answer(prediction).split()
    return max(_token_f1(predicted, normalize_answer(g).split()) for g in _golds(gold_answers))


def squad_scores(predictions: list[str], golds: list[list[str]]) -> dict:
    """Exact match and F1 as percentages (0-100), means over the questions.

    ``golds[i]`` holds the gold answer texts of question ``i``. Returns
    ``exact_match``, ``f1`` and ``questions`` (the number scored).

    The scores of the SQuAD v1.1 evaluation (Rajpurkar et al. 2016, "SQuAD:
    100,000+ Questions for Machine Comprehension of Text"): prediction and
    gold answers are normalised (``normalize_answer``), each prediction is
    scored against every gold answer and the best score counts
    (``exact_match``, ``answer_f1``). XQuAD (Artetxe et al. 2020) and XTREME
    score every language with this English evaluation unchanged: tokens are
    whitespace-separated, so for Chinese or Thai text without spaces an answer
    is often a single token and F1 degenerates towards exact match; and the
    English articles are removed in every language (Spanish "a" too). That is
    the published protocol, kept so that scores compare with published ones.
    """
    if len(predictions) != len(golds):
        raise ValueError(f"{len(predictions)} predictions but {len(golds)} questions")
    if not golds:
        raise ValueError("no questions to score")
    em = f1 = 0.0
    for i, (prediction, gold_answers) in enumerate(zip(predictions, golds, strict=True)):
        if not gold_answers:
            raise ValueError(f"question {i}: no gold answers")
        em += exact_match(prediction, gold_answers)
        f1 += answer_f1(prediction, gold_answers)
    n = len(golds)
    return {"exact_match": 100 * em / n, "f1": 100 * f1 / n, "questions": n}
