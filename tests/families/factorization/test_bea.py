import math

import numpy as np
import pytest
from scipy.special import digamma

from xlt.families.factorization.bea import (
    BEAResult,
    bayesian_ensemble,
    majority_vote,
    validate_labels,
)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def loop_reference(labels, num_classes, alpha=1.0, beta=1.0, tol=1e-6, max_iter=500):
    """The same mean-field updates written token by token, with no vectorisation."""
    labels = np.asarray(labels)
    n, m = labels.shape
    c = num_classes
    q = np.zeros((n, c))
    for i in range(n):
        for j in range(m):
            q[i, labels[i, j]] += 1.0 / m
    for it in range(1, max_iter + 1):
        a = np.full(c, alpha)
        b = np.full((m, c, c), beta)
        for i in range(n):
            a += q[i]
            for j in range(m):
                b[j, :, labels[i, j]] += q[i]
        e_pi = digamma(a) - digamma(a.sum())
        e_v = digamma(b) - digamma(b.sum(axis=2, keepdims=True))
        new = np.zeros_like(q)
        for i in range(n):
            logits = e_pi.copy()
            for j in range(m):
                logits += e_v[j, :, labels[i, j]]
            p = np.exp(logits - logits.max())
            new[i] = p / p.sum()
        change = np.abs(new - q).max()
        q = new
        if change < tol:
            return q, b / b.sum(axis=2, keepdims=True), a / a.sum(), it, True
    return q, b / b.sum(axis=2, keepdims=True), a / a.sum(), max_iter, False


def sample_labels(rng, true, confusion):
    """Labels of one annotator: token n gets a draw from confusion[true[n]]."""
    cdf = np.cumsum(confusion[true], axis=1)
    draws = (rng.random(len(true))[:, None] >= cdf).sum(axis=1)
    return np.minimum(draws, confusion.shape[1] - 1)  # guard against cdf rounding below 1


# --- hand-checked small cases -------------------------------------------------------


def test_one_iteration_matches_hand_computation():
    # One annotator, two tokens labelled 0 and 1; the vote starts q(z) at one-hot.
    # q(pi) = Dir(1+1, 1+1); q(V[0]) = Dir(1+1, 1+0), q(V[1]) = Dir(1+0, 1+1).
    # E[log V[0,0]] = psi(2) - psi(3) = -1/2,  E[log V[1,0]] = psi(1) - psi(3) = -3/2,
    # so q(z_0 = 0) = e^{-1/2} / (e^{-1/2} + e^{-3/2}) = sigmoid(1).
    result = bayesian_ensemble([[0], [1]], 2, max_iter=1)
    s = sigmoid(1.0)
    np.testing.assert_allclose(result.posterior, [[s, 1 - s], [1 - s, s]], rtol=1e-12)
    np.testing.assert_allclose(result.confusion, [[[2 / 3, 1 / 3], [1 / 3, 2 / 3]]], rtol=1e-12)
    np.testing.assert_allclose(result.prior, [0.5, 0.5], rtol=1e-12)
    assert result.n_iter == 1
    assert not result.converged  # q(z) moved by 1 - sigmoid(1) = 0.27


def test_unanimous_annotators_give_their_label():
    truth = np.array([0, 1, 2, 2, 1, 0, 0, 2, 1, 1])
    labels = np.repeat(truth[:, None], 3, axis=1)
    result = bayesian_ensemble(labels, 3)
    np.testing.assert_array_equal(result.predictions, truth)
    assert result.posterior[np.arange(len(truth)), truth].min() > 0.9
    assert result.converged
    # Three annotators behaving identically get identical, diagonal-heavy confusion matrices.
    np.testing.assert_allclose(result.confusion[0], result.confusion[1], rtol=1e-12)
    np.testing.assert_allclose(result.confusion[0], result.confusion[2], rtol=1e-12)
    assert np.all(np.diag(result.confusion[0]) > 0.6)


def test_symmetric_data_gives_symmetric_posterior():
    # Swapping classes 0 and 1 maps the data onto itself, so the posterior must be
    # mirrored, the prior uniform, and the two identical annotators' matrices equal.
    labels = [[0, 0], [1, 1], [0, 1], [1, 0]]
    result = bayesian_ensemble(labels, 2)
    post = result.posterior
    np.testing.assert_allclose(post[0], post[1][::-1], atol=1e-12)
    np.testing.assert_allclose(post[2], post[3][::-1], atol=1e-12)
    np.testing.assert_allclose(post[2], [0.5, 0.5], atol=1e-12)  # 1 vote each: undecidable
    assert post[0, 0] > 0.5
    np.testing.assert_allclose(result.prior, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(result.confusion[0], result.confusion[1], atol=1e-12)
    np.testing.assert_allclose(result.confusion[0], result.confusion[0][::-1, ::-1], atol=1e-12)


def test_posterior_rows_are_distributions_and_shapes():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, size=(50, 6))
    result = bayesian_ensemble(labels, 4)
    assert isinstance(result, BEAResult)
    assert result.posterior.shape == (50, 4)
    assert result.confusion.shape == (6, 4, 4)
    assert result.prior.shape == (4,)
    np.testing.assert_allclose(result.posterior.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(result.confusion.sum(axis=2), 1.0, rtol=1e-12)
    assert result.prior.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("max_iter", [1, 2, 5, 500])
def test_matches_token_by_token_reference(max_iter):
    # Many repeated rows, so this also checks that merging identical rows changes nothing.
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 3, size=60)
    labels = np.stack(
        [
            np.where(rng.random(60) < p, truth, rng.integers(0, 3, size=60))
            for p in (0.9, 0.6, 0.3, 0.0)
        ],
        axis=1,
    )
    result = bayesian_ensemble(labels, 3, alpha=0.7, beta=1.5, max_iter=max_iter)
    q, conf, prior, n_iter, converged = loop_reference(
        labels, 3, alpha=0.7, beta=1.5, max_iter=max_iter
    )
    np.testing.assert_allclose(result.posterior, q, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(result.confusion, conf, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(result.prior, prior, rtol=1e-9, atol=1e-12)
    assert (result.n_iter, result.converged) == (n_iter, converged)


# --- majority vote --------------------------------------------------------------------


def test_majority_vote_with_ties_to_lowest_class():
    labels = [
        [2, 2, 1],  # clear majority
        [2, 1, 1],  # 1 wins 2-1
        [3, 2, 0],  # three-way tie -> 0
        [3, 3, 3],
    ]
    np.testing.assert_array_equal(majority_vote(labels, 4), [2, 1, 0, 3])
    np.testing.assert_array_equal(majority_vote([[2, 1, 1, 2]], 3), [1])  # 2-2 tie -> 1


# --- simulation ---------------------------------------------------------------------


def test_simulation_beats_majority_vote_and_recovers_confusions():
    rng = np.random.default_rng(2019)
    c, n = 5, 3000
    prior = np.array([0.35, 0.25, 0.2, 0.12, 0.08])
    truth = rng.choice(c, size=n, p=prior)

    def matrix(correct_column, p):
        """Row k puts p on column correct_column(k) and spreads the rest evenly."""
        v = np.full((c, c), (1 - p) / (c - 1))
        v[np.arange(c), [correct_column(k) for k in range(c)]] = p
        return v

    confusions = np.stack(
        [
            matrix(lambda k: k, 0.8),  # two good annotators
            matrix(lambda k: k, 0.8),
            matrix(lambda k: (k + 1) % c, 0.8),  # three that systematically relabel
            matrix(lambda k: (k + 2) % c, 0.8),
            matrix(lambda k: (k + 3) % c, 0.8),
            matrix(lambda k: 0, 0.7),  # two that mostly say one class
            matrix(lambda k: 1, 0.7),
        ]
    )
    labels = np.stack([sample_labels(rng, truth, v) for v in confusions], axis=1)

    result = bayesian_ensemble(labels, c)
    vote_accuracy = np.mean(majority_vote(labels, c) == truth)
    bea_accuracy = np.mean(result.predictions == truth)
    assert result.converged
    assert vote_accuracy < 0.65  # the bad annotators outvote the good ones
    assert bea_accuracy > 0.95
    assert bea_accuracy - vote_accuracy > 0.3
    assert np.abs(result.confusion - confusions).mean() < 0.05
    assert np.abs(result.confusion - confusions).max() < 0.15
    np.testing.assert_allclose(result.prior, prior, atol=0.03)


# --- convergence ---------------------------------------------------------------------


def test_convergence_flag_and_stability_after_convergence():
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 4, size=400)
    labels = np.stack(
        [
            np.where(rng.random(400) < p, truth, rng.integers(0, 4, size=400))
            for p in (0.8, 0.5, 0.4)
        ],
        axis=1,
    )
    converged = bayesian_ensemble(labels, 4)
    assert converged.converged
    assert 1 < converged.n_iter < 500

    cut = bayesian_ensemble(labels, 4, max_iter=converged.n_iter - 1)
    assert not cut.converged
    assert cut.n_iter == converged.n_iter - 1

    # tol = 0 never stops early; 200 more updates must leave the converged answer in place.
    longer = bayesian_ensemble(labels, 4, tol=0.0, max_iter=converged.n_iter + 200)
    assert not longer.converged
    assert longer.n_iter == converged.n_iter + 200
    # tol bounds the last step, not the distance to the fixed point: here each step shrinks
    # by r ~ 0.94, so about tol * r / (1 - r) ~ 1.5e-5 of error is left at the stop.
    np.testing.assert_allclose(longer.posterior, converged.posterior, atol=5e-5)
    np.testing.assert_allclose(longer.confusion, converged.confusion, atol=5e-5)
    np.testing.assert_allclose(longer.prior, converged.prior, atol=5e-5)
    np.testing.assert_array_equal(longer.predictions, converged.predictions)


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "num_classes", "message"),
    [
        ([0, 1, 2], 3, "2-D"),
        (np.zeros((5, 0), dtype=int), 3, "0 annotators"),
        (np.zeros((0, 3), dtype=int), 3, "0 tokens"),
        ([[0, 1], [3, 1]], 3, r"label 3 \(token 1, annotator 0\) is outside \[0, 3\)"),
        ([[0, -1]], 3, r"label -1 \(token 0, annotator 1\)"),
        ([[0.0, 1.0]], 3, "integer class ids"),
        ([[True, False]], 3, "integer class ids"),
        ([[0, 1]], 0, "num_classes must be at least 1"),
        ([[0, 1]], 2.0, "num_classes must be an integer"),
    ],
)
def test_invalid_labels_raise(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        validate_labels(labels, num_classes)
    with pytest.raises(ValueError, match=message):
        majority_vote(labels, num_classes)
    with pytest.raises(ValueError, match=message):
        bayesian_ensemble(labels, num_classes)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"alpha": 0.0}, "alpha must be a positive"),
        ({"beta": -1.0}, "beta must be a positive"),
        ({"beta": float("nan")}, "beta must be a positive"),
        ({"tol": -1e-3}, "tol must be"),
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"max_iter": 2.5}, "max_iter must be an integer >= 1"),
    ],
)
def test_invalid_options_raise(option, message):
    with pytest.raises(ValueError, match=message):
        bayesian_ensemble([[0, 1], [1, 1]], 2, **option)


def test_accepts_lists_and_narrow_integer_types():
    as_list = bayesian_ensemble([[0, 1], [1, 1], [2, 2]], 3)
    as_int8 = bayesian_ensemble(np.array([[0, 1], [1, 1], [2, 2]], dtype=np.int8), 3)
    np.testing.assert_array_equal(as_list.posterior, as_int8.posterior)
    assert validate_labels(np.array([[1]], dtype=np.uint8), 2).dtype == np.int64
