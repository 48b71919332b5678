"""Score one factorization-family model on every held-out pair of its partition."""

import torch

from xlt import tasks
from xlt.classifiers import load_head
from xlt.factorization import FactorizationModel
from xlt.features import load_features
from xlt.fileio import read_json, write_json
from xlt.heldout import bea_labels, bma_entropy, nearest_language, pair_result, read_partition
from xlt.language_table import read_language_table
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


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    seen, heldout = read_partition(read_json(job.input.partitions), int(w.partition))
    method = w.method
    if method in ("pf_d", "pf_lr"):
        model = load_factorization(job.input.model)
    elif method in ("ls", "jm"):
        pooled = {task: load_head(state) for task, state in torch.load(job.input.model).items()}
    else:
        sources = torch.load(job.input.model)
    if method == "ns":
        table = read_language_table(job.input.languages)
    results = []
    for task, lang in heldout:
        test = load_features(p.features.format(task=task, lang=lang))[0]["test"]
        num_labels = len(tasks.labels(task))
        extra = {}
        if method in ("pf_d", "pf_lr"):
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
            predicted = pooled[task].predict_proba(test.vectors).argmax(-1)
        else:
            candidates = sorted(lang_ for t, lang_ in seen if t == task)
            if method == "ns":
                nearest, similarity = nearest_language(
                    lang, candidates, table, p.similarity_features
                )
                head = load_head(sources[f"{task}/{nearest}"])
                predicted = head.predict_proba(test.vectors).argmax(-1)
                extra = {"nearest": nearest, "similarity": similarity}
            else:
                heads = {c: load_head(sources[f"{task}/{c}"]) for c in candidates}
                predicted, fit = bea_labels(heads, test.vectors, num_labels)
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
            "pairs": results,
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
