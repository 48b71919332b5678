"""The factorization family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from xlt.families.base import Family
from xlt.families.factorization.config import check, config_languages, family_tasks
from xlt.families.factorization.methods import (
    GENERATORS,
    METHODS,
    NEEDS_LARGEST_SOURCE,
)
from xlt.families.factorization.methods import configured_methods as methods


def generators(config: dict) -> list[str]:
    """The configured methods that generate classifiers from task and language
    latents (PF-d, PF-lr)."""
    return [m for m in methods(config) if m in GENERATORS]


def subset_names(config: dict) -> list[str]:
    """``all`` (every factorization language) plus similar<N> / different<N> per size."""
    if not methods(config):
        return []
    sizes = config["factorization"]["subsets"]["sizes"]
    return ["all"] + [f"{kind}{size}" for size in sizes for kind in ("similar", "different")]


def units(config: dict) -> list[dict]:
    """Every (method, subset, partition, seed) that is trained and evaluated."""
    if not methods(config):
        return []
    count = config["factorization"]["partitions"]["count"]
    return [
        {"method": m, "subset": subset, "partition": p, "seed": seed}
        for subset in subset_names(config)
        for m in methods(config, subset)
        for p in range(1, count + 1)
        for seed in config["seeds"]
    ]


def uses_largest_source(config: dict) -> bool:
    """Whether LS is configured, which also reads ``factorization.largest_source``."""
    return NEEDS_LARGEST_SOURCE in methods(config)


def languages(config: dict) -> list[str]:
    """Languages whose corpora and encoder vectors the family needs (the grid,
    the always-seen languages and LS's largest source)."""
    if not methods(config):
        return []
    langs = list(config["factorization"]["languages"])
    langs += list(config["factorization"].get("always_seen") or [])
    if uses_largest_source(config):
        langs.append(config["factorization"]["largest_source"])
    return langs


def fine_tuned(config: dict) -> bool:
    """Whether every method trains the encoder too (else cached frozen vectors)."""
    return FAMILY.is_active(config) and config["factorization"]["encoder"] == "fine_tuned"


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    return [
        (task, lang, split)
        for task in family_tasks(config)
        for lang in languages(config)
        for split in ("train", "dev", "test")
    ]


def _role(config: dict, lang: str) -> str | None:
    # A grid language is seen in some partitions and held out in others.
    if lang in config["factorization"]["languages"]:
        return "partitioned"
    return "train" if lang in languages(config) else None


FAMILY = Family(
    name="factorization",
    methods=METHODS,
    description="held-out task-language pairs (configured under factorization)",
    units=units,
    corpora=_corpora,
    role=_role,
    config_key="factorization",
    check=check,
    config_languages=config_languages,
)
