"""One job of the MAN-MoE grid: every system of one (task, target, seed), each
trained by Algorithm 1 from its own checkpoint and scored on the target's test
split, with the mean expert-gate weights it gives the target's sentences. A
language with raw text (``man_moe.unlabelled``) has a split ``text`` besides
train, dev and test, which the discriminator reads instead of train. With
``man_moe.model.characters`` every word's character ids (the ``characters``
module) join its vector, and every run's model has a CharCNN."""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from xlt import tasks
from xlt.data.corpus import read_raw_sentences, read_task_corpus
from xlt.encoders.features import (
    FeatureSplit,
    load_features,
    split_result,
    split_sentence_counts,
)
from xlt.families.man_moe.characters import alphabet_digest, alphabet_size, attach_characters
from xlt.families.man_moe.family import word_corpora
from xlt.families.man_moe.model import ManMoE, Sizes
from xlt.families.man_moe.runs import Run
from xlt.families.man_moe.systems import VARIANTS
from xlt.families.man_moe.training import TrainingData, predict, train_man_moe

log = logging.getLogger(__name__)


def load_language_features(
    paths: dict[str, str], text_paths: dict[str, str] | None = None
) -> dict[str, dict[str, FeatureSplit]]:
    """{language: {split: FeatureSplit}} from each language's feature cache, with the
    split ``text`` of the raw-text caches of ``text_paths`` (``encode_man_moe_text``)."""
    features = {lang: load_features(path)[0] for lang, path in paths.items()}
    for lang, path in (text_paths or {}).items():
        features[lang]["text"] = load_features(path)[0]["text"]
    return features


def add_characters(
    features: dict[str, dict[str, FeatureSplit]],
    feature_files: dict[str, str],
    corpus_files: list[str],
    lowercase,
    task: str,
    texts: dict[str, str] | None = None,
    max_sentences: int | None = None,
    text_caches: dict[str, str] | None = None,
) -> dict[str, int]:
    """Give every split of ``features`` its words' character ids, read from
    ``corpus_files`` (the ``task``'s corpora of ``word_corpora`` of the languages
    of ``feature_files``, in that order) and, for a split ``text``, from the raw
    texts ``texts`` (their first ``max_sentences`` lines; ``text_caches``: the
    files that split was loaded from); returns the alphabet."""
    keys = word_corpora(list(feature_files))
    corpora: dict[str, dict[str, str]] = {}
    for (lang, split), path in zip(keys, corpus_files, strict=True):
        corpora.setdefault(lang, {})[split] = str(path)
    sentences = {
        lang: {
            split: [tasks.record_tokens(task, r) for r in read_task_corpus(path)]
            for split, path in paths.items()
        }
        for lang, paths in corpora.items()
    }
    caches: dict[str, str | dict[str, str]] = dict(feature_files)
    for lang, path in (texts or {}).items():
        corpora[lang]["text"] = str(path)
        sentences[lang]["text"] = read_raw_sentences(path, max_sentences)
        caches[lang] = {split: feature_files[lang] for split in corpora[lang]}
        caches[lang]["text"] = str((text_caches or {}).get(lang, path))
    return attach_characters(features, sentences, lowercase, corpora, caches)


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
        pooled=tasks.get(data.task).kind == "classification",
    )


def run_identity(
    task: str, target: str, run: Run, seed: int, settings: dict, alphabet=None, digest: str = ""
):
    """What a run's checkpoint must match: a checkpoint of other settings (sizes,
    steps, weights), of other input vectors (``digest`` of the job's feature
    files) or of another alphabet is another run's."""
    identity = f"{task}/{target}/{run.name}/seed{seed}/{sorted(settings.items())}/data-{digest}"
    return identity if alphabet is None else f"{identity}/alphabet-{alphabet_digest(alphabet)}"


def training_data(task: str, run: Run, features: dict) -> TrainingData:
    """A run's labelled sources (train, dev) and D's unlabelled words of every
    language of the run, the target's included: its raw text (split ``text``)
    where it has one, else its train split, labels unread."""
    languages = [*run.sources, run.target]
    return TrainingData(
        task=task,
        sources=list(run.sources),
        languages=languages,
        labelled={s: (features[s]["train"], features[s]["dev"]) for s in run.sources},
        unlabelled={
            lang: features[lang].get("text", features[lang]["train"]) for lang in languages
        },  # fmt: skip
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
    digest: str = "",
) -> list[dict]:
    """Train and score every run of one target; one result row per run. With
    ``characters`` on, ``alphabet`` is that of ``add_characters``, which gave
    ``features`` their character ids; ``digest`` (of the feature files) keys the
    checkpoints with the rest of ``run_identity``."""
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
        identity = run_identity(task, target, run, seed, settings, alphabet, digest)
        summary = train_man_moe(model, data, settings, seed, Path(checkpoints) / run.name, identity)
        predicted, gates = predict(model, test)
        result = split_result(task, test, predicted)
        if result["degenerate"]:
            log.warning("%s from %s predicts one class for all of %s's test set: a failed run, "
                        "left out of the tables' means and of the findings", run.system,
                        "+".join(run.sources), target)  # fmt: skip
        rows.append(
            {
                "task": task,
                "target": target,
                "system": run.system,
                "sources": "+".join(run.sources),
                "seed": seed,
                "score": result["score"],
                "degenerate": result["degenerate"],
                "source_dev": summary["best_dev"],
                "best_step": summary["best_step"],
                "steps": summary["steps"],
                "seconds": round(summary["seconds"], 1),
                "gates": _gate_means(gates, run.sources),
                # per test sentence, for the findings' bootstrap over sentences
                "sentence_counts": split_sentence_counts(task, test, predicted),
                "sentence_gates": [] if gates is None else gates.round(decimals=4).tolist(),
            }
        )
        log.info(
            "%s: %s %.2f on %s test", identity, tasks.metric_name(task), rows[-1]["score"], target
        )
    return rows
