"""The zero-shot family: fine-tune on source language(s), score every target.

One training unit is a (method, task, source set, seed); its model is scored on
the test split of every language in ``languages.targets``.
"""

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


def training_units(config: dict) -> list[dict]:
    """Every (method, task, source set, seed) of the zero-shot grid."""
    return [
        {"method": m, "task": t, "source": source_id(s), "seed": seed}
        for m in FAMILY.configured_methods(config)
        for t in config["tasks"]
        for s in source_sets(config)
        for seed in config["seeds"]
    ]


def targets(config: dict) -> list[str]:
    """Languages every zero-shot model is scored on."""
    return list(config["languages"]["targets"]) if FAMILY.is_active(config) else []


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    sources = sorted({lang for group in source_sets(config) for lang in group})
    corpora = [
        (task, lang, split)
        for task in config["tasks"]
        for lang in sources
        for split in ("train", "dev")
    ]
    return corpora + [(task, lang, "test") for task in config["tasks"] for lang in targets(config)]


def _role(config: dict, lang: str) -> str | None:
    return "train" if any(lang in group for group in source_sets(config)) else None


FAMILY = Family(
    name="zero_shot",
    methods=METHODS,
    description="fine-tune on languages.sources, score languages.targets",
    units=training_units,
    corpora=_corpora,
    role=_role,
)
