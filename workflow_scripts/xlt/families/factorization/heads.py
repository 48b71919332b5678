"""Linear classifiers over word vectors: the classifiers of LS, NS, JM and BEA's
sources on a frozen encoder, and the head of a fine-tuned token classifier.
Every one selects on the dev sets of the languages it trains on."""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from xlt import tasks
from xlt.core.fileio import atomic_path
from xlt.core.optimisers import Adam
from xlt.core.sampling import language_batches, resamples
from xlt.encoders.features import FeatureSplit, split_score


class LinearHead(nn.Module):
    """A softmax classifier over word vectors: dropout, then a linear layer."""

    def __init__(self, feature_dim: int, num_labels: int, dropout: float = 0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.linear = nn.Linear(feature_dim, num_labels)

    def forward(self, vectors):
        """Logits [words, num_labels] of word vectors [words, e]."""
        return self.linear(self.dropout(vectors))

    @torch.no_grad()
    def predict_proba(self, vectors):
        """Label probabilities [words, num_labels], in eval mode (no dropout), no gradients."""
        self.eval()
        return torch.softmax(self.linear(vectors), -1)


def head_batches(
    rows: int,
    batch_size: int,
    seed: int,
    epoch: int,
    groups: dict[str, range] | None = None,
    alpha: float | None = None,
) -> list[torch.Tensor]:
    """The row indices of each batch of ``epoch``: a permutation of the ``rows``
    training rows cut into batches, fixed by (seed, epoch); with ``groups``
    ({language: its rows}) and an ``alpha`` (not None), as many batches, each
    of one language drawn from q proportional to p^alpha
    (``xlt.core.sampling.language_batches``)."""
    if groups is not None and resamples(alpha, groups):
        count = math.ceil(rows / batch_size)
        drawn = language_batches(groups, alpha, batch_size, [seed, epoch], count)
        return [torch.tensor(ids, dtype=torch.long) for _, ids in drawn]
    order = torch.from_numpy(np.random.default_rng([seed, epoch]).permutation(rows))
    return [order[start : start + batch_size] for start in range(0, rows, batch_size)]


def train_linear_head(
    task: str,
    train: FeatureSplit,
    dev: list[FeatureSplit],
    settings: dict,
    seed: int,
    groups: dict[str, range] | None = None,
    alpha: float | None = None,
) -> tuple[LinearHead, dict]:
    """A softmax classifier over word vectors; the epoch with the best mean dev score
    wins. ``groups`` and ``alpha``: language sampling of the batches (``head_batches``)."""
    if len(train.labels) == 0:
        raise ValueError(f"no training words for task {task}")
    torch.manual_seed(seed)
    num_labels = len(tasks.labels(task))
    head = LinearHead(train.vectors.shape[1], num_labels, settings["dropout"])
    optimizer = Adam(
        head.parameters(),
        lr=settings["learning_rate"],
        weight_decay=settings["weight_decay"],
        fused=True,
    )
    best, best_state, history = -math.inf, None, []
    batch = settings["batch_size"]
    for epoch in range(settings["epochs"]):
        head.train()
        for rows in head_batches(len(train.labels), batch, seed, epoch, groups, alpha):
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
    """Write a head's weights (its state dict) to ``path``, atomically."""
    with atomic_path(path) as tmp:
        torch.save(head.state_dict(), tmp)


def load_head(state: dict) -> LinearHead:
    """A LinearHead with the shape and weights of a saved state dict."""
    weight = state["linear.weight"]
    head = LinearHead(weight.shape[1], weight.shape[0])
    head.load_state_dict(state)
    return head


def classifier_head(directory) -> LinearHead:
    """The linear layer of a fine-tuned token classifier (saved by
    ``xlt.task_models.storage.save_classifier``)."""
    from xlt.task_models.storage import head_state

    state = head_state(directory)
    return load_head({f"linear.{name}": value for name, value in state.items()})
