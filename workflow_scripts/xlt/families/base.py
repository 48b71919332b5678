"""What a method family declares to the rest of the pipeline.

A family is a set of methods that share one way of training and scoring
(zero-shot fine-tuning; the factorization experiment's held-out pairs; ...).
Its package under ``xlt.families`` builds one ``Family`` from light modules
only (no torch), because the workflow asks the registry while it builds the DAG.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

# (config key, language code) of a language a family's config block names.
KeyedLanguage = tuple[str, str]
# (task, language, split) of a corpus a family reads.
Corpus = tuple[str, str, str]


def _nothing(config: dict) -> list:
    return []


def _no_corpus_problems(config: dict, corpus: Corpus, records: list[dict]) -> list[str]:
    return []


def grid_subset(config: dict, block_key: str, key: str) -> list:
    """The values of ``config[key]`` (tasks, seeds) that the family's block keeps:
    those its ``key`` lists, in config order, or all of them when it gives none."""
    chosen = (config.get(block_key) or {}).get(key)
    return list(config[key]) if chosen is None else [v for v in config[key] if v in chosen]


def grid_subset_problems(config: dict, block_key: str, keys=("tasks", "seeds")) -> list[str]:
    """A problem, naming its key, for each value a family's block lists under
    ``keys`` that the config's own list of that name lacks."""
    block = config.get(block_key) or {}
    return [
        f"config key '{block_key}.{key}': {value} is not among the config's {key} "
        f"({', '.join(map(str, config[key]))})"
        for key in keys
        for value in block.get(key) or []
        if value not in config[key]
    ]


@dataclass(frozen=True)
class Family:
    """One method family and everything the workflow asks it.

    ``units(config)`` lists every training unit of the configured grid, as the
    wildcards of its training rule; ``corpora(config)`` every (task, language,
    split) the family reads; ``role(config, lang)`` what a language's real data
    is for (``train``, ``partitioned`` or None when the family does not use it);
    ``check(config)`` the family's config problems, each naming its key;
    ``config_languages(config)`` the languages its config block names, with
    their keys, so that unknown codes are reported where they were written;
    ``check_corpus(config, corpus, records)`` what the family cannot do with a
    preprocessed corpus (say, draw samples larger than it), checked with every
    corpus before any model trains.
    """

    name: str
    methods: tuple[str, ...]
    description: str
    units: Callable[[dict], list[dict]]
    corpora: Callable[[dict], list[Corpus]]
    role: Callable[[dict, str], str | None]
    config_key: str | None = None
    check: Callable[[dict], list[str]] = _nothing
    config_languages: Callable[[dict], Iterator[KeyedLanguage]] = _nothing
    check_corpus: Callable[[dict, Corpus, list[dict]], list[str]] = _no_corpus_problems

    def configured_methods(self, config: dict) -> list[str]:
        """This family's methods among ``config['methods']``, in config order."""
        return [m for m in config["methods"] if m in self.methods]

    def is_active(self, config: dict) -> bool:
        """Whether ``config['methods']`` names any of this family's methods."""
        return bool(self.configured_methods(config))
