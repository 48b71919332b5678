"""Stochastic variational inference for the factorization model (PF-d, PF-lr)
over the seen pairs, on cached vectors or fine-tuning the encoder jointly;
early stopping on the seen pairs' dev sets, never on a held-out pair. A run
resumes exactly from its checkpoints.
"""

from __future__ import annotations

import copy
import logging
import math
import shutil
import time
from pathlib import Path

import numpy as np
from torch import nn

from xlt import tasks
from xlt.core.checkpoints import load_run_checkpoint, save_run_checkpoint
from xlt.core.optimisers import Adam
from xlt.core.progress import Progress
from xlt.encoders.features import WordEncoder, split_score
from xlt.families.factorization.model import FactorizationModel

log = logging.getLogger(__name__)


def _svi_batch(seed: int, step: int, pairs: list, data: dict, batch_size: int):
    """Step ``step``'s pair (uniform over seen pairs, §3.1) and sentences: a pure
    function of (seed, step), so a resumed run draws exactly the same batches."""
    rng = np.random.default_rng([seed, step])
    pair = pairs[rng.integers(len(pairs))]
    train = data[pair][0]
    chosen = rng.choice(train.sentences, size=min(batch_size, train.sentences), replace=False)
    return pair, train.select(sorted(chosen.tolist()))


def evaluate_pairs(
    model: FactorizationModel, data: dict, split_index: int, encoder: WordEncoder | None = None
) -> dict:
    """Posterior-mean score of every pair in ``data`` on its split (0 train, 1 dev);
    with ``encoder`` the splits are text that it encodes first."""
    model.eval()
    device = next(model.parameters()).device
    result = {}
    for (task, lang), splits in data.items():
        split = splits[split_index]
        if encoder is not None:
            split = encoder.encode(split)
        vectors = split.vectors.to(device)
        proba = model.predict_proba(vectors, task, lang, len(tasks.labels(task)))
        result[(task, lang)] = split_score(task, split, proba.argmax(-1).cpu())
    return result


# SVI has converged when it stopped early (patience) or when the seen-pair dev
# score gained at most PLATEAU_GAIN points over the last PLATEAU_VALIDATIONS
# validations; otherwise it ended at max_steps while still learning.
PLATEAU_VALIDATIONS = 2
PLATEAU_GAIN = 1.0


def has_converged(history: list[dict], stopped_early: bool) -> bool:
    """Whether a run with validation ``history`` (``dev`` per validation) had
    levelled off: stopped early, or its best dev gained at most ``PLATEAU_GAIN``
    over its best ``PLATEAU_VALIDATIONS`` validations before the end. Too short a
    history to tell counts as not converged."""
    if stopped_early:
        return True
    devs = [h["dev"] for h in history]
    if len(devs) <= PLATEAU_VALIDATIONS:
        return False
    return max(devs) - max(devs[:-PLATEAU_VALIDATIONS]) <= PLATEAU_GAIN


def _optimiser(model: FactorizationModel, encoder, settings: dict):
    """(everything whose weights training changes, one Adam over it): the model at
    ``learning_rate``, a fine-tuned encoder at ``encoder_learning_rate``."""
    groups = [{"params": list(model.parameters()), "lr": settings["learning_rate"]}]
    trained = nn.ModuleList([model])
    if encoder is not None:
        trained.append(encoder.encoder)
        groups.append(
            {
                "params": [p for p in encoder.encoder.parameters() if p.requires_grad],
                "lr": settings["encoder_learning_rate"],
            }
        )
    return trained, Adam(groups, fused=True)  # one kernel, not a loop over tensors


def _batch_loss(model, encoder, pair, batch, settings: dict, kl_weight: float, device):
    """The negative ELBO of one batch of ``pair`` (task, language) and its parts."""
    task, lang = pair
    if encoder is not None:
        vectors, labels = encoder.vectors(batch)
    else:
        vectors, labels = batch.vectors.to(device), batch.labels.to(device)
    n_labels = len(tasks.labels(task))
    return model.loss(vectors, labels, task, lang, n_labels, settings["mc_samples"], kl_weight)


def _validate(model, data, encoder, state: dict, parts: dict) -> bool:
    """Score the seen pairs' dev sets (posterior mean), record it in ``state``;
    True when it is the best so far (else one more stale validation)."""
    dev = float(np.mean(list(evaluate_pairs(model, data, 1, encoder).values())))
    step = state["step"]
    state["history"].append(
        {"step": step, "nll": round(parts["nll"], 4), "kl": round(parts["kl"], 4), "dev": dev}
    )
    log.info("step %d nll %.3f kl %.3f seen-dev %.2f", step, parts["nll"], parts["kl"], dev)
    if dev > state["best"]:
        state.update(best=dev, best_step=step, stale=0)
        return True
    state["stale"] += 1
    return False


def _warn_unless_converged(state: dict, settings: dict) -> bool:
    """Whether the run converged (``has_converged``); a warning naming the key to
    raise when it did not."""
    converged = has_converged(state["history"], state["stale"] >= settings["patience"])
    if not converged:
        recent = [round(h["dev"], 2) for h in state["history"][-PLATEAU_VALIDATIONS - 1 :]]
        log.warning(
            "SVI did not converge: seen-pair dev still rising at max_steps %d (last validations "
            "%s, a gain of more than %.1f points); raise factorization.model.max_steps",
            settings["max_steps"], recent, PLATEAU_GAIN,
        )  # fmt: skip
    return converged


def _resumed(checkpoint: Path, identity: str, trained, optimizer):
    """(progress, best weights, step resumed from or None): from the run's checkpoint
    when it holds this run (weights and optimiser restored), else a fresh start."""
    state = {"step": 0, "best": -math.inf, "best_step": 0, "stale": 0, "history": []}
    best_weights, resumed = copy.deepcopy(trained.state_dict()), None
    saved = load_run_checkpoint(checkpoint, identity)
    if saved is not None:
        trained.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state, best_weights = saved["state"], saved["best_weights"]
        resumed = state["step"]
        log.info("resuming from %s at step %d", checkpoint, resumed)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    return state, best_weights, resumed


def train_by_svi(
    model: FactorizationModel,
    data: dict,
    settings: dict,
    seed: int,
    checkpoint_dir,
    identity: str,
    encoder: WordEncoder | None = None,
) -> dict:
    """SVI over the seen pairs in ``data`` {(task, lang): (train, dev)}.

    ``data`` holds cached vectors (FeatureSplit) when the encoder is frozen;
    with ``encoder`` it holds text (TextSplit) and the encoder is fine-tuned
    jointly, at ``encoder_learning_rate`` (§4.2 trains all with one Adam).
    ``model`` and ``encoder`` must be on the same device.
    Validation every ``eval_every_steps`` steps on the seen pairs' dev sets
    (posterior-mean prediction); stops after ``patience`` validations without
    improvement or at ``max_steps``; ``model`` (and ``encoder``) end with the
    best weights. Resumes exactly from ``checkpoint_dir`` if a checkpoint of
    the same run (``identity``) is there.
    """
    started = time.time()
    pairs = sorted(data)
    device = next(model.parameters()).device
    total_sentences = sum(train.sentences for train, _ in data.values())
    # KL weight 1/|K|, |K| = minibatches in one pass over all seen data (§4.2).
    minibatches = math.ceil(total_sentences / settings["batch_size"])
    trained, optimizer = _optimiser(model, encoder, settings)
    checkpoint = Path(checkpoint_dir) / "last.pt"
    state, best_weights, resumed = _resumed(checkpoint, identity, trained, optimizer)

    def save():
        payload = {
            "model": trained.state_dict(),
            "optimizer": optimizer.state_dict(),
            "state": state,
            "best_weights": best_weights,
        }
        save_run_checkpoint(checkpoint, identity, payload)

    progress = Progress(log, "SVI", settings["max_steps"], start=state["step"])
    while state["step"] < settings["max_steps"] and state["stale"] < settings["patience"]:
        trained.train()
        pair, batch = _svi_batch(seed, state["step"], pairs, data, settings["batch_size"])
        loss, parts = _batch_loss(model, encoder, pair, batch, settings, 1.0 / minibatches, device)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        state["step"] += 1
        step = state["step"]
        progress.update(step, loss=loss.item())
        evaluated = step % settings["eval_every_steps"] == 0 or step == settings["max_steps"]
        if evaluated and _validate(model, data, encoder, state, parts):
            best_weights = copy.deepcopy(trained.state_dict())
        # Only at the configured cadence: a run resumed from an earlier
        # checkpoint repeats the same steps and validations exactly.
        if step % settings["checkpoint_every_steps"] == 0:
            save()
    trained.load_state_dict(best_weights)
    converged = _warn_unless_converged(state, settings)
    if not settings.get("keep_checkpoints", False):
        shutil.rmtree(checkpoint.parent, ignore_errors=True)
    return {
        "steps": state["step"],
        "best_step": state["best_step"],
        "best_seen_dev_score": state["best"],
        "stopped_early": state["stale"] >= settings["patience"],
        "converged": converged,
        "resumed_from_step": resumed,
        "kl_weight": 1.0 / minibatches,
        "history": state["history"],
        "seconds": round(time.time() - started, 2),
    }
