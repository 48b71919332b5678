"""The factorization experiment's grid: partition files, the baselines'
choices (LS's data cut, NS's nearest language, BEA's ensemble) and the
prediction of every held-out pair by every method.
"""

from __future__ import annotations

import numpy as np
import torch

from . import tasks
from .bea import bayesian_ensemble
from .classifiers import LinearHead, split_score
from .factorization import FactorizationModel, entropy
from .features import FeatureSplit
from .language_table import cosine_similarity, feature_vector
from .partitions import check_partition

Pair = tuple[str, str]


def read_partition(partitions: dict, index: int) -> tuple[list[Pair], list[Pair]]:
    """(seen, held-out) pairs of partition ``index`` of a partitions file, checked."""
    for partition in partitions["partitions"]:
        if partition["index"] == index:
            available = [tuple(p) for p in partitions["available"]]
            check_partition(partition, partitions["tasks"], partitions["languages"], available)
            seen = [tuple(p) for p in partition["seen"]]
            return seen, [tuple(p) for p in partition["heldout"]]
    known = [p["index"] for p in partitions["partitions"]]
    raise ValueError(f"no partition {index} in the partitions file (has {known})")


def cut_to_sentences(split: FeatureSplit, sentences: int, seed: int) -> FeatureSplit:
    """A seeded random subset of ``sentences`` sentences (all of them if fewer)."""
    if sentences >= split.sentences:
        return split
    chosen = np.random.default_rng(seed).choice(split.sentences, size=sentences, replace=False)
    return split.select(sorted(chosen.tolist()))


def nearest_language(target: str, candidates: list[str], table, feature_sets) -> tuple[str, float]:
    """NS: the candidate whose feature vector has the highest cosine with the
    target's (ties go to the first candidate in sorted order)."""
    if not candidates:
        raise ValueError(f"no seen language to transfer from to {target}")
    goal = feature_vector(table, target, list(feature_sets))
    scored = [
        (cosine_similarity(goal, feature_vector(table, c, list(feature_sets))), c)
        for c in sorted(candidates)
    ]
    best = max(scored, key=lambda item: item[0])
    return best[1], best[0]


def bea_labels(heads: dict[str, LinearHead], vectors: torch.Tensor, num_labels: int):
    """BEA: every source head labels every word; the Dawid-Skene posterior decides."""
    votes = np.stack(
        [heads[lang].predict_proba(vectors).argmax(-1).numpy() for lang in sorted(heads)], axis=1
    )
    result = bayesian_ensemble(votes, num_labels)
    return torch.from_numpy(result.predictions), result


def pair_result(task: str, lang: str, split: FeatureSplit, predicted: torch.Tensor) -> dict:
    return {
        "task": task,
        "language": lang,
        "metric": tasks.metric_name(task),
        "score": split_score(task, split, predicted),
        "sentences": split.sentences,
        "words": len(split.labels),
    }


def bma_entropy(
    model: FactorizationModel,
    task: str,
    lang: str,
    split: FeatureSplit,
    sentences: int,
    samples: int,
    seed: int,
) -> dict:
    """Figure 3: mean entropy (nats) of the BMA predictive distribution over the
    words of ``sentences`` randomly chosen test sentences, ``samples`` draws."""
    subset = cut_to_sentences(split, sentences, seed)
    torch.manual_seed(seed)
    num_labels = len(tasks.labels(task))
    proba = model.predict_proba(subset.vectors, task, lang, num_labels, "bma", samples)
    values = entropy(proba)
    return {
        "entropy_mean": float(values.mean()),
        "entropy_sentences": subset.sentences,
        "entropy_samples": samples,
        "entropy_max": float(np.log(num_labels)),
    }
