"""Score one factorization-family model on every held-out pair of its partition."""

from pathlib import Path

import torch

from xlt import tasks
from xlt.classifiers import load_head
from xlt.factorization import FactorizationModel
from xlt.fileio import read_json, write_json
from xlt.heldout import (
    HeldoutVectors,
    bea_labels,
    bma_entropy,
    classifier_head,
    nearest_language,
    pair_result,
    read_partition,
)
from xlt.language_table import read_language_table
from xlt.model import resolve_device
from xlt.scripting import run


def load_factorization(path) -> FactorizationModel:
    saved = torch.load(path, map_location="cpu", weights_only=True)
    config = saved["config"]
    model = FactorizationModel(
        config["tasks"],
        config["languages"],
        feature_dim=config["feature_dim"],
        num_classes=config["num_classes"],
        latent_dim=config["latent_dim"],
        rank=config["rank"],
        hidden_sizes=config["hidden_sizes"],
    )
    model.load_state_dict(saved["state"])
    return model.eval()


class Classifiers:
    """(linear head, encoder directory or None) of a method's classifiers: with a
    frozen encoder the heads sit in one file and share the cached vectors; a
    fine-tuned classifier is a directory with its own encoder."""

    def __init__(self, job):
        self.fine_tuned = job.params.encoder == "fine_tuned"
        self.model, self.seed = job.input.model, job.wildcards.seed
        self.pattern = job.params.language_model
        if not self.fine_tuned:
            self.heads = torch.load(self.model, weights_only=True)

    def pooled(self, task):  # LS, JM: one classifier per task
        if self.fine_tuned:
            directory = Path(self.model) / task
            return classifier_head(directory), directory / "encoder"
        return load_head(self.heads[task]), None

    def language(self, task, lang):  # NS, BEA: the classifier of one seen language
        if self.fine_tuned:
            directory = Path(self.pattern.format(seed=self.seed, task=task, lang=lang))
            return classifier_head(directory), directory / "encoder"
        return load_head(self.heads[f"{task}/{lang}"]), None


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    seen, heldout = read_partition(read_json(job.input.partitions), int(w.partition))
    method = w.method
    fine_tuned = p.encoder == "fine_tuned"
    vectors = HeldoutVectors(
        p.features, p.corpus, p.max_length, resolve_device(p.device) if fine_tuned else "cpu"
    )
    if method in ("pf_d", "pf_lr"):
        path = Path(job.input.model)
        model = load_factorization(path / "factorization.pt" if fine_tuned else path)
        pf_encoder = path / "encoder" if fine_tuned else None
    else:
        classifiers = Classifiers(job)
    if method == "ns":
        table = read_language_table(job.input.languages)
    results = []
    for task, lang in heldout:
        num_labels = len(tasks.labels(task))
        extra = {}
        if method in ("pf_d", "pf_lr"):
            test = vectors.get(task, lang, pf_encoder)
            mode, samples = p.prediction["mode"], p.prediction["bma_samples"]
            torch.manual_seed(seed)
            proba = model.predict_proba(test.vectors, task, lang, num_labels, mode, samples)
            predicted = proba.argmax(-1)
            extra = {"prediction": mode}
            extra.update(
                bma_entropy(
                    model, task, lang, test, p.entropy["sentences"], p.entropy["samples"], seed
                )
            )
        elif method in ("ls", "jm"):
            head, encoder_dir = classifiers.pooled(task)
            test = vectors.get(task, lang, encoder_dir)
            predicted = head.predict_proba(test.vectors).argmax(-1)
        else:
            candidates = sorted(lang_ for t, lang_ in seen if t == task)
            if method == "ns":
                nearest, similarity = nearest_language(
                    lang, candidates, table, p.similarity_features
                )
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
    write_json(
        job.output.scores,
        {
            "method": method,
            "subset": w.subset,
            "partition": int(w.partition),
            "seed": seed,
            "encoder": p.encoder,
            "pairs": results,
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
