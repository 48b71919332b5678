"""One job of the MAN-MoE grid: every system of one (task, target, seed), each
trained by Algorithm 1 from its own checkpoint and scored on the target's test
split, with the mean expert-gate weights it gives the target's sentences. With
``man_moe.model.characters`` every word's character ids (the ``characters``
module) join its vector, and every run's model has a CharCNN."""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from xlt import tasks
from xlt.data.corpus import read_task_corpus
from xlt.encoders.features import FeatureSplit, load_features, split_score
from xlt.families.man_moe import word_corpora
from xlt.families.man_moe.characters import alphabet_digest, alphabet_size, attach_characters
from xlt.families.man_moe.grid import Run
from xlt.families.man_moe.model import ManMoE, Sizes
from xlt.families.man_moe.systems import VARIANTS
from xlt.families.man_moe.training import TrainingData, predict, train_man_moe

log = logging.getLogger(__name__)


def load_language_features(paths: dict[str, str]) -> dict[str, dict[str, FeatureSplit]]:
    """{language: {split: FeatureSplit}} from each language's feature cache."""
    return {lang: load_features(path)[0] for lang, path in paths.items()}


def add_characters(
    features: dict[str, dict[str, FeatureSplit]],
    feature_files: dict[str, str],
    corpus_files: list[str],
    lowercase,
) -> dict[str, int]:
    """Give every split of ``features`` its words' character ids, read from
    ``corpus_files`` (the corpora of ``word_corpora`` of the languages of
    ``feature_files``, in that order); returns the alphabet."""
    keys = word_corpora(list(feature_files))
    corpora: dict[str, dict[str, str]] = {}
    for (lang, split), path in zip(keys, corpus_files, strict=True):
        corpora.setdefault(lang, {})[split] = str(path)
    sentences = {
        lang: {split: [r["words"] for r in read_task_corpus(path)] for split, path in paths.items()}
        for lang, paths in corpora.items()
    }
    return attach_characters(features, sentences, lowercase, corpora, feature_files)


def build_model(
    run: Run, data: TrainingData, dim: int, labels: int, settings: dict, alphabet=None
) -> ManMoE:
    """The network of ``run`` (its system's parts, one expert per source, one D class
    per language); a CharCNN over ``alphabet`` when ``characters`` is on."""
    return ManMoE(
        dim,
        labels,
        len(run.sources),
        len(data.languages),
        VARIANTS[run.system],
        dropout=settings["dropout"],
        alphabet=alphabet_size(alphabet) if settings.get("characters") else 0,
        sizes=Sizes(settings["hidden"], settings["filters"]),
    )


def run_identity(task: str, target: str, run: Run, seed: int, settings: dict, alphabet=None):
    """What a run's checkpoint must match: a checkpoint of other settings (sizes,
    steps, weights) or of another alphabet is another run's."""
    identity = f"{task}/{target}/{run.name}/seed{seed}/{sorted(settings.items())}"
    return identity if alphabet is None else f"{identity}/alphabet-{alphabet_digest(alphabet)}"


def training_data(task: str, run: Run, features: dict) -> TrainingData:
    """A run's labelled sources (train, dev) and D's unlabelled words: the train
    split of every language of the run, the target's included, labels unread."""
    languages = [*run.sources, run.target]
    return TrainingData(
        task=task,
        sources=list(run.sources),
        languages=languages,
        labelled={s: (features[s]["train"], features[s]["dev"]) for s in run.sources},
        unlabelled={lang: features[lang]["train"] for lang in languages},
    )


def _gate_means(gates: torch.Tensor | None, sources: tuple[str, ...]) -> dict[str, float]:
    """Figure 4's aggregation, second step: the sentences' mean gate weights averaged
    over the split, per source expert."""
    if gates is None:
        return {}
    return {source: float(w) for source, w in zip(sources, gates.mean(0), strict=True)}


def run_target(
    task: str,
    target: str,
    runs: list[Run],
    features: dict[str, dict[str, FeatureSplit]],
    settings: dict,
    seed: int,
    device: torch.device,
    checkpoints,
    alphabet: dict[str, int] | None = None,
) -> list[dict]:
    """Train and score every run of one target; one result row per run. With
    ``characters`` on, ``alphabet`` is that of ``add_characters``, which gave
    ``features`` their character ids."""
    if settings.get("characters") and not alphabet:
        raise ValueError("man_moe.model.characters is on: give the words' alphabet")
    labels = len(tasks.labels(task))
    test = features[target]["test"]
    rows = []
    for number, run in enumerate(runs, start=1):
        log.info("run %d/%d: %s for %s from %s", number, len(runs), run.system, target,
                 "+".join(run.sources))  # fmt: skip
        data = training_data(task, run, features)
        torch.manual_seed(seed)
        model = build_model(run, data, test.vectors.shape[1], labels, settings, alphabet)
        model.to(device)
        identity = run_identity(task, target, run, seed, settings, alphabet)
        summary = train_man_moe(model, data, settings, seed, Path(checkpoints) / run.name, identity)
        predicted, gates = predict(model, test)
        rows.append(
            {
                "task": task,
                "target": target,
                "system": run.system,
                "sources": "+".join(run.sources),
                "seed": seed,
                "score": split_score(task, test, predicted),
                "source_dev": summary["best_dev"],
                "best_step": summary["best_step"],
                "steps": summary["steps"],
                "seconds": round(summary["seconds"], 1),
                "gates": _gate_means(gates, run.sources),
            }
        )
        log.info(
            "%s: %s %.2f on %s test", identity, tasks.metric_name(task), rows[-1]["score"], target
        )
    return rows
