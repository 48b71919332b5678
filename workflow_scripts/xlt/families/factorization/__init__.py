"""The factorization family (Ponti et al., TACL 2021): PF-d, PF-lr and the
baselines LS, NS, JM and BEA, scored on held-out task-language pairs.

One training unit is a (method, language subset, partition, seed). How a
method trains decides its rule: a generator of classifiers over the seen pairs
(``GENERATORS``), one classifier per task pooled over training languages
(``POOLED``), or a choice among per-language classifiers that are trained once
per seed (``PER_LANGUAGE``).
"""

from __future__ import annotations

from xlt.families.base import Family
from xlt.families.factorization.config import check, config_languages, family_tasks

GENERATORS = ("pf_d", "pf_lr")
POOLED = ("ls", "jm")
PER_LANGUAGE = ("ns", "bea")
METHODS = GENERATORS + POOLED + PER_LANGUAGE
# Names and column order of the paper's Table 1.
DISPLAY = {"pf_d": "PF-d", "pf_lr": "PF-lr", "ls": "LS", "ns": "NS", "jm": "JM", "bea": "BEA"}
TABLE_ORDER = ("bea", "ns", "ls", "jm", "pf_d", "pf_lr")
LOW_RANK = "pf_lr"  # the generator whose language posteriors have a low-rank factor
NEEDS_LARGEST_SOURCE = "ls"


def methods(config: dict, subset: str = "all") -> list[str]:
    """Methods of the family run on ``subset`` (Table 2 subsets run fewer)."""
    chosen = FAMILY.configured_methods(config)
    if subset != "all":
        chosen = [m for m in chosen if m in config["factorization"]["subsets"]["methods"]]
    return chosen


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
