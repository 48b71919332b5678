"""PF-d / PF-lr: the factorization model trained by SVI on one partition's seen pairs."""

import torch

from xlt import tasks
from xlt.classifiers import train_factorization
from xlt.factorization import FactorizationModel
from xlt.features import load_features
from xlt.fileio import atomic_path, read_json, write_json
from xlt.heldout import read_partition
from xlt.provenance import versions
from xlt.scripting import run
from xlt.training import file_digest, fingerprint


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    partitions = read_json(job.input.partitions)
    seen, heldout = read_partition(partitions, int(w.partition))
    data, digests = {}, {}
    for task, lang in seen:
        path = p.features.format(task=task, lang=lang)
        splits, info = load_features(path)
        data[task, lang] = (splits["train"], splits["dev"])
        digests[f"{task}/{lang}"] = file_digest(path)
    settings = dict(p.settings)
    rank = settings["rank"] if w.method == "pf_lr" else 0
    torch.manual_seed(seed)
    model = FactorizationModel(
        partitions["tasks"],
        partitions["languages"],
        feature_dim=info["dim"],
        num_classes=max(len(tasks.labels(t)) for t in partitions["tasks"]),
        latent_dim=settings["latent_dim"],
        rank=rank,
        hidden_sizes=settings["hidden_sizes"],
    )
    identity = fingerprint(
        {"settings": settings, "method": w.method, "seen": seen, "data": digests}
    )
    summary = train_factorization(model, data, settings, seed, p.checkpoints, identity)
    with atomic_path(job.output.model) as tmp:
        torch.save({"config": model.config(), "state": model.state_dict()}, tmp)
    # The language posteriors alone, for Figure 4 (PCA of posterior samples).
    languages = model.languages
    write_json(
        job.output.posterior,
        {
            "languages": model.language_names,
            "mean": languages.mean.detach().tolist(),
            "diagonal": languages.diagonal().detach().tolist(),
            "factor": languages.factor.detach().tolist() if rank else None,
        },
    )
    write_json(
        job.output.summary,
        {
            "method": w.method,
            "subset": w.subset,
            "partition": int(w.partition),
            "seed": seed,
            "seen": [list(pair) for pair in seen],
            "heldout": [list(pair) for pair in heldout],
            "training": summary,
            "settings": settings,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
