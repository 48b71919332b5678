"""Single-root tree decoding: the bounded search of ``xlt.tasks.trees.mst_heads``
against trying every word as the root's only child, on the same score matrices.

    .venv/bin/python bench/tree_decoding.py [--sentences 400] [--pairs 5]

The matrices are a parser's: per dependent, log-softmax over the heads of
logits that favour a planted tree, with noise, and the root arcs raised so
that the unconstrained tree has several root children in most sentences (as a
parser far from its training languages, or a point of the interpolation plane,
predicts them). Sentence lengths follow the synthetic benchmark's (5 to 25
words). Printed: seconds of each side per interleaved pair, the ratio, and
whether both sides decoded every sentence to the same tree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "workflow_scripts"))

from pairs import PAIRS, interleaved, ratio_summary  # noqa: E402

from xlt.tasks import trees  # noqa: E402


def score_matrices(sentences: int, seed: int = 0) -> list[np.ndarray]:
    """(n+1) x (n+1) arc scores ``[head, dependent]`` of ``sentences`` sentences."""
    rng = np.random.default_rng(seed)
    matrices = []
    for _ in range(sentences):
        n = int(rng.integers(5, 26))
        heads = [0] + [int(rng.integers(0, d)) for d in range(1, n + 1)]  # a planted tree
        logits = rng.normal(scale=1.5, size=(n + 1, n + 1))
        for d in range(1, n + 1):
            logits[heads[d], d] += 2.0
        logits[0, 1:] += 1.5  # several words pulled to the root
        logits[:, 0] = -np.inf
        np.fill_diagonal(logits, -np.inf)
        columns = logits[:, 1:]
        log_probs = columns - np.logaddexp.reduce(columns, axis=0, keepdims=True)
        square = np.full((n + 1, n + 1), trees.BLOCKED)
        square[:, 1:] = np.where(np.isfinite(log_probs), log_probs, trees.BLOCKED)
        matrices.append(square)
    return matrices


def every_root_child(scores: np.ndarray) -> list[int]:
    """The single-root tree by one arborescence per candidate root child."""
    s = np.array(scores, dtype=np.float64)
    s[:, 0] = trees.BLOCKED
    np.fill_diagonal(s, trees.BLOCKED)
    heads = trees._arborescence(s)
    if np.count_nonzero(heads[1:] == 0) > 1:
        best, best_score = None, -np.inf
        for child in range(1, s.shape[0]):
            only = s.copy()
            only[0, :] = trees.BLOCKED
            only[0, child] = s[0, child]
            candidate = trees._arborescence(only)
            total = trees.tree_score(s, candidate)
            if total > best_score:
                best, best_score = candidate, total
        heads = best
    return [int(h) for h in heads[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=PAIRS)
    args = parser.parse_args()
    matrices = score_matrices(args.sentences)
    several = sum(np.count_nonzero(trees._arborescence(m.copy())[1:] == 0) > 1 for m in matrices)
    decoded = {}

    def timed(name, decode):
        def run():
            started = time.perf_counter()
            decoded[name] = [decode(m) for m in matrices]
            return time.perf_counter() - started

        return run

    measured = interleaved(
        timed("every", every_root_child), timed("bounded", trees.mst_heads), args.pairs
    )
    print(f"{len(matrices)} sentences, {several} with several root children unconstrained")
    for i, (a, b) in enumerate(measured, start=1):
        print(f"pair {i}: every root child {a:.2f} s, bounded {b:.2f} s, ratio {a / b:.2f}")
    print("bounded search is faster by", ratio_summary([a / b for a, b in measured]))
    same = decoded["every"] == decoded["bounded"]
    print("same trees:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
