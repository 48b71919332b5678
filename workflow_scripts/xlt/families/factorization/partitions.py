"""Seen/held-out partitions of the factorization experiment.

Ponti et al. (TACL 2021) train on some task–language pairs and evaluate zero-shot
on the others (§4.1): half of all pairs are held out, such that every held-out
pair (t, l) has its task t seen in at least one other language and its language
l seen in at least one other task. The paper draws two complementary partitions.
``heldout_partitions`` draws them and ``check_partition`` validates one (for
instance one read back from a partition file).
``load_partition`` reads one partition of a partition file back, checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from numbers import Integral

import numpy as np

# Shuffles tried per partition before giving up (the greedy pass always succeeds
# at the first try with two tasks; with more tasks and sparse data it may not).
MAX_ATTEMPTS = 200

Pair = tuple[str, str]


# --------------------------------------------------------------------------
# validation helpers


def _names(values, what: str) -> list[str]:
    """The sorted names of `what` ("task", "language"); at least two, no duplicates."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"{what}s must be a list of names, got {values!r}")
    values = list(values)
    bad = [v for v in values if not isinstance(v, str) or not v]
    if bad:
        raise ValueError(f"{what} names must be non-empty strings, got {bad!r}")
    duplicated = sorted(name for name, n in Counter(values).items() if n > 1)
    if duplicated:
        raise ValueError(f"duplicate {what}s: {', '.join(duplicated)}")
    if len(values) < 2:
        raise ValueError(
            f"the factorization experiment needs at least two {what}s, got {len(values)}"
            + (f" ({values[0]})" if values else "")
        )
    return sorted(values)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _listed(pairs: Iterable[Pair]) -> str:
    return ", ".join(f"({task}, {language})" for task, language in pairs)


def _grid(tasks: list[str], languages: list[str], available: Iterable[Pair] | None) -> list[Pair]:
    """The task–language pairs that take part, sorted; checks every language and
    task has data in at least two pairs."""
    grid = [(t, lang) for t in tasks for lang in languages]
    if available is None:
        return grid
    have = set()
    for pair in available:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"available pairs must be (task, language), got {pair!r}")
        have.add((pair[0], pair[1]))
    pairs = [p for p in grid if p in have]

    by_language: dict[str, list[str]] = defaultdict(list)
    by_task: dict[str, list[str]] = defaultdict(list)
    for t, lang in pairs:
        by_language[lang].append(t)
        by_task[t].append(lang)
    problems = []
    for lang in languages:
        present = by_language[lang]
        missing = [t for t in tasks if t not in present]
        if not present:
            problems.append(f"language '{lang}' has no data for any task ({_quoted(tasks)})")
        elif len(present) == 1:
            problems.append(
                f"language '{lang}' has data only for task '{present[0]}' "
                f"(none for {_quoted(missing)})"
            )
    for t in tasks:
        present = by_task[t]
        missing = [lang for lang in languages if lang not in present]
        if not present:
            problems.append(f"task '{t}' has no data in any language")
        elif len(present) == 1:
            problems.append(
                f"task '{t}' has data only in language '{present[0]}' (none in {_quoted(missing)})"
            )
    if problems:
        raise ValueError(
            "; ".join(problems) + "; the factorization experiment needs every language in "
            "at least two tasks and every task in at least two languages "
            "(drop the language or task, or provide its data)"
        )
    return pairs


def _violations(seen: set[Pair], heldout: Iterable[Pair]) -> list[str]:
    """The held-out pairs that break the constraint, each with the reason."""
    seen_languages: dict[str, set[str]] = defaultdict(set)  # task -> seen languages
    seen_tasks: dict[str, set[str]] = defaultdict(set)  # language -> seen tasks
    for t, lang in seen:
        seen_languages[t].add(lang)
        seen_tasks[lang].add(t)
    problems = []
    for t, lang in heldout:
        reasons = []
        if not seen_languages[t] - {lang}:
            reasons.append(f"task '{t}' is seen in no other language")
        if not seen_tasks[lang] - {t}:
            reasons.append(f"language '{lang}' is seen in no other task")
        if reasons:
            problems.append(f"held-out ({t}, {lang}): {' and '.join(reasons)}")
    return problems


def _always_seen(always_seen: Iterable[str], languages: list[str]) -> list[str]:
    """The always-seen languages, sorted; none of them a partitioned language."""
    if isinstance(always_seen, str) or not isinstance(always_seen, Iterable):
        raise ValueError(f"always-seen languages must be a list of names, got {always_seen!r}")
    always = sorted(set(always_seen))
    both = [lang for lang in always if lang in languages]
    if both:
        raise ValueError(
            f"always-seen languages {_quoted(both)} are also partitioned languages; "
            "a language is either partitioned or always seen"
        )
    return always


def _as_pairs(values, key: str) -> list[Pair]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"partition '{key}' must be a list of [task, language] pairs")
    pairs = []
    for pair in values:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"partition '{key}': not a [task, language] pair: {pair!r}")
        if not all(isinstance(x, str) for x in pair):
            raise ValueError(f"partition '{key}': not a [task, language] pair: {pair!r}")
        pairs.append((pair[0], pair[1]))
    return pairs


# --------------------------------------------------------------------------
# partitions


def _check_pairs(label: str, seen, heldout, tasks, languages) -> None:
    """Every pair of tasks × languages, none repeated, none both seen and held out."""
    known_tasks, known_languages = set(tasks), set(languages)
    unknown = [p for p in seen + heldout if p[0] not in known_tasks or p[1] not in known_languages]
    if unknown:
        raise ValueError(
            f"{label}: pairs outside tasks {tasks} × languages {languages}: " + _listed(unknown)
        )
    for key, pairs in (("seen", seen), ("heldout", heldout)):
        repeated = sorted(p for p, n in Counter(pairs).items() if n > 1)
        if repeated:
            raise ValueError(f"{label}: repeated {key} pairs: " + _listed(repeated))
    both = sorted(set(seen) & set(heldout))
    if both:
        raise ValueError(f"{label}: pairs both seen and held out: " + _listed(both))


def _check_coverage(label: str, covered: set, expected: set) -> None:
    """Seen and held-out pairs together are every available pair."""
    if covered == expected:
        return
    parts = []
    if expected - covered:
        parts.append("missing " + _listed(sorted(expected - covered)))
    if covered - expected:
        parts.append("not available " + _listed(sorted(covered - expected)))
    raise ValueError(
        f"{label}: seen and held-out pairs must together be every available pair: "
        + "; ".join(parts)
    )


def check_partition(
    partition: Mapping,
    tasks: list[str],
    languages: list[str],
    available: Iterable[Pair] | None = None,
    always_seen: Iterable[str] = (),
) -> None:
    """Raise ValueError unless `partition` is a valid seen/held-out partition.

    `partition` is a mapping with "seen" and "heldout" lists of [task, language]
    pairs (lists or tuples; as ``heldout_partitions`` returns them or as read from
    a YAML/JSON file). It is valid when

    * every pair names one of `tasks` and one of `languages`, no pair repeats and
      no pair is both seen and held out;
    * seen ∪ held-out is every pair that takes part: all of tasks × languages when
      `available` is None (the same default as ``heldout_partitions``), else the
      pairs of `available` within tasks × languages — pass the same `available`
      the partition was drawn with;
    * half the pairs are held out (floor or ceil of n/2: the complement of a
      partition of an odd number of pairs holds out ceil(n/2));
    * every held-out pair (t, l) has t seen in another language and l seen in
      another task.

    Languages in ``always_seen`` (not among `languages`) are seen in every task
    and held out in none: their pairs are all in "seen", outside the half.
    """
    tasks = _names(tasks, "task")
    languages = _names(languages, "language")
    always = _always_seen(always_seen, languages)
    if not isinstance(partition, Mapping):
        raise ValueError(f"a partition must be a mapping, got {type(partition).__name__}")
    missing_keys = [k for k in ("seen", "heldout") if k not in partition]
    if missing_keys:
        raise ValueError(f"partition lacks {', '.join(missing_keys)}")
    label = f"partition {partition['index']}" if "index" in partition else "partition"
    seen = _as_pairs(partition["seen"], "seen")
    heldout = _as_pairs(partition["heldout"], "heldout")
    fixed = [(t, lang) for t in tasks for lang in always]
    seen_set, always_set = set(seen), set(always)
    absent = [pair for pair in fixed if pair not in seen_set]
    if absent:
        raise ValueError(f"{label}: always-seen pairs not seen: " + _listed(absent))
    seen = [pair for pair in seen if pair[1] not in always_set]
    heldout_always = [pair for pair in heldout if pair[1] in always_set]
    if heldout_always:
        raise ValueError(f"{label}: always-seen pairs held out: " + _listed(heldout_always))

    _check_pairs(label, seen, heldout, tasks, languages)
    expected = set(_grid(tasks, languages, available))
    _check_coverage(label, set(seen) | set(heldout), expected)
    n = len(expected)
    if len(heldout) not in (n // 2, n - n // 2):
        raise ValueError(
            f"{label}: holds out {len(heldout)} of {n} pairs; it must hold out half "
            f"({n // 2}{'' if n % 2 == 0 else f' or {n - n // 2}'})"
        )
    problems = _violations(set(seen) | set(fixed), heldout)
    if problems:
        raise ValueError(
            f"{label} breaks the constraint that every held-out pair has its task seen in "
            "another language and its language seen in another task: " + "; ".join(problems)
        )


def _draw(pairs: list[Pair], rng: np.random.Generator) -> set[Pair] | None:
    """One greedy pass: the held-out set, or None when it falls short of n/2."""
    target = len(pairs) // 2
    tasks_seen = Counter(lang for _, lang in pairs)  # language -> number of seen tasks
    languages_seen = Counter(t for t, _ in pairs)  # task -> number of seen languages
    heldout: set[Pair] = set()
    for i in rng.permutation(len(pairs)):
        if len(heldout) == target:
            break
        t, lang = pairs[i]
        # Hold out only while another task of the language and another language
        # of the task stay seen; counts never fall below one, so every pair held
        # out earlier keeps its seen task and language.
        if tasks_seen[lang] >= 2 and languages_seen[t] >= 2:
            heldout.add((t, lang))
            tasks_seen[lang] -= 1
            languages_seen[t] -= 1
    return heldout if len(heldout) == target else None


def _partition(index: int, pairs: list[Pair], heldout: set[Pair]) -> dict:
    return {
        "index": index,
        "seen": [list(p) for p in pairs if p not in heldout],
        "heldout": [list(p) for p in pairs if p in heldout],
    }


def _complement(pairs: list[Pair], first: dict) -> set[Pair]:
    """The held-out set of partition 2 with ``complementary``: partition 1's seen
    pairs, when that keeps the constraint (else ValueError)."""
    seen = set(map(tuple, first["heldout"]))  # partition 1 holds these out; 2 sees them
    heldout = set(pairs) - seen
    problems = _violations(seen, heldout)
    if problems:
        raise ValueError(
            "the complement of partition 1 (partition 2 with complementary: true) "
            "violates the constraint that every held-out pair has its task seen in "
            "another language and its language seen in another task ("
            + "; ".join(problems[:5])
            + ("; ..." if len(problems) > 5 else "")
            + "); set complementary: false to draw partition 2 independently"
        )
    return heldout


def _fresh_draw(pairs: list[Pair], seed: int, k: int) -> set[Pair]:
    """Partition k's held-out set, drawn from ``default_rng([seed, k])``, retried up
    to ``MAX_ATTEMPTS`` shuffles (else ValueError)."""
    rng = np.random.default_rng([int(seed), k])
    for _ in range(MAX_ATTEMPTS):
        heldout = _draw(pairs, rng)
        if heldout is not None:
            return heldout
    raise ValueError(
        f"could not draw partition {k}: no shuffle out of {MAX_ATTEMPTS} held out "
        f"{len(pairs) // 2} of the {len(pairs)} available pairs with every "
        "held-out task and language still seen elsewhere; the available pairs "
        "are too sparse (add data or drop languages with few tasks)"
    )


def heldout_partitions(
    tasks: list[str],
    languages: list[str],
    available: set[Pair] | None,
    seed: int,
    count: int = 2,
    complementary: bool = True,
    always_seen: Iterable[str] = (),
) -> list[dict]:
    """`count` seen/held-out partitions of the task–language pairs (§4.1).

    The pairs are tasks × languages, restricted to `available` (the pairs with
    data; None = all; pairs outside tasks × languages are ignored). Every language
    needs data in at least two tasks and every task in at least two languages,
    else ValueError names them and what they lack.

    Each partition holds out floor(n/2) of the n pairs such that every held-out
    pair (t, l) has t seen in another language and l seen in another task (with
    two tasks: every language has exactly one held-out task). The draw shuffles the
    pairs and holds out each in turn while the constraint allows, until n/2 are
    held out; a shuffle that falls short (possible with more than two tasks) is
    retried, up to ``MAX_ATTEMPTS`` times, then ValueError.

    Partition k (1-based) draws from ``numpy.random.default_rng([seed, k])``, over
    the sorted tasks and languages, so the result depends on the sets, not on the
    order of the lists. With `complementary`, partition 2 is the complement of
    partition 1 (seen and held-out swapped; with two tasks it always satisfies the
    constraint, with more it may not, and then ValueError asks for
    ``complementary: false``; with an odd n it holds out ceil(n/2) pairs) and
    partitions 3, 4, ... are fresh draws. Without it, every partition is a fresh draw.

    Languages in ``always_seen`` are seen in every task of every partition and
    never held out (they must have data in every task): more languages seen in
    several tasks, from which a generator learns how task and language interact,
    without changing which pairs are held out.

    Returns ``[{"index": k, "seen": [[task, lang], ...], "heldout": [...]}, ...]``
    with the pair lists sorted.
    """
    tasks = _names(tasks, "task")
    languages = _names(languages, "language")
    always = _always_seen(always_seen, languages)
    if available is not None:
        have = {tuple(pair) for pair in available}
        lacking = [(t, lang) for lang in always for t in tasks if (t, lang) not in have]
        if lacking:
            raise ValueError(
                "always-seen languages need data in every task; none for " + _listed(lacking)
            )
    fixed = [(t, lang) for t in tasks for lang in always]
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(count, bool) or not isinstance(count, Integral) or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    pairs = _grid(tasks, languages, available)

    partitions = []
    for k in range(1, count + 1):
        if complementary and k == 2:
            heldout = _complement(pairs, partitions[0])
        else:
            heldout = _fresh_draw(pairs, seed, k)
        partition = _partition(k, sorted(pairs + fixed), heldout)
        check_partition(partition, tasks, languages, pairs, always)
        partitions.append(partition)
    return partitions


def read_partition(partitions: dict, index: int) -> tuple[list[Pair], list[Pair]]:
    """(seen, held-out) pairs of partition ``index`` of a partitions file, checked."""
    for partition in partitions["partitions"]:
        if partition["index"] == index:
            available = [tuple(p) for p in partitions["available"]]
            always = partitions.get("always_seen", [])
            grid = [lang for lang in partitions["languages"] if lang not in always]
            check_partition(partition, partitions["tasks"], grid, available, always)
            seen = [tuple(p) for p in partition["seen"]]
            return seen, [tuple(p) for p in partition["heldout"]]
    known = [p["index"] for p in partitions["partitions"]]
    raise ValueError(f"no partition {index} in the partitions file (has {known})")


def load_partition(path, index: int) -> tuple[list[Pair], list[Pair]]:
    """(seen, held-out) pairs of partition ``index`` of the partitions file ``path``."""
    from xlt.core.fileio import read_json

    return read_partition(read_json(path), int(index))


def available_pairs(tasks: list[str], languages: list[str], corpus_pattern: str) -> list[Pair]:
    """The (task, language) pairs that have sentences to train on and to evaluate
    on; ``corpus_pattern`` names a corpus by {task}, {lang} and {split}."""
    from xlt.data.corpus import read_task_corpus

    def has_sentences(task, lang, split):
        return bool(read_task_corpus(corpus_pattern.format(task=task, lang=lang, split=split)))

    return sorted(
        (task, lang)
        for task in tasks
        for lang in languages
        if has_sentences(task, lang, "train") and has_sentences(task, lang, "test")
    )


def data_sources(corpus_pattern: str, pairs) -> dict:
    """{"task/lang/split": where that corpus came from} for the train and dev
    corpora of ``pairs`` (``corpus_pattern`` has {task}, {lang}, {split}): a
    language whose test data trains it (no train split) says so here."""
    from xlt.data.corpus import corpus_source

    return {
        f"{task}/{lang}/{split}": corpus_source(
            corpus_pattern.format(task=task, lang=lang, split=split)
        )
        for task, lang in sorted(set(map(tuple, pairs)))
        for split in ("train", "dev")
    }
