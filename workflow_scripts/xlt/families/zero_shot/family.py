"""The zero-shot family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from xlt.families.base import Family

METHODS = ("zero_shot",)


def source_id(languages) -> str:
    """Name of a source set in paths: languages joined by '+', in config order."""
    return "+".join(languages)


def source_languages(source: str) -> list[str]:
    """The languages of a source-set name made by ``source_id``."""
    return source.split("+")


def source_sets(config: dict) -> list[list[str]]:
    """The configured source sets (``languages.sources``), each a list of languages."""
    return config["languages"]["sources"]


def published_scores(config: dict) -> str | None:
    """The scores table the family analyses instead of training, if any."""
    return (config.get("zero_shot") or {}).get("published_scores")


def training_units(config: dict) -> list[dict]:
    """Every (method, task, source set, seed) of the zero-shot grid (none when
    the family analyses published scores)."""
    if published_scores(config):
        return []
    return [
        {"method": m, "task": t, "source": source_id(s), "seed": seed}
        for m in FAMILY.configured_methods(config)
        for t in config["tasks"]
        for s in source_sets(config)
        for seed in config["seeds"]
    ]


def per_task_targets(config: dict) -> bool:
    """Whether ``languages.targets`` gives each task its own list."""
    return isinstance(config["languages"]["targets"], dict)


def task_targets(config: dict, task: str) -> list[str]:
    """The targets configured for ``task`` (its own list, or the shared one)."""
    configured = config["languages"]["targets"]
    return list(configured.get(task, [])) if per_task_targets(config) else list(configured)


def targets(config: dict) -> list[str]:
    """Every target language of any task, in config order: each evaluation job
    writes one metrics file per target (a record of the skip where its task has
    no such target or no data for it)."""
    if not FAMILY.is_active(config) or published_scores(config):
        return []
    return list(dict.fromkeys(t for task in config["tasks"] for t in task_targets(config, task)))


def skipped_targets(config: dict, task: str) -> dict[str, str]:
    """Targets ``task`` is not scored on, with the reason: not in the task's own
    list, or (one shared list, real data) no test data for the language."""
    from xlt.data.real_data import data_gap

    own = task_targets(config, task)
    skipped = {t: f"not among languages.targets.{task}" for t in targets(config) if t not in own}
    if config["data"]["source"] == "real" and not per_task_targets(config):
        for target in own:
            gap = data_gap(task, target, "test", config["data"])
            if gap:
                skipped[target] = gap
    return skipped


def scored_targets(config: dict, task: str) -> list[str]:
    """The targets ``task``'s models are scored on."""
    skipped = skipped_targets(config, task)
    return [t for t in targets(config) if t not in skipped]


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    if published_scores(config):
        return []
    sources = sorted({lang for group in source_sets(config) for lang in group})
    corpora = [
        (task, lang, split)
        for task in config["tasks"]
        for lang in sources
        for split in ("train", "dev")
    ]
    return corpora + [
        (task, lang, "test") for task in config["tasks"] for lang in scored_targets(config, task)
    ]


SCORE_COLUMNS = ("experiment", "method", "task", "source", "target", "score")


def _check(config: dict) -> list[str]:
    """A published scores table must exist, have the columns the analysis reads and
    only languages the config lists; ``zero_shot.sizes`` must name its experiments."""
    path = published_scores(config)
    if not path:
        return []
    from pathlib import Path

    import pandas as pd

    key = "config key 'zero_shot.published_scores'"
    if not Path(path).is_file():
        return [f"{key}: {path} does not exist"]
    try:
        table = pd.read_csv(path, comment="#")
    except (ValueError, OSError) as error:
        return [f"{key}: {path} is not a CSV table ({error})"]
    missing = [c for c in SCORE_COLUMNS if c not in table.columns]
    if missing:
        return [f"{key}: {path} lacks the column(s) {', '.join(missing)}"]
    if table.empty:
        return [f"{key}: {path} has a header and no scores"]
    problems = _table_problems(path, table)
    if problems:
        return [f"{key}: {problem}" for problem in problems]
    targets = config["languages"]["targets"]
    named = {lang for group in source_sets(config) for lang in group}
    named |= (
        {t for group in targets.values() for t in group}
        if per_task_targets(config)
        else set(targets)
    )
    absent = sorted({*table.source.str.split("+").explode(), *table.target} - named)
    if absent:
        return [
            f"{key}: {path} has language(s) {', '.join(absent)} that languages.sources and "
            "languages.targets do not list (the language table would lack their features)"
        ]
    experiments = set(table.experiment)
    return [
        f"config key 'zero_shot.sizes.{name}': no experiment {name!r} in {path} "
        f"(it has {', '.join(sorted(experiments))})"
        for name in config["zero_shot"].get("sizes", {})
        if name not in experiments
    ]


def _data_lines(path) -> list[int]:
    """The file line (1-based) of each data row of a CSV read with comment="#"."""
    from pathlib import Path

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    numbered = [i for i, line in enumerate(lines, start=1)
                if line.strip() and not line.lstrip().startswith("#")]  # fmt: skip
    return numbered[1:]  # after the header


def _table_problems(path, table) -> list[str]:
    """Scores that are not numbers (a decimal comma, a word, an empty cell) and a
    result listed twice, each named by file line: an average of two rows of the
    same result, or a score that is text, would mean nothing."""
    import pandas as pd

    where = _data_lines(path)
    problems = []
    # the cells as written: pandas would read "n/a" or "NA" as a missing value
    written = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False).score
    numbers = pd.to_numeric(written.str.strip(), errors="coerce")
    for i in table.index[numbers.isna()]:
        value = written[i]
        shown = "an empty cell" if not value.strip() else repr(value)
        hint = " (a decimal comma? write 62.76)" if "," in value else ""
        problems.append(f"{path}, line {where[i]}, column score: {shown} is not a number{hint}")
    for i in table.index[(numbers < 0) | (numbers > 100)]:
        problems.append(
            f"{path}, line {where[i]}, column score: {written[i]} is outside 0-100 (scores are "
            "percentages: accuracy, F1, LAS)"
        )
    from xlt import tasks as task_registry

    for i in table.index[~table.task.astype(str).isin(list(task_registry.TASKS))]:
        problems.append(
            f"{path}, line {where[i]}, column task: {table.task[i]!r} is not a task of the "
            f"pipeline ({', '.join(task_registry.TASKS)})"
        )
    keys = [c for c in (*SCORE_COLUMNS[:-1], "seed") if c in table.columns]
    for values, rows in table[table.duplicated(keys, keep=False)].groupby(keys, sort=True):
        named = ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True))
        lines = ", ".join(str(where[i]) for i in rows.index)
        problems.append(f"{path}: lines {lines} are the same result ({named}); keep one")
    return problems


def _role(config: dict, lang: str) -> str | None:
    return "train" if any(lang in group for group in source_sets(config)) else None


FAMILY = Family(
    name="zero_shot",
    methods=METHODS,
    description="fine-tune on languages.sources, score languages.targets",
    units=training_units,
    corpora=_corpora,
    role=_role,
    config_key="zero_shot",
    check=_check,
)
