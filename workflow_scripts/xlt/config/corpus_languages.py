"""The experiment grid across families: which languages the workflow reads."""

from __future__ import annotations

from xlt.families.registry import needed_corpora


def corpus_languages(config: dict) -> list[str]:
    """Every language whose corpora the grid reads or whose row the language table
    needs (the source and target lists, and every family's languages)."""
    langs = [code for group in config["languages"]["sources"] for code in group]
    targets = config["languages"]["targets"]
    langs += (
        [t for group in targets.values() for t in group] if isinstance(targets, dict) else targets
    )
    langs += [lang for _, lang, _ in needed_corpora(config)]
    return list(dict.fromkeys(langs))
