"""PF-d / PF-lr: the factorization model trained by SVI on one partition's seen
pairs, on the frozen encoder's cached vectors or fine-tuning the encoder jointly."""

from pathlib import Path

import torch

from xlt import tasks
from xlt.classifiers import train_factorization
from xlt.encoder import load_encoder
from xlt.factorization import FactorizationModel
from xlt.features import WordEncoder, load_features, read_text_split
from xlt.fileio import atomic_path, read_json, write_json
from xlt.heldout import read_partition
from xlt.model import resolve_device
from xlt.provenance import versions
from xlt.scripting import run
from xlt.training import file_digest, fingerprint


def cached_vectors(seen, pattern):
    """{pair: (train, dev)} of cached vectors, their feature size and digests."""
    data, digests = {}, {}
    for task, lang in seen:
        path = pattern.format(task=task, lang=lang)
        splits, info = load_features(path)
        data[task, lang] = (splits["train"], splits["dev"])
        digests[f"{task}/{lang}"] = file_digest(path)
    return data, info["dim"], digests


def text(seen, pattern):
    """{pair: (train, dev)} of sentences and label ids, and the corpora's digests."""
    data, digests = {}, {}
    for task, lang in seen:
        paths = [pattern.format(task=task, lang=lang, split=split) for split in ("train", "dev")]
        data[task, lang] = tuple(read_text_split(path, task) for path in paths)
        for split, path in zip(("train", "dev"), paths, strict=True):
            digests[f"{task}/{lang}/{split}"] = file_digest(path)
    return data, digests


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    partitions = read_json(job.input.partitions)
    seen, heldout = read_partition(partitions, int(w.partition))
    fine_tuned = p.encoder == "fine_tuned"
    device = resolve_device(p.device)
    settings = dict(p.settings)
    torch.manual_seed(seed)
    encoder = None
    if fine_tuned:
        data, digests = text(seen, p.corpus)
        tokenizer, network = load_encoder(job.input.encoder)
        encoder = WordEncoder(network.to(device), tokenizer, p.max_length, device)
        feature_dim = network.config.hidden_size
        digests["encoder"] = file_digest(Path(job.input.encoder) / "config.json")
    else:
        data, feature_dim, digests = cached_vectors(seen, p.features)
    rank = settings["rank"] if w.method == "pf_lr" else 0
    model = FactorizationModel(
        partitions["tasks"],
        partitions["languages"],
        feature_dim=feature_dim,
        num_classes=max(len(tasks.labels(t)) for t in partitions["tasks"]),
        latent_dim=settings["latent_dim"],
        rank=rank,
        hidden_sizes=settings["hidden_sizes"],
    ).to(device)
    identity = fingerprint(
        {
            "settings": settings,
            "method": w.method,
            "seen": seen,
            "data": digests,
            "encoder": p.encoder,
            "max_length": p.max_length,
        }
    )
    summary = train_factorization(model, data, settings, seed, p.checkpoints, identity, encoder)
    model = model.cpu()
    saved = {"config": model.config(), "state": model.state_dict()}
    if fine_tuned:
        with atomic_path(job.output.model, directory=True) as tmp:
            torch.save(saved, Path(tmp) / "factorization.pt")
            encoder.encoder.save_pretrained(Path(tmp) / "encoder")
            encoder.tokenizer.save_pretrained(Path(tmp) / "encoder")
    else:
        with atomic_path(job.output.model) as tmp:
            torch.save(saved, tmp)
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
            "encoder": p.encoder,
            "seen": [list(pair) for pair in seen],
            "heldout": [list(pair) for pair in heldout],
            "training": {**summary, "device": str(device)},
            "settings": settings,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
