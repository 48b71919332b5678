"""Decoding dependency trees: the maximum spanning arborescence with one root.

``mst_heads`` takes arc scores ``scores[h, d]`` (head ``h`` of dependent ``d``,
node 0 the artificial root) and returns the highest-scoring tree by the
Chu-Liu/Edmonds algorithm: every word picks its best head; a cycle is
contracted into one node, whose incoming arcs are rescored by what breaking
the cycle there costs; the smaller graph is solved recursively and the cycle
expanded again. A UD tree has exactly one word attached to the root; when the
unconstrained optimum has several, every word is a candidate only root child
and the best of those trees is kept (Zmigrod, Vieira and Cotterell 2020 show
that this is what the constraint requires); candidates whose upper bound
cannot reach the best tree found are skipped, which leaves the tree unchanged.
The tests check both against exhaustive search, networkx, and trying every
candidate.
"""

from __future__ import annotations

import numpy as np

# Disallowed arcs: a large finite number keeps the contraction's subtractions
# free of inf - inf.
BLOCKED = -1e30


def _find_cycle(heads: np.ndarray) -> list[int] | None:
    """A cycle of the graph where node d's parent is heads[d] (node 0 has none)."""
    n = len(heads)
    state = np.zeros(n, dtype=np.int8)  # 0 unseen, 1 on the current path, 2 done
    state[0] = 2
    for start in range(1, n):
        path = []
        node = start
        while state[node] == 0:
            state[node] = 1
            path.append(node)
            node = heads[node]
        if state[node] == 1:  # came back to the current path: a cycle
            return path[path.index(node) :]
        for visited in path:
            state[visited] = 2
    return None


def _arborescence(scores: np.ndarray) -> np.ndarray:
    """Heads of the maximum spanning arborescence rooted at node 0 (heads[0] = -1)."""
    n = scores.shape[0]
    heads = scores.argmax(axis=0)
    heads[0] = -1
    cycle = _find_cycle(heads)
    if cycle is None:
        return heads
    in_cycle = np.zeros(n, dtype=bool)
    in_cycle[cycle] = True
    rest = np.flatnonzero(~in_cycle)  # node 0 is never in a cycle: it is rest[0]
    cyc = np.array(cycle)
    m = len(rest) + 1  # the contracted graph: the other nodes, then the cycle as node m - 1
    contracted = np.full((m, m), BLOCKED)
    contracted[: m - 1, : m - 1] = scores[np.ix_(rest, rest)]
    # entering the cycle at v replaces v's cycle arc
    entering = scores[np.ix_(rest, cyc)] - scores[heads[cyc], cyc]
    enter_at = entering.argmax(axis=1)
    contracted[: m - 1, m - 1] = entering.max(axis=1)
    leaving = scores[np.ix_(cyc, rest)]
    leave_from = leaving.argmax(axis=0)
    contracted[m - 1, : m - 1] = leaving.max(axis=0)
    contracted[:, 0] = BLOCKED
    np.fill_diagonal(contracted, BLOCKED)
    sub = _arborescence(contracted)
    result = heads.copy()
    for i in range(1, m - 1):
        node = rest[i]
        result[node] = cyc[leave_from[i]] if sub[i] == m - 1 else rest[sub[i]]
    outside = sub[m - 1]
    result[cyc[enter_at[outside]]] = rest[outside]
    return result


def tree_score(scores: np.ndarray, heads) -> float:
    """Sum of the arc scores of a head assignment (heads[0] ignored)."""
    return float(sum(scores[heads[d], d] for d in range(1, len(heads))))


def _root_bounds(s: np.ndarray) -> np.ndarray:
    """For each word c, an upper bound on the score of any tree in which c is the
    root's only child: s[0, c] plus every other word's best non-root head, cycles
    ignored (entry 0 unused)."""
    best_word_head = s[1:, :].max(axis=0)  # node 0 as a head excluded; the diagonal is blocked
    return s[0, :] + best_word_head[1:].sum() - best_word_head


# Bound and score are sums of the same terms in other orders: a margin far above
# their rounding keeps a candidate that could tie the best from being skipped.
BOUND_MARGIN = 1e-9


def mst_heads(scores, single_root: bool = True) -> list[int]:
    """Heads (1-based words, 0 the root) of the best tree under ``scores[h, d]``
    ((n+1) x (n+1), node 0 the root); with ``single_root`` exactly one word
    attaches to the root. Returns a list of n heads, for words 1..n.

    When the unconstrained tree has several root children, every word is a
    candidate only root child, and of the best trees the one whose root child
    comes first wins. Candidates are tried in order of ``_root_bounds``, and the
    search stops once no untried candidate's bound can reach the best tree found:
    the same tree as trying them all, in a few arborescences instead of n."""
    s = np.array(scores, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] != s.shape[1] or s.shape[0] < 2:
        raise ValueError(f"scores must be (n+1) x (n+1) with n >= 1, got {s.shape}")
    s[:, 0] = BLOCKED
    np.fill_diagonal(s, BLOCKED)
    heads = _arborescence(s)
    root_children = np.flatnonzero(heads[1:] == 0) + 1
    if single_root and len(root_children) > 1:
        bounds = _root_bounds(s)
        order = sorted(range(1, s.shape[0]), key=lambda c: (-bounds[c], c))
        best, best_score, best_child = None, -np.inf, None
        for child in order:
            if bounds[child] + BOUND_MARGIN * (1 + abs(bounds[child])) < best_score:
                break
            only = s.copy()
            only[0, :] = BLOCKED
            only[0, child] = s[0, child]
            candidate = _arborescence(only)
            total = tree_score(s, candidate)
            if total > best_score or (total == best_score and child < best_child):
                best, best_score, best_child = candidate, total, child
        heads = best
    return [int(h) for h in heads[1:]]
