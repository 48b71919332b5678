"""The k target-language examples a few-shot run continues training on.

The pool is the target's training split (disjoint from its dev and test
splits by construction), restricted to examples of ``MIN_WORDS`` to
``MAX_WORDS`` words (Lauscher et al. 2020, sec. 4: 3 to 50 tokens); a
sentence pair counts the words of both texts. Strategies:

* ``rand``: a random permutation of the pool, drawn from (seed, run); a run's
  samples are nested (its k = 10 sample is the first 10 of its k = 50 one), so
  curves over k vary less than independent draws would;
* ``shortest`` / ``longest``: the k shortest or longest examples, ties broken
  by position in the split (earlier first); the same for every run.

QA samples whole articles (``k`` counts articles, as in the paper: its
paragraphs would otherwise share topics across train and test) and only at
random. A sample is a list of indices into the split's records, kept with
what it was drawn from, so every few-shot run can be redone and audited.
"""

from __future__ import annotations

import numpy as np

from xlt import tasks

STRATEGIES = ("rand", "shortest", "longest")
MIN_WORDS, MAX_WORDS = 3, 50


def pool(task: str, records: list[dict]) -> list[int]:
    """Indices of the records a sample may draw (QA: all; they go by article)."""
    if tasks.get(task).kind == "extractive_qa":
        return list(range(len(records)))
    return [
        i
        for i, record in enumerate(records)
        if MIN_WORDS <= tasks.record_words(task, record) <= MAX_WORDS
    ]


def pool_size(task: str, records: list[dict]) -> tuple[int, str]:
    """How large a sample may be: (count, unit), articles for QA, else examples of
    ``MIN_WORDS`` to ``MAX_WORDS`` words."""
    if tasks.get(task).kind == "extractive_qa":
        return len(_articles(records)), "articles"
    return len(pool(task, records)), f"examples of {MIN_WORDS} to {MAX_WORDS} words"


def _articles(records: list[dict]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        groups.setdefault(record["article"], []).append(i)
    return groups


def draw(task: str, records: list[dict], k: int, strategy: str, seed: int, run: int) -> dict:
    """The sample: ``indices`` (sorted) of the chosen records, and ``units`` (the
    chosen articles for QA), with the pool's size. ValueError naming the
    problem: an unknown strategy, k larger than the pool, QA not at random."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown sampling strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    rng = np.random.default_rng([seed, run])
    if tasks.get(task).kind == "extractive_qa":
        if strategy != "rand":
            raise ValueError(f"{task} samples whole articles at random (rand), not {strategy}")
        articles = _articles(records)
        names = list(articles)
        if k > len(names):
            raise ValueError(f"k = {k} articles, but the split has {len(names)}")
        chosen = [names[i] for i in rng.permutation(len(names))[:k]]
        indices = sorted(i for name in chosen for i in articles[name])
        return {"indices": indices, "units": chosen, "pool": len(names)}
    usable = pool(task, records)
    if k > len(usable):
        raise ValueError(
            f"k = {k}, but only {len(usable)} of the split's {len(records)} examples have "
            f"{MIN_WORDS} to {MAX_WORDS} words"
        )
    if strategy == "rand":
        chosen = [usable[i] for i in rng.permutation(len(usable))[:k]]
    else:
        sign = 1 if strategy == "shortest" else -1
        ranked = sorted(usable, key=lambda i: (sign * tasks.record_words(task, records[i]), i))
        chosen = ranked[:k]
    return {"indices": sorted(chosen), "units": None, "pool": len(usable)}


def sample_all(
    task: str, records: list[dict], points: list[dict], seed: int, where: str = "the pool"
) -> dict:
    """Every sample of one (task, target): a sample per point (strategy, k, run),
    each drawn from ``seed`` and the run, never from a training seed, so every
    seed and encoder that asks for it gets the same one. ValueError naming
    ``where`` (the pool's file) when a point cannot be drawn."""
    samples = []
    for point in points:
        try:
            sample = draw(task, records, point["k"], point["strategy"], seed, point["run"])
        except ValueError as error:
            raise ValueError(f"{where}: {error} (few_shot.k)") from None
        ids = [records[i]["id"] for i in sample["indices"] if "id" in records[i]]
        samples.append(
            {
                **point,
                "indices": sample["indices"],
                "units": sample["units"],
                **({"ids": ids} if len(ids) == len(sample["indices"]) else {}),
            }
        )
    by_article = tasks.get(task).kind == "extractive_qa"
    return {
        "task": task,
        "records": len(records),
        "pool": len(_articles(records)) if by_article else len(pool(task, records)),
        "k_counts": "articles" if by_article else "examples",
        "words": None if by_article else [MIN_WORDS, MAX_WORDS],
        "seed": seed,
        "samples": samples,
    }


def point_name(point: dict) -> str:
    """A point's name in file names and logs, e.g. ``rand-k10-run0``."""
    return f"{point['strategy']}-k{point['k']}-run{point['run']}"
