"""Fine-tuning an encoder and a task's head with resumable, exact checkpoints.

The loop is the same for every task; what differs (units, loss, prediction,
score) comes from the task's model (a ``TaskModel``, ``xlt.task_models.protocol``).

A job killed at any point (SIGKILL, preemption, time limit) and started again
resumes from its last checkpoint and ends with the same weights and metrics as
an uninterrupted run: the checkpoint holds model, optimiser, schedule, RNG
state and the best-so-far model; the batch order is a pure function of
(seed, epoch), so it needs no state of its own.

Trained on several languages (one corpus each) with a ``language_alpha`` in
the settings, every batch holds one language, drawn with probability q_i
proportional to p_i^alpha (``xlt.core.sampling``); without one (the default)
the languages are concatenated and shuffled as before.
"""

from __future__ import annotations

import logging
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from xlt.core.checkpoints import rng_state, save_atomic, seed_everything, set_rng_state
from xlt.core.device import resolve_device
from xlt.core.fileio import atomic_path, read_json, write_json
from xlt.core.optimisers import AdamW
from xlt.core.progress import Progress
from xlt.core.provenance import file_digest, fingerprint
from xlt.core.sampling import (
    language_batches,
    language_probabilities,
    resamples,
)
from xlt.data.corpus import read_task_corpus
from xlt.encoders.loading import encoder_digest, load_encoder
from xlt.encoders.windows import length_batches
from xlt.task_models.registry import for_task
from xlt.task_models.storage import HEAD_FILE, head_state, save_classifier

log = logging.getLogger(__name__)


def reuse_or_train(out_dir, identity: dict, train) -> dict:
    """``train(out_dir=out_dir)``'s summary, or the recorded one when ``out_dir`` already
    holds a finished model of the same ``identity``.

    For jobs that train several models in a row: a job killed during a later
    model does not train the finished ones again when it is rerun.
    """
    out_dir = Path(out_dir)
    record = out_dir.with_name(out_dir.name + ".json")
    run_id = fingerprint(identity)
    if out_dir.is_dir() and record.exists():
        saved = read_json(record)
        if saved["fingerprint"] == run_id:
            log.info("reusing the finished model %s", out_dir)
            return saved["summary"]
        log.info("ignoring the finished model %s of a different run", out_dir)
    record.unlink(missing_ok=True)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    summary = train(out_dir=out_dir)
    write_json(record, {"fingerprint": run_id, "summary": summary})
    return summary


def epoch_batches(
    seed: int,
    epoch: int,
    lengths: list[int],
    batch_size: int,
    groups: dict[str, range] | None = None,
    alpha: float | None = None,
) -> list[list[int]]:
    """The batches (indices into the training windows) of ``epoch``: similar
    lengths per batch (``length_batches``), fixed by (seed, epoch) alone, so a
    resumed run needs no state to draw them again.

    With ``groups`` ({language: its windows' indices}) and an ``alpha`` other
    than 1, as many batches, each of one language drawn from q proportional to
    p^alpha (``xlt.core.sampling.language_batches``; the pools start afresh
    every epoch).
    """
    if groups is not None and resamples(alpha, groups):
        count = math.ceil(len(lengths) / batch_size)
        drawn = language_batches(groups, alpha, batch_size, [seed, epoch], count)
        return [indices for _, indices in drawn]
    return length_batches(lengths, batch_size, np.random.default_rng([seed, epoch]))


def language_units(task_model, records: list[dict], languages: list) -> tuple[list, dict]:
    """The training units of ``records`` made language by language (``languages``:
    each record's), and {language: range of its units' indices}."""
    if len(languages) != len(records):
        raise ValueError(f"{len(languages)} languages given for {len(records)} records")
    by_language: dict = {}
    for record, lang in zip(records, languages, strict=True):
        by_language.setdefault(lang, []).append(record)
    units, groups = [], {}
    for lang, own in by_language.items():
        made = task_model.units(own)
        groups[lang] = range(len(units), len(units) + len(made))
        units += made
    return units, groups


def total_steps(settings: dict, steps_per_epoch: int) -> int:
    """Optimiser steps of a run: ``max_steps`` when set, else ``epochs`` epochs."""
    return settings.get("max_steps") or steps_per_epoch * settings["epochs"]


def parameter_groups(model, settings: dict) -> list[dict]:
    """The trainable parameters, the head's at ``head_learning_rate`` when that is
    set (a randomly initialised head barely moves at an encoder's 2e-5), the
    encoder's at ``learning_rate``."""
    head = [p for p in model.head.parameters() if p.requires_grad]
    head_ids = {id(p) for p in head}
    rest = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    head_lr = settings.get("head_learning_rate")
    if head_lr is None:
        return [{"params": rest + head}]
    return [
        group for group in ({"params": rest}, {"params": head, "lr": head_lr}) if group["params"]
    ]


def _starting_point(task: str, init_from, encoder_dir) -> dict:
    """The encoder directory to load and the head weights to start from (None: a
    new head): ``encoder_dir`` alone, or the model ``init_from``."""
    if init_from is None:
        return {"encoder": encoder_dir, "head": None, "digest": None}

    info = read_json(Path(init_from) / "classifier.json")
    if info["task"] != task:
        raise ValueError(f"{init_from} is a {info['task']} model, not a {task} one")
    encoder = Path(init_from) / "encoder" if info["fine_tune"] else encoder_dir
    head = Path(init_from) / HEAD_FILE
    return {"encoder": encoder, "head": head_state(init_from), "digest": file_digest(head)}


def train_task_model(*, out_dir, **fit) -> dict:
    """Train ``task``'s model on ``train_records``, select on ``dev_records``, write
    the best to ``out_dir`` (see ``fit_task_model`` for the arguments).
    Returns a summary for the run's metrics file."""
    fitted = fit_task_model(**fit)
    info = {
        "task": fit["task"],
        "encoder_dir": str(fit["encoder_dir"]),
        "fine_tune": fit["fine_tune"],
        "dropout": fit["settings"]["dropout"],
        "max_length": fit["max_length"],
        "options": dict(fit.get("options") or {}),
    }
    with atomic_path(out_dir, directory=True) as tmp:
        save_classifier(fitted.model, fitted.tokenizer, fitted.task_model.labels, info, tmp)
    return fitted.summary


@dataclass
class Fitted:
    """A trained model in memory, with its tokenizer, task model and summary."""

    model: torch.nn.Module
    tokenizer: object
    task_model: object
    summary: dict


def _built_model(task: str, start: dict, max_length: int, options, settings: dict, fine_tune):
    """(tokenizer, task model, model) of ``task`` on the encoder of ``start``
    (``_starting_point``), its head's weights loaded from there where it has them."""
    tokenizer, encoder = load_encoder(start["encoder"])
    task_model = for_task(task, tokenizer, max_length, options)
    model = task_model.build(
        encoder, settings["dropout"], fine_tune, settings.get("frozen_layers", 0)
    )
    if start["head"] is not None:
        model.head.load_state_dict(start["head"])
    return tokenizer, task_model, model


def _training_units(task_model, records, languages, alpha):
    """(units, {language: its units' indices} or None, q or None): the units of
    ``records``, made language by language when the run samples languages by
    q proportional to p^alpha."""
    if languages is None or not resamples(alpha, set(languages)):
        return task_model.units(records), None, None
    units, groups = language_units(task_model, records, languages)
    q = language_probabilities({lang: len(own) for lang, own in groups.items()}, alpha)
    log.info("each batch one language, drawn with probabilities %s (alpha %s)", q, alpha)
    return units, groups, q


def _optimiser(model, settings: dict, steps: int):
    """AdamW over the trainable parameters (the head's learning rate apart when
    set) and its linear schedule with warm-up."""
    from transformers import get_linear_schedule_with_warmup

    # fused: one kernel for all parameters instead of a Python loop over them
    # (CPU and CUDA; several times faster per step for small models)
    optimizer = AdamW(
        parameter_groups(model, settings),
        lr=settings["learning_rate"],
        weight_decay=settings["weight_decay"],
        fused=True,
    )
    schedule = get_linear_schedule_with_warmup(
        optimizer, int(settings["warmup_fraction"] * steps), steps
    )
    return optimizer, schedule


@dataclass
class _Progress:
    """Where a run stands: what a checkpoint keeps besides the weights."""

    step: int = 0
    best_score: float = -math.inf
    best_step: int | None = None
    history: list = field(default_factory=list)
    resumed_from: int | None = None


def _resumed(checkpoint_dir: Path, run_id: str, steps: int, model, optimizer, schedule):
    """The run's progress from its last checkpoint (model, optimiser, schedule and
    RNG restored) when that checkpoint is this run's; else a fresh start, any
    other run's checkpoints removed."""
    last_path = checkpoint_dir / "last.pt"
    done = _Progress()
    if last_path.exists():
        state = torch.load(last_path, map_location="cpu", weights_only=False)
        if state["fingerprint"] == run_id:
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            schedule.load_state_dict(state["schedule"])
            set_rng_state(state["rng"])
            done = _Progress(
                state["step"], state["best_score"], state["best_step"], state["history"],
                resumed_from=state["step"],
            )  # fmt: skip
            log.info("resuming from checkpoint %s at step %d of %d", last_path, done.step, steps)
        else:
            log.info("ignoring checkpoint %s of a different run; starting afresh", last_path)
            shutil.rmtree(checkpoint_dir)
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    return done


def _save_checkpoint(path: Path, run_id: str, done: _Progress, model, optimizer, schedule):
    """Everything a resumed run needs to repeat the rest exactly."""
    save_atomic(
        {
            "fingerprint": run_id,
            "step": done.step,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "schedule": schedule.state_dict(),
            "rng": rng_state(),
            "best_score": done.best_score,
            "best_step": done.best_step,
            "history": done.history,
        },
        path,
    )


def _select(task_model, model, dev, device, done: _Progress, loss: float, steps: int, best_path):
    """Score ``model`` on the dev set (``dev``: its records and their prepared
    inputs), log it, and keep its weights at ``best_path`` when it is the best yet."""
    records, inputs = dev
    score = task_model.score(records, task_model.predict(model, inputs, device))["score"]
    done.history.append({"step": done.step, "loss": round(loss, 5), "dev_score": score})
    log.info("step %d/%d loss %.4f source-dev %.2f", done.step, steps, loss, score)
    if score > done.best_score:
        done.best_score, done.best_step = score, done.step
        save_atomic(model.state_dict(), best_path)
    model.train()


def _optimiser_step(task_model, model, batch, device, trainable, optimizer, schedule):
    """One step on ``batch``: loss, gradients clipped to norm 1, the optimiser's and
    the schedule's step. Returns the loss."""
    loss = task_model.loss(model, batch, device)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad(set_to_none=True)
    return loss


def _finish(model, best_path, checkpoint_dir: Path, settings: dict) -> None:
    """The selected weights back in ``model`` (``best_path``; None: the last ones),
    in eval mode; the run's checkpoints removed unless ``keep_checkpoints``."""
    if best_path is not None:
        model.load_state_dict(torch.load(best_path, map_location="cpu"))
    model.eval()
    if not settings.get("keep_checkpoints", False):
        shutil.rmtree(checkpoint_dir, ignore_errors=True)


def fit_task_model(
    *,
    task: str,
    train_records: list[dict],
    dev_records: list[dict] | None,
    encoder_dir,
    settings: dict,
    fine_tune: bool,
    max_length: int,
    seed: int,
    checkpoint_dir,
    threads: int = 1,
    identity: dict | None = None,
    options: dict | None = None,
    init_from=None,
    train_languages: list | None = None,
) -> Fitted:
    """Train ``task``'s model on ``train_records``; keep the weights that score best
    on ``dev_records`` (None: no selection, the weights after the last step).

    ``options`` is the task's config block (head sizes, scoring choices);
    ``init_from`` a model of the same task written by ``train_task_model``, to
    go on training from (its head, and its encoder when it was fine-tuned; a
    few-shot run continues its zero-shot model so);
    ``identity`` (config, data digests, ...) goes into the checkpoint
    fingerprint: a checkpoint of a different run is never resumed;
    ``train_languages``: each training record's language, for
    ``settings["language_alpha"]`` (see ``epoch_batches``).
    """
    started = time.time()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=True)
    seed_everything(seed)
    device = resolve_device(settings["device"])
    start = _starting_point(task, init_from, encoder_dir)
    tokenizer, task_model, model = _built_model(
        task, start, max_length, options, settings, fine_tune
    )
    model = model.to(device)
    alpha = settings.get("language_alpha")
    train_units, groups, q = _training_units(task_model, train_records, train_languages, alpha)
    select = dev_records is not None
    # prepared once, scored at every evaluation
    dev = (dev_records, task_model.prepare(dev_records)) if select else None

    batch_size = settings["batch_size"]
    steps_per_epoch = math.ceil(len(train_units) / batch_size)
    steps = total_steps(settings, steps_per_epoch)
    eval_every = settings["eval_every_steps"] or steps_per_epoch
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer, schedule = _optimiser(model, settings, steps)
    checkpoint_dir = Path(checkpoint_dir)
    last_path, best_path = checkpoint_dir / "last.pt", checkpoint_dir / "best.pt"
    run_id = fingerprint(
        # the weights it starts from too: never resume a run begun from others
        {"identity": identity, "seed": seed, "task": task, "steps": steps}
        | ({"init_from": start["digest"]} if start["digest"] else {})
    )
    done = _resumed(checkpoint_dir, run_id, steps, model, optimizer, schedule)
    first_step = done.step
    progress = Progress(log, "fine-tuning", steps, start=done.step)
    model.train()
    lengths = [task_model.unit_length(unit) for unit in train_units]
    batches = (None, [])  # (epoch, its batches)
    while done.step < steps:
        epoch, k = divmod(done.step, steps_per_epoch)
        if batches[0] != epoch:
            batches = (epoch, epoch_batches(seed, epoch, lengths, batch_size, groups, alpha))
        batch = [train_units[i] for i in batches[1][k]]
        loss = _optimiser_step(task_model, model, batch, device, trainable, optimizer, schedule)
        done.step += 1
        step = done.step
        progress.update(step, loss=loss.item())
        if not select and step == steps:
            done.history.append({"step": step, "loss": round(loss.item(), 5)})
        if select and (step % eval_every == 0 or step % steps_per_epoch == 0 or step == steps):
            _select(task_model, model, dev, device, done, loss.item(), steps, best_path)
        # Only at the configured cadence: a run resumed from an earlier
        # checkpoint repeats the same steps and evaluations exactly.
        if step % settings["checkpoint_every_steps"] == 0:
            _save_checkpoint(last_path, run_id, done, model, optimizer, schedule)

    _finish(model, best_path if select else None, checkpoint_dir, settings)
    summary = {
        "total_steps": steps,
        "steps_this_run": steps - first_step,
        "resumed_from_step": done.resumed_from,
        "best_step": done.best_step if select else steps,
        "best_source_dev_score": done.best_score if select else None,
        "history": done.history,
        "train_units": len(train_units),
        "train_sentences": len(train_records),
        "device": str(device),
        "threads": threads,
        "seconds": round(time.time() - started, 2),
    }
    if groups is not None:
        summary["language_probabilities"] = q
    return Fitted(model, tokenizer, task_model, summary)


def train_from_corpora(
    task: str,
    train_paths: list,
    dev_paths: list,
    encoder_dir,
    settings: dict,
    *,
    seed: int,
    out_dir,
    checkpoint_dir,
    threads: int,
    max_length: int,
    fine_tune: bool = True,
    keep=None,
    record: dict | None = None,
    options: dict | None = None,
) -> tuple[dict, dict]:
    """Train ``task``'s model on the concatenated train corpora, selected on the
    concatenated dev corpora; ``keep`` may cut the training sentences (a
    selection of the records it is given); ``options``: the task's config
    block. With a ``settings["language_alpha"]``, every corpus of
    ``train_paths`` is a language of its own for ``fit_task_model``.

    Returns the training summary and the run's identity (settings, ``record``,
    digests of the corpora and the encoder), which also keys its checkpoints.
    """
    parts = [(str(path), read_task_corpus(path)) for path in train_paths]
    train = [r for _, part in parts for r in part]
    dev = [r for path in dev_paths for r in read_task_corpus(path)]
    languages = None
    if resamples(settings.get("language_alpha"), {path for path, _ in parts}):
        languages = {id(r): path for path, part in parts for r in part}
    if keep is not None:
        train = keep(train)
    if languages is not None:
        if any(id(r) not in languages for r in train):
            raise ValueError("keep must select among the training records it is given")
        languages = [languages[id(r)] for r in train]
    identity = {
        "settings": dict(settings),
        "fine_tune": fine_tune,
        "max_length": max_length,
        **({"task_options": dict(options)} if options else {}),
        **(record or {}),
        "train_sentences": len(train),
        "data": [file_digest(path) for path in [*train_paths, *dev_paths]],
        "encoder": encoder_digest(encoder_dir),
    }
    summary = train_task_model(
        task=task,
        train_records=train,
        dev_records=dev,
        encoder_dir=encoder_dir,
        settings=dict(settings),
        fine_tune=fine_tune,
        max_length=max_length,
        seed=seed,
        out_dir=out_dir,
        checkpoint_dir=checkpoint_dir,
        threads=threads,
        identity=identity,
        options=options,
        train_languages=languages,
    )
    return summary, identity


def train_rule_model(job, unit: dict, extra: dict | None = None) -> None:
    """What a training rule does: train on its ``train`` corpora, select on its
    ``dev`` corpora (``train_from_corpora`` with the rule's settings, options,
    length and checkpoints; the seed from its wildcards), and write the summary
    file: ``unit`` (the run's wildcards), start time, training summary, identity,
    ``extra`` and package versions."""
    from xlt.core.provenance import versions
    from xlt.core.scripting import as_list

    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    summary, identity = train_from_corpora(
        job.wildcards.task,
        as_list(job.input.train),
        as_list(job.input.dev),
        job.input.encoder,
        job.params.settings,
        seed=int(job.wildcards.seed),
        out_dir=job.output.model,
        checkpoint_dir=job.params.checkpoints,
        threads=job.threads,
        max_length=job.params.max_length,
        fine_tune=job.params.fine_tune,
        options=getattr(job.params, "options", None),
    )
    record = {**unit, "started": started, "training": summary, "config": identity}
    write_json(job.output.summary, {**record, **(extra or {}), "versions": versions()})
