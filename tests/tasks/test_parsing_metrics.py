"""Attachment scores and tree decoding, on small trees checked by hand."""

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from conftest import is_tree
from xlt.tasks.metrics import attachment_scores
from xlt.tasks.trees import _arborescence, mst_heads, tree_score

# "The cat sat on the mat ." (1-based heads, 0 = root)
GOLD_HEADS = [[2, 3, 0, 6, 6, 3, 3]]
GOLD_RELS = [["det", "nsubj", "root", "case", "det", "obl", "punct"]]
UPOS = [["DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "PUNCT"]]


def test_attachment_scores_by_hand():
    # word 4 ("on") attached to 3 instead of 6; word 6's relation obj instead of obl;
    # word 1's relation det:poss counts as det (universal part)
    pred_heads = [[2, 3, 0, 3, 6, 3, 3]]
    pred_rels = [["det:poss", "nsubj", "root", "case", "det", "obj", "punct"]]
    result = attachment_scores(GOLD_HEADS, GOLD_RELS, pred_heads, pred_rels, UPOS)
    assert result == {"uas": 6 / 7, "las": 5 / 7, "words": 7}
    # without punctuation: 6 words, 5 attached, 4 labelled
    no_punct = attachment_scores(
        GOLD_HEADS, GOLD_RELS, pred_heads, pred_rels, UPOS, exclude_upos=["PUNCT", "SYM"]
    )
    assert no_punct == {"uas": 5 / 6, "las": 4 / 6, "words": 6}


def test_attachment_scores_wrong_punct_head_counts_only_with_punct():
    pred_heads = [[2, 3, 0, 6, 6, 3, 6]]  # the full stop attached to "mat"
    scored = attachment_scores(GOLD_HEADS, GOLD_RELS, pred_heads, GOLD_RELS, UPOS)
    assert scored["uas"] == pytest.approx(6 / 7)
    skipped = attachment_scores(GOLD_HEADS, GOLD_RELS, pred_heads, GOLD_RELS, UPOS, ["PUNCT"])
    assert skipped["uas"] == 1.0 and skipped["las"] == 1.0


def test_attachment_scores_non_projective_tree():
    # "A hearing is scheduled on the issue today": "issue" (7) modifies "hearing" (2),
    # and the arc 2 -> 7 crosses scheduled (4) -> today (8): a non-projective tree.
    gold = [[2, 4, 4, 0, 7, 7, 2, 4]]
    rels = [["det", "nsubj", "aux", "root", "case", "det", "nmod", "obl"]]
    pred = [[2, 4, 4, 0, 7, 7, 4, 4]]  # the crossing arc 2 -> 7 predicted as 4 -> 7
    pred_rels = [["det", "nsubj", "aux", "root", "case", "det", "obl", "obl"]]
    result = attachment_scores(gold, rels, pred, pred_rels)
    assert result == {"uas": 7 / 8, "las": 7 / 8, "words": 8}


def test_attachment_scores_errors():
    with pytest.raises(ValueError, match="sentence 0: gold has 7 tags but pred has 6"):
        attachment_scores(GOLD_HEADS, GOLD_RELS, [[2, 3, 0, 6, 6, 3]], GOLD_RELS, UPOS)
    with pytest.raises(ValueError, match="no words to score"):
        attachment_scores([[0]], [["root"]], [[0]], [["root"]], [["PUNCT"]], ["PUNCT"])
    with pytest.raises(ValueError, match="needs the gold UPOS"):
        attachment_scores(GOLD_HEADS, GOLD_RELS, GOLD_HEADS, GOLD_RELS, None, ["PUNCT"])


def _scores(n, rng):
    return rng.normal(size=(n + 1, n + 1))


def _exhaustive(scores, single_root):
    n = scores.shape[0] - 1
    best, best_score = None, -np.inf
    for heads in itertools.product(range(n + 1), repeat=n):
        if any(h == d for d, h in enumerate(heads, 1)) or not is_tree(heads):
            continue
        if single_root and sum(h == 0 for h in heads) != 1:
            continue
        total = sum(scores[h, d] for d, h in enumerate(heads, 1))
        if total > best_score:
            best, best_score = list(heads), total
    return best


def test_mst_decodes_a_hand_made_non_projective_tree():
    # arcs favoured: 0->2, 2->1, 2->4, 4->3... and 1->3 stronger than 4->3 makes
    # the tree non-projective (1 -> 3 crosses 2 -> 4)
    scores = np.full((5, 5), -5.0)
    for h, d, s in [(0, 2, 10), (2, 1, 8), (2, 4, 8), (1, 3, 9), (4, 3, 2), (0, 4, 1)]:
        scores[h, d] = s
    assert mst_heads(scores) == [2, 0, 1, 2]


def test_mst_breaks_a_cycle():
    # 1 and 2 prefer each other; the root prefers 1 slightly
    scores = np.full((3, 3), -10.0)
    scores[1, 2] = scores[2, 1] = 5.0
    scores[0, 1], scores[0, 2] = 1.0, 0.5
    assert mst_heads(scores) == [0, 1]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_mst_matches_exhaustive_search(n):
    rng = np.random.default_rng(n)
    for _ in range(30):
        scores = _scores(n, rng)
        for single_root in (True, False):
            found = mst_heads(scores, single_root=single_root)
            expected = _exhaustive(scores, single_root)
            assert tree_score(scores, [-1, *found]) == pytest.approx(
                tree_score(scores, [-1, *expected])
            )
            assert is_tree(found)
            if single_root:
                assert found.count(0) == 1


def test_unconstrained_arborescence_matches_networkx():
    rng = random.Random(0)
    for n in (6, 10, 20):
        for _ in range(10):
            scores = np.array([[rng.gauss(0, 1) for _ in range(n + 1)] for _ in range(n + 1)])
            graph = nx.DiGraph()
            for h in range(n + 1):
                for d in range(1, n + 1):
                    if h != d:
                        graph.add_edge(h, d, weight=scores[h, d])
            tree = nx.maximum_spanning_arborescence(graph)
            expected = sum(scores[h, d] for h, d in tree.edges)
            found = mst_heads(scores, single_root=False)
            assert tree_score(scores, [-1, *found]) == pytest.approx(expected)


def test_single_root_tree_on_longer_sentences():
    rng = np.random.default_rng(1)
    for n in (15, 40):
        scores = rng.normal(size=(n + 1, n + 1))
        scores[0, 1:] += 3  # every word would like to attach to the root
        heads = mst_heads(scores)
        assert heads.count(0) == 1 and is_tree(heads)
        free = _arborescence(np.where(np.eye(n + 1, dtype=bool), -1e30, scores))
        assert list(free[1:]).count(0) > 1  # the constraint did something


def test_mst_rejects_bad_shapes():
    with pytest.raises(ValueError, match="n >= 1"):
        mst_heads(np.zeros((1, 1)))


def _every_root_child(scores):
    """The single-root tree by trying every word as the root's only child, the
    first best in word order: what mst_heads's bounded search must return."""
    s = np.array(scores, dtype=np.float64)
    s[:, 0] = -1e30
    np.fill_diagonal(s, -1e30)
    best, best_score = None, -np.inf
    for child in range(1, s.shape[0]):
        only = s.copy()
        only[0, :] = -1e30
        only[0, child] = s[0, child]
        candidate = _arborescence(only)
        total = tree_score(s, candidate)
        if total > best_score:
            best, best_score = candidate, total
    return [int(h) for h in best[1:]]


@pytest.mark.parametrize("n", [3, 8, 25])
def test_bounded_root_search_returns_the_tree_of_trying_every_root_child(n):
    rng = np.random.default_rng(n)
    checked = 0
    for trial in range(60):
        if trial % 2:  # small integers: many ties between candidate trees
            scores = rng.integers(-3, 3, size=(n + 1, n + 1)).astype(float)
        else:
            scores = rng.normal(size=(n + 1, n + 1))
        scores[0, 1:] += 2  # several root children unconstrained
        free = _arborescence(np.where(np.eye(n + 1, dtype=bool), -1e30, scores))
        if list(free[1:]).count(0) < 2:
            continue
        checked += 1
        assert mst_heads(scores) == _every_root_child(scores)
    assert checked >= 20


def test_bounded_root_search_skips_hopeless_root_children(monkeypatch):
    from xlt.tasks import trees

    n = 30
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(n + 1, n + 1))
    scores[0, 1:] = 2.0  # every word would like to attach to the root
    scores[0, 7] = 6.0  # one clearly better root child
    tried = []  # tree_score runs once per candidate root child
    original = trees.tree_score
    monkeypatch.setattr(trees, "tree_score", lambda s, h: tried.append(1) or original(s, h))
    heads = trees.mst_heads(scores)
    assert heads[6] == 0
    assert 1 <= len(tried) < n // 2  # not one tree per word
    monkeypatch.undo()
    assert heads == _every_root_child(scores)
