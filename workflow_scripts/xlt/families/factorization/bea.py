"""BEA: the zero-shot Bayesian ensemble of Rahimi, Li & Cohn (ACL 2019).

Several source-language classifiers label every token of the target test set.
Their outputs are treated as noisy annotators in a Dawid-Skene model:

    pi ~ Dirichlet(alpha * 1)            class prior
    V_m[k] ~ Dirichlet(beta * 1)         row k of annotator m's confusion matrix
    z_n ~ Cat(pi)                        true class of token n
    y_nm ~ Cat(V_m[z_n])                 label annotator m gives token n

and the posterior is approximated by mean-field variational inference,
q(z) q(pi) q(V), started from the majority vote. Unlike a vote, the model can
learn that an annotator is unreliable, or reliably confused (always writes k+1
for k), and weigh or undo its labels accordingly.

Tokens with the same row of labels have the same posterior, so inference runs
on the distinct rows only, weighted by how often each occurs: on real NER data,
where most tokens are unanimous "O", this makes it far cheaper. The per-row
sums are sparse one-hot products, so memory is O(rows * M) and never
O(N * M * C * C).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import digamma

__all__ = ["BEAResult", "bayesian_ensemble", "majority_vote", "validate_labels"]


@dataclass(frozen=True)
class BEAResult:
    """What the ensemble inferred.

    posterior:  [N, C] q(z_n = k), each row sums to 1.
    confusion:  [M, C, C] E_q[V_m]; confusion[m, k, l] = P(annotator m says l | true k).
    prior:      [C] E_q[pi].
    n_iter:     number of q(z) updates performed.
    converged:  whether the last update changed q(z) by less than tol.
    """

    posterior: np.ndarray
    confusion: np.ndarray
    prior: np.ndarray
    n_iter: int
    converged: bool

    @property
    def predictions(self) -> np.ndarray:
        """[N] most probable class of each token (ties -> lowest class id)."""
        return self.posterior.argmax(axis=1)


def validate_labels(labels, num_classes: int) -> np.ndarray:
    """Check an [N, M] array of label ids in [0, num_classes); return it as int64.

    N = tokens, M = annotators (source models). Raises ValueError naming what is wrong.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int | np.integer):
        raise ValueError(f"num_classes must be an integer, got {num_classes!r}")
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1, got {num_classes}")
    array = np.asarray(labels)
    if array.ndim != 2:
        raise ValueError(
            f"labels must be 2-D [tokens, annotators], got {array.ndim}-D shape {array.shape}"
        )
    n_tokens, n_annotators = array.shape
    if n_annotators == 0:
        raise ValueError("labels has 0 annotators (columns); need at least one")
    if n_tokens == 0:
        raise ValueError("labels has 0 tokens (rows); need at least one")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"labels must be integer class ids, got dtype {array.dtype}")
    low, high = array.min(), array.max()
    if low < 0 or high >= num_classes:
        bad = low if low < 0 else high
        row, col = np.argwhere(array == bad)[0]
        raise ValueError(
            f"label {bad} (token {row}, annotator {col}) is outside [0, {num_classes})"
        )
    return array.astype(np.int64, copy=False)


def _vote_counts(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """[N, C] how many annotators gave each token each class."""
    counts = np.zeros((labels.shape[0], num_classes), dtype=np.int32)
    rows = np.arange(labels.shape[0])
    for column in labels.T:  # a row index occurs once per column, so += is safe here
        counts[rows, column] += 1
    return counts


def majority_vote(labels, num_classes: int) -> np.ndarray:
    """[N] the class most annotators gave each token; ties go to the lowest class id."""
    labels = validate_labels(labels, num_classes)
    return _vote_counts(labels, num_classes).argmax(axis=1)


def _check_positive(name: str, value) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def _distinct_rows(labels: np.ndarray, n_classes: int):
    """(one-hot [rows, M * C] of the distinct label rows, each token's row, how
    many tokens share each row): every update works on distinct rows only."""
    n_annotators = labels.shape[1]
    # uint8 makes the sort cheaper
    compact = labels.astype(np.uint8 if n_classes <= 256 else np.int32)
    rows, inverse, weights = np.unique(compact, axis=0, return_inverse=True, return_counts=True)
    del compact  # only the distinct rows are needed from here on
    n_rows = rows.shape[0]
    # One-hot of (annotator, label) per distinct row: exactly M ones per row.
    columns = (np.arange(n_annotators, dtype=np.int32) * n_classes)[None, :] + rows
    onehot = sp.csr_matrix(
        (
            np.ones(n_rows * n_annotators),
            columns.ravel(),
            np.arange(0, n_rows * n_annotators + 1, n_annotators, dtype=np.int64),
        ),
        shape=(n_rows, n_annotators * n_classes),
    )
    return onehot, inverse.reshape(-1), weights.astype(np.float64)


def _update(q_z, weights, onehot, alpha: float, beta: float, n_annotators: int, n_classes: int):
    """One mean-field round: q(pi) and q(V) from q(z), then q(z) from them.
    Returns (new q(z), q(pi)'s and q(V)'s concentrations)."""
    weighted = q_z * weights[:, None]
    # q(pi) = Dirichlet(alpha + sum_n q(z_n)).
    prior_conc = alpha + weighted.sum(axis=0)
    # q(V_m[k]) = Dirichlet(beta + sum_n q(z_n = k) [y_nm = l]).
    # onehot.T @ weighted has rows (m, l) and columns k.
    counts = (onehot.T @ weighted).reshape(n_annotators, n_classes, n_classes)
    confusion_conc = beta + counts.transpose(0, 2, 1)  # [m, k, l]
    e_log_prior = digamma(prior_conc) - digamma(prior_conc.sum())
    e_log_conf = digamma(confusion_conc) - digamma(confusion_conc.sum(axis=2, keepdims=True))
    # log q(z_n = k) = E[log pi_k] + sum_m E[log V_m[k, y_nm]] (+ const).
    # Rows of the product's right factor are indexed by (m, l), columns by k.
    log_q = e_log_prior + onehot @ e_log_conf.transpose(0, 2, 1).reshape(-1, n_classes)
    log_q -= log_q.max(axis=1, keepdims=True)
    new_q = np.exp(log_q)
    new_q /= new_q.sum(axis=1, keepdims=True)
    return new_q, prior_conc, confusion_conc


def _checked_iteration(tol, max_iter) -> float:
    tol = float(tol)
    if not (math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    return tol


def bayesian_ensemble(
    labels,
    num_classes: int,
    *,
    alpha: float = 1.0,
    beta: float = 1.0,
    tol: float = 1e-6,
    max_iter: int = 500,
) -> BEAResult:
    """Infer token classes from [N, M] annotator labels by mean-field VI (see module doc).

    alpha, beta: symmetric Dirichlet concentrations of the class prior and of
    each confusion-matrix row (the paper uses 1 and 1). Iterates until the
    largest absolute change of q(z) is below tol, or max_iter updates.
    """
    labels = validate_labels(labels, num_classes)
    alpha = _check_positive("alpha", alpha)
    beta = _check_positive("beta", beta)
    tol = _checked_iteration(tol, max_iter)
    n_annotators = labels.shape[1]
    onehot, inverse, weights = _distinct_rows(labels, num_classes)
    # Start from the vote: q(z_n) = fraction of annotators saying each class.
    votes = onehot @ np.tile(np.eye(num_classes), (n_annotators, 1))
    q_z = votes / n_annotators
    n_iter = 0
    converged = False
    while n_iter < max_iter:
        new_q, prior_conc, confusion_conc = _update(
            q_z, weights, onehot, alpha, beta, n_annotators, num_classes
        )
        change = np.abs(new_q - q_z).max()
        q_z = new_q
        n_iter += 1
        if change < tol:
            converged = True
            break
    # Expected parameters of the q(pi), q(V) that produced the returned q(z).
    return BEAResult(
        posterior=q_z[inverse],
        confusion=confusion_conc / confusion_conc.sum(axis=2, keepdims=True),
        prior=prior_conc / prior_conc.sum(),
        n_iter=n_iter,
        converged=converged,
    )
