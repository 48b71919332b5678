"""Config checks of the factorization family (the schema checks types and keys)."""

from __future__ import annotations

from xlt.families.base import grid_subset, grid_subset_problems
from xlt.families.factorization.methods import NEEDS_LARGEST_SOURCE, configured_methods

# Feature sets of synthetic languages (xlt.data.sources.synthetic.typology_record).
SYNTHETIC_FEATURE_SETS = ("syntax", "morphology", "lexical")


def config_languages(config: dict):
    """(config key, code) of every language the family's block names; a block
    only counts when a method of the family runs (an overlay config with methods
    [zero_shot] inherits the default's block)."""
    if not configured_methods(config):
        return
    factorization = config["factorization"]
    for i, code in enumerate(factorization["languages"]):
        yield f"factorization.languages[{i}]", code
    for i, code in enumerate(factorization.get("always_seen") or []):
        yield f"factorization.always_seen[{i}]", code
    if "largest_source" in factorization:
        yield "factorization.largest_source", factorization["largest_source"]


def family_tasks(config: dict) -> list[str]:
    """The configured tasks the family runs (``factorization.tasks``, default every
    task of the config) with a label per word (its classifiers are linear heads
    on word vectors, as in the paper); parsing and sentence-level tasks are left
    to the other families."""
    from xlt import tasks

    chosen = grid_subset(config, "factorization", "tasks")
    return [task for task in chosen if tasks.get(task).kind == "tagging"]


def check(config: dict) -> list[str]:
    """Problems of the family's config block, each naming its key."""
    methods = configured_methods(config)
    factorization = config.get("factorization")
    if not methods:
        return []
    if factorization is None:
        return [f"config key 'factorization' is required by methods {', '.join(methods)}"]
    problems = grid_subset_problems(config, "factorization", keys=("tasks",))
    if len(family_tasks(config)) < 2:
        problems.append(
            "config key 'tasks' (or 'factorization.tasks'): the factorization methods need "
            "at least two tagging tasks (pos, ner: a held-out pair's language must be seen "
            "in another task)"
        )
    languages = factorization["languages"]
    source = factorization.get("largest_source")
    if NEEDS_LARGEST_SOURCE in methods and source is None:
        problems.append(
            "config key 'factorization.largest_source' is required by method "
            f"{NEEDS_LARGEST_SOURCE}"
        )
    if source is not None and source in languages:
        problems.append(
            f"config key 'factorization.largest_source': '{source}' is also one of "
            "factorization.languages; LS would be trained on held-out pairs"
        )
    for i, code in enumerate(factorization.get("always_seen") or []):
        if code in languages:
            problems.append(
                f"config key 'factorization.always_seen[{i}]': '{code}' is also one of "
                "factorization.languages; a language is either partitioned or always seen"
            )
    problems += _check_frozen_layers(config, methods)
    for i, size in enumerate(factorization["subsets"]["sizes"]):
        if size > len(languages):
            problems.append(
                f"config key 'factorization.subsets.sizes[{i}]': {size} is more than the "
                f"{len(languages)} factorization.languages"
            )
    if config["data"]["source"] == "real":
        from xlt.languages.uriel import FEATURE_SETS as known_sets
    else:
        known_sets = SYNTHETIC_FEATURE_SETS
    for i, name in enumerate(factorization["similarity_features"]):
        if name not in known_sets:
            problems.append(
                f"config key 'factorization.similarity_features[{i}]': unknown feature set "
                f"'{name}' ({', '.join(known_sets)})"
            )
    return problems


def _check_frozen_layers(config: dict, methods: list[str]) -> list[str]:
    """JM (fine-tuned) cannot freeze more layers than the embedded encoder has."""
    factorization, encoder = config["factorization"], config["encoder"]
    frozen_layers = factorization["jm_frozen_layers"]
    if (
        factorization["encoder"] == "fine_tuned"
        and "jm" in methods
        and encoder["name"] == "embedded"
        and frozen_layers > encoder["embedded"]["num_layers"]
    ):
        return [
            f"config key 'factorization.jm_frozen_layers': {frozen_layers} layers to freeze, "
            f"but encoder.embedded.num_layers is {encoder['embedded']['num_layers']}"
        ]
    return []
