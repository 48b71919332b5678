"""Training the factorization family's classifiers: linear heads on cached
encoder vectors (LS, NS, JM, BEA's sources with a frozen encoder) and the
factorization model (PF-d, PF-lr) by stochastic variational inference, on
cached vectors or fine-tuning the encoder jointly. All select on the dev sets
of the languages they train on, never on a held-out pair.
"""

from __future__ import annotations

import copy
import logging
import math
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import tasks
from .factorization import FactorizationModel
from .features import FeatureSplit, WordEncoder
from .fileio import atomic_path
from .training import rng_state, set_rng_state

log = logging.getLogger(__name__)


def split_score(task: str, split: FeatureSplit, predicted: torch.Tensor) -> float:
    """The task's headline score (0-100) of per-word predicted label ids."""
    names = tasks.labels(task)
    gold = [[names[i] for i in s] for s in split.sentence_labels(split.labels)]
    pred = [[names[i] for i in s] for s in split.sentence_labels(predicted)]
    return tasks.score(task, gold, pred)["score"]


class LinearHead(nn.Module):
    def __init__(self, feature_dim: int, num_labels: int, dropout: float = 0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.linear = nn.Linear(feature_dim, num_labels)

    def forward(self, vectors):
        return self.linear(self.dropout(vectors))

    @torch.no_grad()
    def predict_proba(self, vectors):
        self.eval()
        return torch.softmax(self.linear(vectors), -1)


def train_linear_head(
    task: str, train: FeatureSplit, dev: list[FeatureSplit], settings: dict, seed: int
) -> tuple[LinearHead, dict]:
    """A softmax classifier over word vectors; the epoch with the best mean dev score wins."""
    if len(train.labels) == 0:
        raise ValueError(f"no training words for task {task}")
    torch.manual_seed(seed)
    num_labels = len(tasks.labels(task))
    head = LinearHead(train.vectors.shape[1], num_labels, settings["dropout"])
    optimizer = torch.optim.Adam(
        head.parameters(), lr=settings["learning_rate"], weight_decay=settings["weight_decay"]
    )
    best, best_state, history = -math.inf, None, []
    batch = settings["batch_size"]
    for epoch in range(settings["epochs"]):
        head.train()
        order = torch.from_numpy(
            np.random.default_rng([seed, epoch]).permutation(len(train.labels))
        )
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            loss = nn.functional.cross_entropy(head(train.vectors[rows]), train.labels[rows])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        scores = [split_score(task, d, head.predict_proba(d.vectors).argmax(-1)) for d in dev]
        score = float(np.mean(scores))
        history.append({"epoch": epoch + 1, "loss": round(loss.item(), 5), "dev_score": score})
        if score > best:
            best, best_state = score, copy.deepcopy(head.state_dict())
    head.load_state_dict(best_state)
    return head, {"best_dev_score": best, "history": history, "train_words": len(train.labels)}


def save_head(head: LinearHead, path) -> None:
    with atomic_path(path) as tmp:
        torch.save(head.state_dict(), tmp)


def load_head(state: dict) -> LinearHead:
    weight = state["linear.weight"]
    head = LinearHead(weight.shape[1], weight.shape[0])
    head.load_state_dict(state)
    return head


# ---------------------------------------------------------------------------
# Stochastic variational inference for the factorization model


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


def train_factorization(
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
    groups = [{"params": list(model.parameters()), "lr": settings["learning_rate"]}]
    trained = nn.ModuleList([model])  # everything whose weights training changes
    if encoder is not None:
        trained.append(encoder.encoder)
        groups.append(
            {
                "params": [p for p in encoder.encoder.parameters() if p.requires_grad],
                "lr": settings["encoder_learning_rate"],
            }
        )
    optimizer = torch.optim.Adam(groups)
    checkpoint = Path(checkpoint_dir) / "last.pt"
    state = {"step": 0, "best": -math.inf, "best_step": 0, "stale": 0, "history": []}
    best_weights = copy.deepcopy(trained.state_dict())
    resumed = None
    if checkpoint.exists():
        saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
        if saved["identity"] == identity:
            trained.load_state_dict(saved["model"])
            optimizer.load_state_dict(saved["optimizer"])
            set_rng_state(saved["rng"])
            state, best_weights = saved["state"], saved["best_weights"]
            resumed = state["step"]
            log.info("resuming from %s at step %d", checkpoint, resumed)
        else:
            log.info("ignoring checkpoint %s of a different run", checkpoint)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)

    def save():
        payload = {
            "identity": identity,
            "model": trained.state_dict(),
            "optimizer": optimizer.state_dict(),
            "rng": rng_state(),
            "state": state,
            "best_weights": best_weights,
        }
        with atomic_path(checkpoint) as tmp:
            torch.save(payload, tmp)

    while state["step"] < settings["max_steps"] and state["stale"] < settings["patience"]:
        trained.train()
        (task, lang), batch = _svi_batch(seed, state["step"], pairs, data, settings["batch_size"])
        if encoder is not None:
            vectors, labels = encoder.vectors(batch)
        else:
            vectors, labels = batch.vectors.to(device), batch.labels.to(device)
        loss, parts = model.loss(
            vectors,
            labels,
            task,
            lang,
            len(tasks.labels(task)),
            settings["mc_samples"],
            1.0 / minibatches,
        )
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        state["step"] += 1
        step = state["step"]
        if step % settings["eval_every_steps"] == 0 or step == settings["max_steps"]:
            scores = evaluate_pairs(model, data, 1, encoder)
            dev = float(np.mean(list(scores.values())))
            state["history"].append(
                {
                    "step": step,
                    "nll": round(parts["nll"], 4),
                    "kl": round(parts["kl"], 4),
                    "dev": dev,
                }
            )
            log.info("step %d nll %.3f kl %.3f seen-dev %.2f", step, parts["nll"], parts["kl"], dev)
            if dev > state["best"]:
                state.update(best=dev, best_step=step, stale=0)
                best_weights = copy.deepcopy(trained.state_dict())
            else:
                state["stale"] += 1
            save()
        elif step % settings["checkpoint_every_steps"] == 0:
            save()
    trained.load_state_dict(best_weights)
    if not settings.get("keep_checkpoints", False):
        shutil.rmtree(checkpoint.parent, ignore_errors=True)
    return {
        "steps": state["step"],
        "best_step": state["best_step"],
        "best_seen_dev_score": state["best"],
        "stopped_early": state["stale"] >= settings["patience"],
        "resumed_from_step": resumed,
        "kl_weight": 1.0 / minibatches,
        "history": state["history"],
        "seconds": round(time.time() - started, 2),
    }
