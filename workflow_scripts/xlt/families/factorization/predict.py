"""Scoring a method of the factorization family on the held-out pairs of its
partition: PF's posterior mean or Bayesian model average (with its BMA
entropy), the pooled classifier of LS and JM, NS's nearest seen language, or
BEA's ensemble of every seen language's classifier."""

from __future__ import annotations

from pathlib import Path

import torch

from xlt import tasks
from xlt.families.factorization.heads import LinearHead, classifier_head, load_head
from xlt.families.factorization.heldout import (
    HeldoutVectors,
    bea_labels,
    bma_entropy,
    nearest_language,
    pair_result,
)
from xlt.families.factorization.methods import GENERATORS, POOLED
from xlt.families.factorization.model import load_model

Pair = tuple[str, str]


class Classifiers:
    """(linear head, encoder directory or None) of a method's classifiers: with a
    frozen encoder the heads sit in one file and share the cached vectors; a
    fine-tuned classifier is a directory with its own encoder.

    ``model`` is the method's model (LS, JM) or the file of per-language heads
    (NS, BEA, frozen); ``language_model`` the path pattern ({seed}, {task},
    {lang}) of the per-language fine-tuned models.
    """

    def __init__(self, model, fine_tuned: bool, language_model: str, seed):
        self.model, self.fine_tuned = model, fine_tuned
        self.language_model, self.seed = language_model, seed
        if not fine_tuned:
            self.heads = torch.load(model, weights_only=True)

    def pooled(self, task: str) -> tuple[LinearHead, Path | None]:
        """LS, JM: one classifier per task."""
        if self.fine_tuned:
            directory = Path(self.model) / task
            return classifier_head(directory), directory / "encoder"
        return load_head(self.heads[task]), None

    def language(self, task: str, lang: str) -> tuple[LinearHead, Path | None]:
        """NS, BEA: the classifier of one seen language."""
        if self.fine_tuned:
            directory = Path(self.language_model.format(seed=self.seed, task=task, lang=lang))
            return classifier_head(directory), directory / "encoder"
        return load_head(self.heads[f"{task}/{lang}"]), None


def score_heldout(
    method: str,
    seen: list[Pair],
    heldout: list[Pair],
    seed: int,
    *,
    model,
    vectors: HeldoutVectors,
    fine_tuned: bool,
    language_model: str,
    table,
    similarity_features,
    prediction: dict,
    entropy: dict,
) -> list[dict]:
    """The score of every held-out pair (and what the method chose for it)."""
    if method in GENERATORS:
        path = Path(model)
        generator = load_model(path / "factorization.pt" if fine_tuned else path)
        generator_encoder = path / "encoder" if fine_tuned else None
    else:
        classifiers = Classifiers(model, fine_tuned, language_model, seed)
    results = []
    for task, lang in heldout:
        num_labels = len(tasks.labels(task))
        extra = {}
        if method in GENERATORS:
            test = vectors.get(task, lang, generator_encoder)
            mode, samples = prediction["mode"], prediction["bma_samples"]
            torch.manual_seed(seed)
            proba = generator.predict_proba(test.vectors, task, lang, num_labels, mode, samples)
            predicted = proba.argmax(-1)
            extra = {"prediction": mode}
            extra.update(
                bma_entropy(
                    generator, task, lang, test, entropy["sentences"], entropy["samples"], seed
                )
            )
        elif method in POOLED:
            head, encoder_dir = classifiers.pooled(task)
            test = vectors.get(task, lang, encoder_dir)
            predicted = head.predict_proba(test.vectors).argmax(-1)
        else:
            candidates = sorted(lang_ for t, lang_ in seen if t == task)
            if method == "ns":
                nearest, similarity = nearest_language(lang, candidates, table, similarity_features)
                head, encoder_dir = classifiers.language(task, nearest)
                test = vectors.get(task, lang, encoder_dir)
                predicted = head.predict_proba(test.vectors).argmax(-1)
                extra = {"nearest": nearest, "similarity": similarity}
            else:
                votes = []
                for candidate in candidates:
                    head, encoder_dir = classifiers.language(task, candidate)
                    test = vectors.get(task, lang, encoder_dir)
                    votes.append(head.predict_proba(test.vectors).argmax(-1))
                predicted, fit = bea_labels(votes, num_labels)
                extra = {
                    "sources": candidates,
                    "iterations": fit.n_iter,
                    "converged": fit.converged,
                }
        results.append({**pair_result(task, lang, test, predicted), **extra})
    return results
