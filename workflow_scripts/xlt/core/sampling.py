"""Multilingual sampling of training batches: q_i proportional to p_i^alpha.

A model trained on several languages at once sees language i, which has n_i
training examples, with probability p_i = n_i / sum_j n_j when its data are
concatenated and shuffled. Sampling with an exponent alpha instead gives

    q_i = p_i^alpha / sum_j p_j^alpha

(the survey's equation 1; XLM and multilingual BERT): alpha = 1 keeps the
proportions of the data, alpha < 1 up-samples the small languages, alpha = 0
samples every language equally often.

``language_batches`` draws one language per batch from q and the batch's
examples from that language alone, each language's examples in a random order
without replacement: a language's examples all come once before any comes
again (then its order is shuffled afresh). A batch never spans two passes
over its language, so the batch that ends a pass may be short, and no batch
holds an example twice.

The callers (zero-shot fine-tuning on several sources, the factorization
family's JM baseline, MAN-MoE's labelled sources, the embedded encoder's
masked-LM pretraining) keep their own batches when no alpha is configured (None,
the default): concatenated and shuffled data (languages mixed within a batch,
in proportion to their size; MAN-MoE: one mini-batch of every source per
step). Any alpha, 1 included, draws one language per batch (``resamples``);
a config without one keeps its runs and its Snakemake parameters as they were.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence, Sized

import numpy as np


def _check_alpha(alpha: float) -> None:
    try:
        value = float(alpha)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"language sampling: alpha must be a finite number >= 0, not {alpha!r}")


def language_probabilities(sizes: Mapping[str, int], alpha: float) -> dict[str, float]:
    """q_i = p_i^alpha / sum_j p_j^alpha of every language, p_i = n_i / sum_j n_j,
    from ``sizes`` {language: n_i}; in the order of ``sizes``.

    Raises ValueError when there is no language, a language has no example or
    alpha is negative (or not a finite number).
    """
    _check_alpha(alpha)
    if not sizes:
        raise ValueError("language sampling: no languages to sample from")
    for lang, n in sizes.items():
        if n < 1:
            raise ValueError(f"language sampling: language {lang!r} has no training examples")
    total = sum(sizes.values())
    weights = {lang: (n / total) ** alpha for lang, n in sizes.items()}
    norm = sum(weights.values())
    return {lang: w / norm for lang, w in weights.items()}


def resamples(alpha: float | None, languages: Sized) -> bool:
    """Whether batches are drawn by ``language_batches``: an alpha is set (not None)
    and there is more than one language (else the caller's own batches)."""
    if alpha is None:
        return False
    _check_alpha(alpha)
    return len(languages) > 1


def epoch_batches_count(indices: Mapping[str, Sequence[int]], batch_size: int) -> int:
    """An epoch's worth of batches: ceil(all examples / batch_size), as many as one
    pass over the concatenated data takes."""
    return math.ceil(sum(len(ids) for ids in indices.values()) / batch_size)


def language_batches(
    indices: Mapping[str, Sequence[int]],
    alpha: float,
    batch_size: int,
    seed,
    num_batches: int | None = None,
) -> Iterator[tuple[str, list[int]]]:
    """(language, example indices) of ``num_batches`` batches (None: an epoch's
    worth, ``epoch_batches_count``): each batch's language drawn from q
    (``language_probabilities`` of the languages' sizes), its examples the next
    ``batch_size`` of that language's current pass over ``indices[language]``.

    A pure function of its arguments; ``seed`` is anything ``numpy.random.
    default_rng`` takes (an int, or a list such as [seed, epoch]). Batches are
    drawn one at a time, so the first k of a longer run are those of a shorter
    one. The arguments are checked at the call, before the first batch.
    """
    if batch_size < 1:
        raise ValueError(f"language sampling: batch_size must be at least 1, not {batch_size}")
    q = language_probabilities({lang: len(ids) for lang, ids in indices.items()}, alpha)
    if num_batches is None:
        num_batches = epoch_batches_count(indices, batch_size)
    if num_batches < 0:
        raise ValueError(f"language sampling: num_batches must be >= 0, not {num_batches}")
    return _draw(indices, q, batch_size, np.random.default_rng(seed), num_batches)


def _draw(indices, q: dict[str, float], batch_size: int, rng, num_batches: int):
    """The batches of ``language_batches``, its arguments checked."""
    languages = list(q)
    cumulative = np.cumsum([q[lang] for lang in languages])
    pools = {lang: np.asarray(indices[lang]) for lang in languages}
    orders: dict[str, np.ndarray] = {}
    positions = dict.fromkeys(languages, 0)
    for _ in range(num_batches):
        # inverse CDF; min() guards against rounding in the last bin
        k = min(int(np.searchsorted(cumulative, rng.random(), side="right")), len(languages) - 1)
        lang = languages[k]
        pool = pools[lang]
        if lang not in orders or positions[lang] >= len(pool):
            orders[lang], positions[lang] = rng.permutation(len(pool)), 0
        start = positions[lang]
        chosen = orders[lang][start : start + batch_size]
        positions[lang] = start + len(chosen)
        yield lang, pool[chosen].tolist()
