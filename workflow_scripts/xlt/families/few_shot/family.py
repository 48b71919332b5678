"""The few-shot family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from xlt.families.base import Family, grid_subset, grid_subset_problems
from xlt.families.zero_shot import family as zero_shot

METHODS = ("few_shot",)
STRATEGIES = ("rand", "shortest", "longest")
# Tasks whose examples are sampled as whole documents, only at random (XQuAD: k
# counts articles, so that no article is shared between train and test).
RANDOM_ONLY_KINDS = ("extractive_qa",)


def block(config: dict) -> dict:
    """The ``few_shot`` config block (schema defaults filled in)."""
    return config.get("few_shot") or {}


def tasks(config: dict) -> list[str]:
    """The tasks the family continues (``few_shot.tasks``; default every task)."""
    return grid_subset(config, "few_shot", "tasks")


def seeds(config: dict) -> list[int]:
    """The zero-shot seeds whose models are continued (default: every seed)."""
    return grid_subset(config, "few_shot", "seeds")


def _random_only(task: str) -> bool:
    from xlt import tasks as task_registry

    return task_registry.get(task).kind in RANDOM_ONLY_KINDS


def for_task(config: dict, key: str, task: str, default):
    """``few_shot.<key>`` for ``task``: one value for every task, or a mapping of
    task to value (``default`` for a task it leaves out)."""
    value = block(config).get(key, default)
    return value.get(task, default) if isinstance(value, dict) else value


def strategies(config: dict, task: str) -> list[str]:
    """The sampling strategies of ``task``: its own list, or the shared one (a task
    sampled by documents takes ``rand`` only from a shared list)."""
    if isinstance(block(config).get("strategies"), dict):
        return list(for_task(config, "strategies", task, ["rand"]))
    configured = list(for_task(config, "strategies", task, ["rand"]))
    return ["rand"] if _random_only(task) else configured


def points(config: dict, task: str) -> list[dict]:
    """Every (strategy, k, run) of ``task``: ``few_shot.runs`` random samples per
    k; shortest and longest are one deterministic sample each (run 0)."""
    ks = sorted(set(for_task(config, "k", task, [])))
    runs = for_task(config, "runs", task, 1)
    return [
        {"strategy": strategy, "k": k, "run": run}
        for strategy in strategies(config, task)
        for k in ks
        for run in (range(runs) if strategy == "rand" else [0])
    ]


def pool_split(config: dict, task: str) -> str:
    """The split of a target the samples are drawn from (``few_shot.pool_split``)."""
    return block(config).get("pool_split", {}).get(task, "train")


def _sources(config: dict) -> set[str]:
    return {lang for group in zero_shot.source_sets(config) for lang in group}


def _explicit_targets(config: dict, task: str) -> list[str] | None:
    configured = block(config).get("targets")
    if configured is None:
        return None
    if isinstance(configured, dict):
        return list(configured.get(task, []))
    return list(configured)


def _pool_gap(config: dict, task: str, target: str) -> str | None:
    if config["data"]["source"] != "real":
        return None
    from xlt.data.real_data import target_split_gap

    return target_split_gap(task, target, pool_split(config, task), config["data"])


def targets(config: dict, task: str) -> list[str]:
    """The targets ``task`` is continued on: ``few_shot.targets`` (its own list or a
    shared one), else the task's zero-shot targets that are not a source and have
    a pool (those without are skipped, see ``skipped_targets``)."""
    explicit = _explicit_targets(config, task)
    if explicit is not None:
        if isinstance(block(config).get("targets"), dict):
            return explicit
        scored = set(zero_shot.scored_targets(config, task))
        return [t for t in explicit if t in scored]
    return [
        t
        for t in zero_shot.scored_targets(config, task)
        if t not in _sources(config) and not _pool_gap(config, task, t)
    ]


def skipped_targets(config: dict, task: str) -> dict[str, str]:
    """Zero-shot targets of ``task`` that few-shot leaves out by default, and why
    (a source language; no pool); none when ``few_shot.targets`` is given."""
    if _explicit_targets(config, task) is not None:
        return {}
    skipped = {}
    for target in zero_shot.scored_targets(config, task):
        if target in _sources(config):
            skipped[target] = "a source language"
        else:
            gap = _pool_gap(config, task, target)
            if gap:
                skipped[target] = f"no {pool_split(config, task)} split to sample from ({gap})"
    return skipped


def active_tasks(config: dict) -> list[str]:
    """The tasks with at least one target and one point."""
    if not FAMILY.is_active(config) or zero_shot.published_scores(config):
        return []
    return [t for t in tasks(config) if targets(config, t) and points(config, t)]


def training_units(config: dict) -> list[dict]:
    """Every (task, source set, seed, target) whose job runs the target's samples."""
    return [
        {"task": task, "source": zero_shot.source_id(group), "seed": seed, "target": target}
        for task in active_tasks(config)
        for group in zero_shot.source_sets(config)
        for seed in seeds(config)
        for target in targets(config, task)
    ]


def sample_files(config: dict) -> list[tuple[str, str]]:
    """(task, target) of every samples file."""
    return [(task, target) for task in active_tasks(config) for target in targets(config, task)]


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    pairs = sample_files(config)
    return [(t, lang, pool_split(config, t)) for t, lang in pairs] + [
        (t, lang, "test") for t, lang in pairs
    ]


def _shares_scored_rows(config: dict, task: str) -> bool:
    """Whether ``task``'s pool split is the split its targets are scored on."""
    from xlt.data.sources.registry import config_block

    pool, data = pool_split(config, task), config["data"]
    if data["source"] != "real" or pool == "train":
        return False
    cfg = data[config_block(task)]
    if cfg.get("train_from_dev"):
        return False  # XNLI's pipeline splits are then disjoint row ranges of its dev file
    return cfg.get("eval_split", "test") == pool


def _check(config: dict) -> list[str]:
    """Problems of the few_shot block, each naming its key: the family continues
    zero-shot models, so it needs that family and its tasks, seeds and targets;
    a target must have a pool disjoint from its scored split."""
    if zero_shot.published_scores(config):
        return [
            "config key 'methods': few_shot continues trained zero-shot models; "
            "zero_shot.published_scores trains none"
        ]
    if not zero_shot.FAMILY.is_active(config):
        return [
            "config key 'methods': few_shot continues the zero_shot family's models; add zero_shot"
        ]
    settings, problems = block(config), []
    problems += grid_subset_problems(config, "few_shot")
    for key in ("k", "strategies", "runs", "pool_split", "targets"):
        if isinstance(settings.get(key), dict):
            problems += [
                f"config key 'few_shot.{key}.{task}': {task} is not one of the tasks "
                f"({', '.join(config['tasks'])})"
                for task in settings[key]
                if task not in config["tasks"]
            ]
    configured = settings.get("strategies")
    if isinstance(configured, dict):
        problems += [
            f"config key 'few_shot.strategies.{task}': {task} samples whole documents "
            "at random; only rand applies"
            for task, chosen in configured.items()
            if task in config["tasks"] and _random_only(task) and set(chosen) - {"rand"}
        ]
    problems += [
        f"config key 'few_shot.k': no k values for {task}, which few_shot.tasks lists"
        for task in settings.get("tasks") or []
        if not for_task(config, "k", task, [])
    ]
    if problems:
        return problems
    sources = _sources(config)
    for task in tasks(config):
        if _shares_scored_rows(config, task):
            problems.append(
                f"config key 'few_shot.pool_split.{task}': {task}'s targets are scored on the "
                f"{pool_split(config, task)} split, so it cannot also give the few-shot examples"
            )
        explicit = _explicit_targets(config, task)
        if explicit is None:
            continue
        key = "few_shot.targets" + (f".{task}" if isinstance(settings["targets"], dict) else "")
        scored = zero_shot.scored_targets(config, task)
        for target in explicit:
            if target in sources:
                problems.append(f"config key '{key}': {target} is a source language")
            elif target not in scored and isinstance(settings["targets"], dict):
                problems.append(
                    f"config key '{key}': {task}'s zero-shot models are not scored on {target} "
                    "(k = 0 comes from that score)"
                )
            elif target in scored:
                gap = _pool_gap(config, task, target)
                if gap:
                    problems.append(
                        f"config key '{key}': {target} has no {pool_split(config, task)} "
                        f"split of {task} to sample from: {gap}"
                    )
    return problems


def _check_corpus(config: dict, corpus: tuple[str, str, str], records: list[dict]) -> list[str]:
    """A target's pool must hold the largest k of its task (examples of 3 to 50
    words; QA: articles)."""
    from xlt.families.few_shot import samples as sampling

    task, lang, split = corpus
    if task not in active_tasks(config) or lang not in targets(config, task):
        return []
    if split != pool_split(config, task):
        return []
    largest = max(point["k"] for point in points(config, task))
    size, unit = sampling.pool_size(task, records)
    if largest <= size:
        return []
    return [f"config key 'few_shot.k': k = {largest} for {task}, but the pool has {size} {unit}"]


def _config_languages(config: dict):
    configured = block(config).get("targets")
    if isinstance(configured, dict):
        for task, codes in configured.items():
            for i, code in enumerate(codes):
                yield f"few_shot.targets.{task}[{i}]", code
    elif configured:
        for i, code in enumerate(configured):
            yield f"few_shot.targets[{i}]", code


def _role(config: dict, lang: str) -> str | None:
    return None  # a target's pool is read like any target data, never as source data


FAMILY = Family(
    name="few_shot",
    methods=METHODS,
    description="continue the zero-shot models on k target-language examples",
    units=training_units,
    corpora=_corpora,
    role=_role,
    config_key="few_shot",
    check=_check,
    config_languages=_config_languages,
    check_corpus=_check_corpus,
)
