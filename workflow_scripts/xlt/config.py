"""Config validation and the experiment grid.

The workflow validates its config here when the DAG is built, so that a typo
or a wrong type stops everything before any job runs, naming the key.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "config.schema.yaml"


EMBEDDED_KEYS = [
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_heads",
    "intermediate_size",
    "max_position",
    "pretrain",
]
PRETRAIN_KEYS = ["languages", "epochs", "batch_size", "learning_rate", "mask_probability", "seed"]
# The factorization family: trained per (subset, partition, seed) on held-out pairs.
FACTORIZATION_METHODS = ("pf_d", "pf_lr", "ls", "ns", "jm", "bea")
# Feature sets of synthetic languages (xlt.synthetic.typology_record).
SYNTHETIC_FEATURE_SETS = ("syntax", "morphology", "lexical")


class ConfigError(ValueError):
    """An invalid configuration; the message names the offending key."""


def _key(path) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p}]" if isinstance(p, int) else ("." if parts else "") + str(p))
    return "".join(parts) or "<top level>"


def _explain(error: jsonschema.ValidationError) -> str:
    where = _key(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        msgs = []
        for name in extra:
            full = f"{where}.{name}" if error.absolute_path else name
            hint = difflib.get_close_matches(name, allowed, n=1)
            tip = f" (did you mean '{hint[0]}'?)" if hint else ""
            msgs.append(f"config key '{full}' is not allowed{tip}; allowed: {', '.join(allowed)}")
        return "; ".join(msgs)
    if error.validator == "required":
        return f"config key '{where}' misses a required key: {error.message}"
    return f"config key '{where}': {error.message}"


def _fill_defaults(instance, schema, root):
    """Insert schema defaults for absent keys (recursively, objects only)."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        schema = root["$defs"][name]
    if not isinstance(instance, dict):
        return
    for name, sub in schema.get("properties", {}).items():
        if name not in instance and "default" in sub:
            instance[name] = copy.deepcopy(sub["default"])
        if name in instance:
            _fill_defaults(instance[name], sub, root)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for name, value in instance.items():
            if name not in schema.get("properties", {}):
                _fill_defaults(value, extra, root)


def load_schema(path=SCHEMA_PATH) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def validate_config(config: dict, schema: dict | None = None) -> dict:
    """Return a validated copy of ``config`` with defaults filled in.

    Raises ConfigError listing every problem, each naming its config key.
    """
    schema = schema or load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ConfigError("invalid config:\n  " + "\n  ".join(_explain(e) for e in errors))
    config = copy.deepcopy(config)
    _fill_defaults(config, schema, schema)
    _check_semantics(config)
    return config


def _check_semantics(config: dict) -> None:
    problems = []
    if config["data"]["source"] == "real":
        problems += _check_real(config)
    if config["data"]["source"] == "synthetic":
        synthetic = config.get("synthetic")
        if synthetic is None:
            raise ConfigError("config key 'synthetic' is required when data.source is synthetic")
        known = set(synthetic["languages"])
        if synthetic["source"] not in known:
            problems.append(
                f"config key 'synthetic.source': '{synthetic['source']}' is not one of "
                f"synthetic.languages ({', '.join(sorted(known))})"
            )
        for key, code in _grid_languages(config):
            if code not in known:
                problems.append(
                    f"config key '{key}': unknown language '{code}' (not in synthetic.languages)"
                )
    if config["encoder"]["name"] == "embedded":
        problems += _check_embedded(config)
    problems += _check_factorization(config)
    if problems:
        raise ConfigError("invalid config:\n  " + "\n  ".join(problems))


def _grid_languages(config: dict):
    """(config key, code) of every language the grid names."""
    for i, group in enumerate(config["languages"]["sources"]):
        for j, code in enumerate(group):
            yield f"languages.sources[{i}][{j}]", code
    for i, code in enumerate(config["languages"]["targets"]):
        yield f"languages.targets[{i}]", code
    factorization = config.get("factorization")
    # A factorization block only counts when a method of the family runs: an
    # overlay config with methods [zero_shot] inherits the default's block.
    if factorization and any(m in FACTORIZATION_METHODS for m in config["methods"]):
        for i, code in enumerate(factorization["languages"]):
            yield f"factorization.languages[{i}]", code
        if "largest_source" in factorization:
            yield "factorization.largest_source", factorization["largest_source"]


def _check_real(config: dict) -> list[str]:
    from .language_codes import load_codes
    from .uriel import FEATURE_SETS as URIEL_SETS

    data = config["data"]
    data.setdefault("ud", {})
    data.setdefault("ner", {})
    schema = load_schema()["properties"]["data"]["properties"]
    _fill_defaults(data["ud"], schema["ud"], schema)
    _fill_defaults(data["ner"], schema["ner"], schema)
    table = load_codes().set_index("code")
    problems = []
    for key, code in _grid_languages(config):
        if code not in table.index:
            problems.append(
                f"config key '{key}': unknown language '{code}' "
                "(not in metadata/language_codes.tsv)"
            )
        elif "ner" in config["tasks"] and not table.loc[code, "wikiann"]:
            problems.append(f"config key '{key}': language '{code}' has no WikiANN code for ner")
    if data["ner"]["source"] == "unsplit" and not data["ner"]["local_dir"]:
        problems.append(
            "config key 'data.ner.local_dir' is required when data.ner.source is unsplit"
        )
    for i, name in enumerate(config["languages"]["distance_features"]):
        if name not in URIEL_SETS:
            problems.append(
                f"config key 'languages.distance_features[{i}]': '{name}' is not a URIEL "
                f"feature set of real languages ({', '.join(URIEL_SETS)})"
            )
    return problems


def _check_embedded(config: dict) -> list[str]:
    embedded = config["encoder"].get("embedded")
    if embedded is None:
        return ["config key 'encoder.embedded' is required when encoder.name is embedded"]
    missing = [k for k in EMBEDDED_KEYS if k not in embedded]
    missing += [f"pretrain.{k}" for k in PRETRAIN_KEYS if k not in embedded.get("pretrain", {})]
    if missing:
        return [f"config key 'encoder.embedded' misses: {', '.join(missing)}"]
    if config["data"]["source"] == "real":
        from .language_codes import codes

        known, where = set(codes()), "metadata/language_codes.tsv"
    else:
        known, where = set(config.get("synthetic", {}).get("languages", {})), "synthetic.languages"
    return [
        f"config key 'encoder.embedded.pretrain.languages[{i}]': no raw text for '{code}' "
        f"(not in {where})"
        for i, code in enumerate(embedded["pretrain"]["languages"])
        if code not in known
    ]


def _check_factorization(config: dict) -> list[str]:
    methods = [m for m in config["methods"] if m in FACTORIZATION_METHODS]
    factorization = config.get("factorization")
    if not methods:
        return []
    if factorization is None:
        return [f"config key 'factorization' is required by methods {', '.join(methods)}"]
    problems = []
    if len(config["tasks"]) < 2:
        problems.append(
            "config key 'tasks': the factorization methods need at least two tasks "
            "(a held-out pair's language must be seen in another task)"
        )
    languages = factorization["languages"]
    source = factorization.get("largest_source")
    if "ls" in methods and source is None:
        problems.append("config key 'factorization.largest_source' is required by method ls")
    if source is not None and source in languages:
        problems.append(
            f"config key 'factorization.largest_source': '{source}' is also one of "
            "factorization.languages; LS would be trained on held-out pairs"
        )
    encoder = config["encoder"]
    frozen_layers = factorization["jm_frozen_layers"]
    if (
        factorization["encoder"] == "fine_tuned"
        and "jm" in methods
        and encoder["name"] == "embedded"
        and frozen_layers > encoder["embedded"]["num_layers"]
    ):
        problems.append(
            f"config key 'factorization.jm_frozen_layers': {frozen_layers} layers to freeze, "
            f"but encoder.embedded.num_layers is {encoder['embedded']['num_layers']}"
        )
    for i, size in enumerate(factorization["subsets"]["sizes"]):
        if size > len(languages):
            problems.append(
                f"config key 'factorization.subsets.sizes[{i}]': {size} is more than the "
                f"{len(languages)} factorization.languages"
            )
    if config["data"]["source"] == "real":
        from .uriel import FEATURE_SETS as known_sets
    else:
        known_sets = SYNTHETIC_FEATURE_SETS
    for i, name in enumerate(factorization["similarity_features"]):
        if name not in known_sets:
            problems.append(
                f"config key 'factorization.similarity_features[{i}]': unknown feature set "
                f"'{name}' ({', '.join(known_sets)})"
            )
    return problems


def factorization_methods(config: dict, subset: str = "all") -> list[str]:
    """Methods of the factorization family run on ``subset`` (Table 2 subsets run fewer)."""
    methods = [m for m in config["methods"] if m in FACTORIZATION_METHODS]
    if subset != "all":
        methods = [m for m in methods if m in config["factorization"]["subsets"]["methods"]]
    return methods


def factorization_subsets(config: dict) -> list[str]:
    """``all`` (every factorization language) plus similar<N> / different<N> per size."""
    if not factorization_methods(config):
        return []
    sizes = config["factorization"]["subsets"]["sizes"]
    return ["all"] + [f"{kind}{size}" for size in sizes for kind in ("similar", "different")]


def factorization_units(config: dict) -> list[dict]:
    """Every (method, subset, partition, seed) that is trained and evaluated."""
    if not factorization_methods(config):
        return []
    count = config["factorization"]["partitions"]["count"]
    return [
        {"method": m, "subset": subset, "partition": p, "seed": seed}
        for subset in factorization_subsets(config)
        for m in factorization_methods(config, subset)
        for p in range(1, count + 1)
        for seed in config["seeds"]
    ]


def factorization_languages(config: dict) -> list[str]:
    """Languages whose corpora and encoder vectors the factorization family needs."""
    factorization = config.get("factorization")
    if not factorization_methods(config):
        return []
    langs = list(factorization["languages"])
    if "ls" in config["methods"]:
        langs.append(factorization["largest_source"])
    return langs


def source_id(languages) -> str:
    """Name of a source set in paths: languages joined by '+', in config order."""
    return "+".join(languages)


def source_languages(source: str) -> list[str]:
    return source.split("+")


def training_units(config: dict) -> list[dict]:
    """Every (method, task, source set, seed) of the zero-shot grid."""
    return [
        {"method": m, "task": t, "source": source_id(s), "seed": seed}
        for m in config["methods"]
        if m == "zero_shot"
        for t in config["tasks"]
        for s in config["languages"]["sources"]
        for seed in config["seeds"]
    ]


def corpus_languages(config: dict) -> list[str]:
    """Every language whose corpora the grid reads (sources and targets)."""
    langs = [code for group in config["languages"]["sources"] for code in group]
    langs += config["languages"]["targets"]
    langs += factorization_languages(config)
    return list(dict.fromkeys(langs))
