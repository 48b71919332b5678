"""One job of the MAN-MoE grid: every system of one (task, target, seed), each
trained by Algorithm 1 from its own checkpoint and scored on the target's test
split, with the mean expert-gate weights it gives the target's sentences."""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from xlt import tasks
from xlt.encoders.features import FeatureSplit, load_features, split_score
from xlt.families.man_moe.grid import Run
from xlt.families.man_moe.model import ManMoE
from xlt.families.man_moe.systems import VARIANTS
from xlt.families.man_moe.training import TrainingData, predict, train_man_moe

log = logging.getLogger(__name__)


def load_language_features(paths: dict[str, str]) -> dict[str, dict[str, FeatureSplit]]:
    """{language: {split: FeatureSplit}} from each language's feature cache."""
    return {lang: load_features(path)[0] for lang, path in paths.items()}


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
) -> list[dict]:
    """Train and score every run of one target; one result row per run."""
    labels = len(tasks.labels(task))
    test = features[target]["test"]
    rows = []
    for number, run in enumerate(runs, start=1):
        log.info("run %d/%d: %s for %s from %s", number, len(runs), run.system, target,
                 "+".join(run.sources))  # fmt: skip
        data = training_data(task, run, features)
        torch.manual_seed(seed)
        model = ManMoE(
            test.vectors.shape[1],
            labels,
            len(run.sources),
            len(data.languages),
            VARIANTS[run.system],
            dropout=settings["dropout"],
        ).to(device)
        identity = f"{task}/{target}/{run.name}/seed{seed}"
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
