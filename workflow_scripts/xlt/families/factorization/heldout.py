"""Held-out pairs and the baselines' choices for them: LS's data cut, NS's nearest
language, BEA's ensemble labels, a held-out pair's test vectors, its result and the
entropy of a generator's averaged predictions (the partitions themselves are in
``partitions``, the scoring jobs in ``predict``).
"""

from __future__ import annotations

import numpy as np
import torch

from xlt import tasks
from xlt.encoders.features import (
    FeatureSplit,
    WordEncoder,
    load_features,
    read_text_split,
    split_result,
)
from xlt.encoders.loading import load_encoder
from xlt.families.factorization.bea import bayesian_ensemble
from xlt.families.factorization.model import FactorizationModel, entropy
from xlt.languages.table import cosine_similarity, feature_vector

Pair = tuple[str, str]


def sample_sentences(total: int, sentences: int, seed: int) -> list[int]:
    """Sorted indices of a seeded random subset of ``sentences`` of ``total``
    sentences (all of them if fewer)."""
    if sentences >= total:
        return list(range(total))
    chosen = np.random.default_rng(seed).choice(total, size=sentences, replace=False)
    return sorted(chosen.tolist())


def cut_to_sentences(split, sentences: int, seed: int):
    """A FeatureSplit or TextSplit cut to ``sample_sentences``."""
    if sentences >= split.sentences:
        return split
    return split.select(sample_sentences(split.sentences, sentences, seed))


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


def bea_labels(votes: list[torch.Tensor], num_labels: int):
    """BEA: every source classifier's labels of every word [words] are one
    annotator's; the Dawid-Skene posterior decides."""
    result = bayesian_ensemble(np.stack([v.numpy() for v in votes], axis=1), num_labels)
    return torch.from_numpy(result.predictions), result


class HeldoutVectors:
    """Word vectors of a pair's test split: from the frozen encoder's cache
    (``features`` path pattern) or, given a fine-tuned model's encoder
    directory, encoded by that encoder from the corpus (``corpus`` pattern).

    NS and BEA ask for one pair's vectors several times in a row (BEA once per
    source), so the last answer, the last encoder and every test text are kept;
    cached test vectors are read once for every model that is scored.
    """

    def __init__(self, features: str, corpus: str, max_length: int, device):
        self.features, self.corpus = features, corpus
        self.max_length, self.device = max_length, device
        self._encoder = (None, None)  # (directory, WordEncoder)
        self._last = (None, None)  # ((task, lang, directory), FeatureSplit)
        self._texts = {}  # (task, lang) -> TextSplit
        self._cached = {}  # (task, lang) -> FeatureSplit of the frozen encoder

    def get(self, task: str, lang: str, encoder_dir=None) -> FeatureSplit:
        """Vectors of (task, lang)'s test split: from the cache, or encoded by the
        fine-tuned encoder in ``encoder_dir`` when one is given."""
        key = (task, lang, None if encoder_dir is None else str(encoder_dir))
        if self._last[0] != key:
            self._last = (key, self._vectors(task, lang, encoder_dir))
        return self._last[1]

    def _vectors(self, task, lang, encoder_dir) -> FeatureSplit:
        if encoder_dir is None:
            if (task, lang) not in self._cached:
                path = self.features.format(task=task, lang=lang)
                self._cached[task, lang] = load_features(path)[0]["test"]
            return self._cached[task, lang]
        if self._encoder[0] != str(encoder_dir):
            tokenizer, encoder = load_encoder(encoder_dir)
            word_encoder = WordEncoder(
                encoder.to(self.device).eval(), tokenizer, self.max_length, self.device
            )
            self._encoder = (str(encoder_dir), word_encoder)
        if (task, lang) not in self._texts:
            path = self.corpus.format(task=task, lang=lang, split="test")
            self._texts[task, lang] = read_text_split(path, task)
        return self._encoder[1].encode(self._texts[task, lang])


def pair_result(task: str, lang: str, split: FeatureSplit, predicted: torch.Tensor) -> dict:
    """The record of one held-out pair: task, language, metric, score, whether the
    model predicted one class for everything (``degenerate``: a failed run, no
    score), sentence and word counts."""
    result = split_result(task, split, predicted)
    return {
        "task": task,
        "language": lang,
        "metric": tasks.metric_name(task),
        "score": result["score"],
        "degenerate": result["degenerate"],
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
