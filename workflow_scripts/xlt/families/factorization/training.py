"""Training the factorization family's models on one partition's seen pairs.

The generators (PF-d, PF-lr) learn by SVI on cached frozen-encoder vectors or
fine-tune the encoder jointly; the pooled baselines (LS, JM) train one
classifier per task, a linear head on cached vectors or a fine-tuned token
classifier. The per-language sources of NS and BEA train elsewhere, once per
seed (rules train_language_heads / train_language_model).
"""

from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path

import torch

from xlt import tasks
from xlt.core.fileio import atomic_path
from xlt.core.provenance import file_digest, fingerprint
from xlt.data.corpus import read_task_corpus
from xlt.encoders.features import (
    FeatureSplit,
    WordEncoder,
    concatenate,
    load_features,
    read_text_split,
)
from xlt.encoders.loading import encoder_digest, load_encoder
from xlt.families.factorization.heads import train_linear_head
from xlt.families.factorization.heldout import cut_to_sentences, sample_sentences
from xlt.families.factorization.methods import LOW_RANK
from xlt.families.factorization.model import FactorizationModel
from xlt.families.factorization.svi import train_by_svi
from xlt.task_models.training import reuse_or_train, train_from_corpora

Pair = tuple[str, str]


def seen_vectors(seen: list[Pair], pattern: str):
    """{pair: (train, dev)} of cached vectors, their feature size and digests."""
    data, digests = {}, {}
    for task, lang in seen:
        path = pattern.format(task=task, lang=lang)
        splits, info = load_features(path)
        data[task, lang] = (splits["train"], splits["dev"])
        digests[f"{task}/{lang}"] = file_digest(path)
    return data, info["dim"], digests


def seen_text(seen: list[Pair], pattern: str):
    """{pair: (train, dev)} of sentences and label ids, and the corpora's digests."""
    data, digests = {}, {}
    for task, lang in seen:
        paths = [pattern.format(task=task, lang=lang, split=split) for split in ("train", "dev")]
        data[task, lang] = tuple(read_text_split(path, task) for path in paths)
        for split, path in zip(("train", "dev"), paths, strict=True):
            digests[f"{task}/{lang}/{split}"] = file_digest(path)
    return data, digests


def train_generator(
    method: str,
    partitions: dict,
    seen: list[Pair],
    settings: dict,
    seed: int,
    *,
    features: str,
    corpus: str,
    encoder_dir,
    fine_tuned: bool,
    max_length: int,
    device,
    checkpoints,
):
    """PF-d or PF-lr (``LOW_RANK``) trained by SVI on the seen pairs.

    ``features`` and ``corpus`` are path patterns of the cached vectors
    ({task}, {lang}) and of the corpora ({task}, {lang}, {split}). Returns the
    model (on CPU), the fine-tuned WordEncoder or None, and the SVI summary.
    """
    torch.manual_seed(seed)
    encoder = None
    if fine_tuned:
        data, digests = seen_text(seen, corpus)
        tokenizer, network = load_encoder(encoder_dir)
        encoder = WordEncoder(network.to(device), tokenizer, max_length, device)
        feature_dim = network.config.hidden_size
        digests["encoder"] = encoder_digest(encoder_dir)
    else:
        data, feature_dim, digests = seen_vectors(seen, features)
    model = FactorizationModel.from_config(
        {
            "tasks": partitions["tasks"],
            "languages": partitions["languages"],
            "feature_dim": feature_dim,
            "num_classes": max(len(tasks.labels(t)) for t in partitions["tasks"]),
            "latent_dim": settings["latent_dim"],
            "rank": settings["rank"] if method == LOW_RANK else 0,
            "hidden_sizes": settings["hidden_sizes"],
        }
    ).to(device)
    identity = fingerprint(
        {
            "settings": settings,
            "method": method,
            "seen": seen,
            "data": digests,
            "encoder": "fine_tuned" if fine_tuned else "frozen",
            "max_length": max_length,
        }
    )
    summary = train_by_svi(model, data, settings, seed, checkpoints, identity, encoder)
    return model.cpu(), encoder, summary


def save_generator(model: FactorizationModel, encoder: WordEncoder | None, path) -> None:
    """The model as one file, or with its fine-tuned encoder as a directory
    (``factorization.pt`` and ``encoder/``)."""
    if encoder is None:
        with atomic_path(path) as tmp:
            torch.save(model.saved(), tmp)
        return
    with atomic_path(path, directory=True) as tmp:
        torch.save(model.saved(), Path(tmp) / "factorization.pt")
        encoder.encoder.save_pretrained(Path(tmp) / "encoder")
        encoder.tokenizer.save_pretrained(Path(tmp) / "encoder")


def language_posterior(model: FactorizationModel) -> dict:
    """The language posteriors alone, for Figure 4 (PCA of posterior samples)."""
    languages = model.languages
    return {
        "languages": model.language_names,
        "mean": languages.mean.detach().tolist(),
        "diagonal": languages.diagonal().detach().tolist(),
        "factor": languages.factor.detach().tolist() if languages.rank else None,
    }


# ---------------------------------------------------------------------------
# The pooled baselines: LS (the largest source) and JM (all seen languages).
# JM's batches sample its languages with q proportional to p^alpha
# (factorization.jm_language_alpha, ``xlt.core.sampling``); without one (the
# default) its languages are concatenated and shuffled.


def training_languages(method: str, task: str, seen: list[Pair], largest_source: str):
    """JM trains on every seen language of the task; LS on the largest source."""
    if method == "jm":
        return sorted(lang for t, lang in seen if t == task)
    return [largest_source]


def language_rows(languages: list[str], splits: list[FeatureSplit]) -> dict[str, range]:
    """{language: its rows in ``concatenate(splits)``} (one split per language)."""
    rows, start = {}, 0
    for lang, split in zip(languages, splits, strict=True):
        rows[lang] = range(start, start + len(split.labels))
        start += len(split.labels)
    return rows


def train_pooled_frozen(
    method,
    seen,
    seed,
    *,
    task_names,
    largest_source,
    cut_tasks,
    settings,
    features,
    jm_language_alpha=None,
):
    """Linear heads on cached vectors: ({task: state dict}, summary); JM's batches
    sample its languages with ``jm_language_alpha`` (``head_batches``)."""
    heads, summary = {}, {}
    for task in task_names:
        seen_langs = sorted(lang for t, lang in seen if t == task)
        seen_splits = [
            load_features(features.format(task=task, lang=lang))[0] for lang in seen_langs
        ]
        languages = training_languages(method, task, seen, largest_source)
        groups, alpha = None, None
        if method == "jm":
            train = concatenate([s["train"] for s in seen_splits])
            dev = [s["dev"] for s in seen_splits]
            groups = language_rows(seen_langs, [s["train"] for s in seen_splits])
            alpha = jm_language_alpha
        else:
            source = load_features(features.format(task=task, lang=largest_source))[0]
            train, dev = source["train"], [source["dev"]]
            if task in cut_tasks:
                # As in the paper: LS sees no more sentences than all seen pairs together.
                train = cut_to_sentences(
                    train, sum(s["train"].sentences for s in seen_splits), seed
                )
        head, summary[task] = train_linear_head(task, train, dev, settings, seed, groups, alpha)
        summary[task].update(languages=languages, train_sentences=train.sentences)
        heads[task] = head.state_dict()
    return heads, summary


def _ls_cut(corpus: str, task: str, seen, seed: int):
    """LS's cut of its largest source's training sentences to as many as the seen
    pairs of ``task`` have together (``factorization.cut_largest_source``)."""
    seen_sentences = sum(
        len(read_task_corpus(corpus.format(task=task, lang=lang, split="train")))
        for t, lang in seen
        if t == task
    )

    def keep(train, n=seen_sentences):
        return [train[i] for i in sample_sentences(len(train), n, seed)]

    return keep


def _method_settings(method: str, training: dict, jm_frozen_layers, jm_language_alpha) -> dict:
    """The training settings of a pooled method: JM freezes its lower layers and
    samples languages by its own alpha, never the training block's; without one,
    no key at all (the run's identity stays that of a run before language sampling)."""
    settings = dict(training)
    if method == "jm":
        settings["frozen_layers"] = jm_frozen_layers
        settings.pop("language_alpha", None)
        if jm_language_alpha is not None:
            settings["language_alpha"] = jm_language_alpha
    return settings


def train_pooled_fine_tuned(
    method,
    seen,
    seed,
    *,
    task_names,
    largest_source,
    cut_tasks,
    training,
    jm_frozen_layers,
    corpus,
    jm_language_alpha=None,
    encoder_dir,
    max_length,
    checkpoints,
    threads,
    out_dir,
):
    """Fine-tuned token classifiers, one directory per task under ``out_dir``; JM's
    batches sample its languages with ``jm_language_alpha`` (its ``training``
    settings' ``language_alpha``, see ``xlt.task_models.training``).

    Each task's finished model waits under ``checkpoints/finished`` until all
    are done, so a job killed during a later task resumes that task and keeps
    the earlier ones.
    """
    finished = Path(checkpoints) / "finished"
    summary = {}
    for task in task_names:
        languages = training_languages(method, task, seen, largest_source)
        paths = {
            split: [corpus.format(task=task, lang=lang, split=split) for lang in languages]
            for split in ("train", "dev")
        }
        keep = _ls_cut(corpus, task, seen, seed) if method == "ls" and task in cut_tasks else None
        settings = _method_settings(method, training, jm_frozen_layers, jm_language_alpha)
        train_task = partial(
            _train_pooled_task,
            task=task,
            paths=paths,
            encoder_dir=encoder_dir,
            settings=settings,
            seed=seed,
            checkpoint_dir=Path(checkpoints) / task,
            threads=threads,
            max_length=max_length,
            keep=keep,
            languages=languages,
        )
        run_identity = {
            "settings": settings,
            "languages": languages,
            "data": [file_digest(p) for p in paths["train"] + paths["dev"]],
            "encoder": encoder_digest(encoder_dir),
            "seed": seed,
            "task": task,
        }
        summary[task] = reuse_or_train(finished / task, run_identity, train_task)
        summary[task].update(languages=languages)
    with atomic_path(out_dir, directory=True) as model_dir:
        for task in task_names:
            os.replace(finished / task, Path(model_dir) / task)
    shutil.rmtree(finished)
    return summary


def _train_pooled_task(*, task, paths, languages, out_dir, **options) -> dict:
    summary, _ = train_from_corpora(
        task,
        paths["train"],
        paths["dev"],
        out_dir=out_dir,
        record={"languages": languages},
        **options,
    )
    return summary
