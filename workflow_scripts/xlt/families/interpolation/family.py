"""The interpolation family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from xlt.families.base import Family, grid_subset, grid_subset_problems
from xlt.families.zero_shot import family as zero_shot

METHODS = ("interpolation",)
MODELS = ("target", "bilingual")  # trained here; the source model is zero-shot's
KINDS = ("source_line", "target_line", "plane")


def block(config: dict) -> dict:
    """The ``interpolation`` config block (schema defaults filled in)."""
    return config.get("interpolation") or {}


def pairs(config: dict) -> list[tuple[str, str]]:
    """The (source, target) pairs."""
    return [tuple(pair) for pair in block(config).get("pairs", [])]


def tasks(config: dict) -> list[str]:
    """The tasks of the study (``interpolation.tasks``; default every task)."""
    return grid_subset(config, "interpolation", "tasks")


def seeds(config: dict) -> list[int]:
    """The seeds (``interpolation.seeds``; default every seed)."""
    return grid_subset(config, "interpolation", "seeds")


def only(config: dict) -> tuple[str, ...] | None:
    """Which parameters are interpolated: None for all of them, or the encoder's."""
    return ("encoder.",) if block(config).get("parameters") == "encoder" else None


def units(config: dict) -> list[dict]:
    """Every (task, source, target, seed) of the study."""
    if not FAMILY.is_active(config):
        return []
    return [
        {"task": task, "source": source, "target": target, "seed": seed}
        for task in tasks(config)
        for source, target in pairs(config)
        for seed in seeds(config)
    ]


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    if not FAMILY.is_active(config):
        return []
    langs = sorted({lang for pair in pairs(config) for lang in pair})
    return [(t, lang, split) for t in tasks(config) for lang in langs for split in ("train", "dev")]


def _check(config: dict) -> list[str]:
    """The study reuses the zero-shot models of its sources: zero_shot must run,
    each pair's source must be a one-language source set of it, and its tasks
    and seeds the zero-shot grid's; a pair of one language is no pair."""
    if not zero_shot.FAMILY.is_active(config) or zero_shot.published_scores(config):
        return [
            "config key 'methods': interpolation starts from the zero_shot family's trained "
            "source models; add zero_shot (without zero_shot.published_scores)"
        ]
    settings, problems = block(config), []
    if not settings.get("pairs"):
        problems.append("config key 'interpolation.pairs': no source-target pairs")
    sources = {tuple(group) for group in zero_shot.source_sets(config)}
    for i, (source, target) in enumerate(pairs(config)):
        if source == target:
            problems.append(f"config key 'interpolation.pairs[{i}]': {source} twice")
        if (source,) not in sources:
            problems.append(
                f"config key 'interpolation.pairs[{i}]': {source} is not a source set of its "
                "own in languages.sources (its zero-shot model is the source model)"
            )
    if config["data"]["source"] == "real" and not problems:
        from xlt.data.real_data import target_split_gap

        for i, (_, target) in enumerate(pairs(config)):
            for task in tasks(config):
                gap = target_split_gap(task, target, "train", config["data"])
                if gap:
                    problems.append(
                        f"config key 'interpolation.pairs[{i}]': {target} has no {task} "
                        f"training data for its target-only model ({gap})"
                    )
    return problems + grid_subset_problems(config, "interpolation")


def _config_languages(config: dict):
    for i, pair in enumerate(block(config).get("pairs", [])):
        for j, code in enumerate(pair):
            yield f"interpolation.pairs[{i}][{j}]", code


def _role(config: dict, lang: str) -> str | None:
    # both languages of a pair train a model (theta_bi; theta_tgt on the target)
    return "train" if any(lang in pair for pair in pairs(config)) else None


FAMILY = Family(
    name="interpolation",
    methods=METHODS,
    description="interpolate between source, target and bilingual models",
    units=units,
    corpora=_corpora,
    role=_role,
    config_key="interpolation",
    check=_check,
    config_languages=_config_languages,
)
