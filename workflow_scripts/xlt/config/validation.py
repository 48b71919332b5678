"""Config validation and the experiment grid.

The workflow validates its config here when the DAG is built, so that a typo
or a wrong type stops everything before any job runs, naming the key.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
from pathlib import Path

import jsonschema
import yaml

from xlt import tasks as task_registry
from xlt.core.paths import SCHEMAS
from xlt.families.registry import active_families

SCHEMA_PATH = SCHEMAS / "config.schema.yaml"


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


class ConfigError(ValueError):
    """An invalid configuration; the message names the offending key."""


def _key(path) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p}]" if isinstance(p, int) else ("." if parts else "") + str(p))
    return "".join(parts) or "<top level>"


def _explain(error: jsonschema.ValidationError) -> str:
    where = _key(error.absolute_path)
    if error.validator == "oneOf" and error.context:
        # the alternatives of the value's own type say what is wrong with it
        relevant = [e for e in error.context if e.validator != "type"]
        if relevant:
            return "; ".join(dict.fromkeys(_explain(e) for e in relevant))
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
    if error.validator == "uniqueItems":
        return f"config key '{where}': {_repeats(error.instance, where)}"
    if error.validator == "type" and _number_as_text(error.instance):
        mantissa, exponent = error.instance.lower().split("e")
        written = f"{float(mantissa)}e{int(exponent)}"
        return (
            f"config key '{where}': {error.message} (YAML reads '{error.instance}' as text: "
            f"a number in exponent notation needs a decimal point, write {written})"
        )
    return f"config key '{where}': {error.message}"


def _number_as_text(value) -> bool:
    """A string such as '1e-3' that YAML 1.1 (PyYAML) does not read as a number."""
    if not isinstance(value, str) or "e" not in value.lower():
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _repeats(items: list, where: str) -> str:
    """'X is listed 2 times (key[i], key[j])' for every repeated item of a list."""
    positions: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        positions.setdefault(json.dumps(item, sort_keys=True), []).append(i)
    repeated = [
        f"{item} is listed {len(at)} times ({', '.join(f'{where}[{i}]' for i in at)})"
        for item, at in positions.items()
        if len(at) > 1
    ]
    return "; ".join(repeated) + "; list each once"


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
    """The config schema: the core schema, each family's part under its config
    key, and the registry's methods as the allowed values of ``methods``."""
    from xlt.families.registry import FAMILIES, all_methods

    schema = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for family in FAMILIES.values():
        if family.config_key:
            part = Path(path).parent / f"{family.config_key}.schema.yaml"
            schema["properties"][family.config_key] = yaml.safe_load(
                part.read_text(encoding="utf-8")
            )
    schema["properties"]["methods"]["items"] = {"enum": all_methods()}
    return schema


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
    _expand_sources(config["languages"])
    _check_semantics(config)
    return config


def _expand_sources(languages: dict) -> None:
    """``sources: each``: every target language is the single source of its own set
    (in the targets' order; with a list per task, every language of any list)."""
    if languages["sources"] != "each":
        return
    targets = languages["targets"]
    codes = (
        [t for group in targets.values() for t in group] if isinstance(targets, dict) else targets
    )
    languages["sources"] = [[code] for code in dict.fromkeys(codes)]


def _check_semantics(config: dict) -> None:
    problems = list(_not_finite(config))
    problems += _repeated_source_sets(config["languages"]["sources"])
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
        problems += [
            f"config key 'tasks[{i}]': {task} reads the CoNLL-2002/2003 files, which the "
            "synthetic benchmark does not generate; set data.source: real (see data.conll)"
            for i, task in enumerate(config["tasks"])
            if task_registry.get(task).corpus == "conll"
        ]
    if config["encoder"]["name"] == "embedded":
        problems += _check_embedded(config)
    else:
        problems += _check_encoder_name(config["encoder"]["name"], _runs_an_encoder(config))
    for family in active_families(config):
        problems += family.check(config)
    if problems:
        raise ConfigError("invalid config:\n  " + "\n  ".join(problems))


def _not_finite(value, path=()):
    """A problem for every NaN or infinite number anywhere in the config (YAML's
    .nan / .inf pass the schema's type checks and would train nonsense)."""
    if isinstance(value, float) and not math.isfinite(value):
        yield f"config key '{_key(path)}': {value} is not a finite number"
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _not_finite(item, (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _not_finite(item, (*path, i))


def _repeated_source_sets(sources: list[list[str]]) -> list[str]:
    """A source set listed again in another order is the same training data."""
    first, problems = {}, []
    for i, group in enumerate(sources):
        key = frozenset(group)
        if key in first:
            problems.append(
                f"config key 'languages.sources[{i}]': {group} is the source set "
                f"languages.sources[{first[key]}] again (the same languages in another order)"
            )
        else:
            first[key] = i
    return problems


def _grid_languages(config: dict):
    """(config key, code) of every language the grid names."""
    for i, group in enumerate(config["languages"]["sources"]):
        for j, code in enumerate(group):
            yield f"languages.sources[{i}][{j}]", code
    targets = config["languages"]["targets"]
    if isinstance(targets, dict):
        for task, codes in targets.items():
            for i, code in enumerate(codes):
                yield f"languages.targets.{task}[{i}]", code
    else:
        for i, code in enumerate(targets):
            yield f"languages.targets[{i}]", code
    for family in active_families(config):
        if not family.config_key or config.get(family.config_key) is not None:
            yield from family.config_languages(config)


def _check_real(config: dict) -> list[str]:
    from xlt.languages.codes import load_codes

    data = config["data"]
    root = load_schema()
    schema = root["properties"]["data"]["properties"]
    for block in ("ud", "ner", "conll", "xnli", "sentiment", "qa"):
        data.setdefault(block, {})
        _fill_defaults(data[block], schema[block], root)
    table = load_codes().set_index("code")
    problems = []
    for key, code in _grid_languages(config):
        if code not in table.index:
            problems.append(
                f"config key '{key}': unknown language '{code}' "
                "(not in metadata/language_codes.tsv)"
            )
    problems += _data_gaps(config, set(table.index))
    from xlt.data.sources.registry import SOURCES, for_task

    used = {for_task(task).kind for task in config["tasks"]}
    for source in SOURCES.values():
        problems += source.check(data[source.config_key], source.kind in used)
    return problems + _feature_set_problems(config, table)


def _feature_set_problems(config: dict, table) -> list[str]:
    """URIEL feature sets and language codes named by the transfer analysis."""
    from xlt.languages.uriel import SET_LABELS as URIEL_SETS
    from xlt.languages.uriel import uriel_languages

    problems = []
    for i, name in enumerate(config["languages"]["distance_features"]):
        if name not in URIEL_SETS:
            problems.append(
                f"config key 'languages.distance_features[{i}]': '{name}' is not a URIEL "
                f"feature set of real languages ({', '.join(URIEL_SETS)})"
            )
    for variant, sets in (config.get("zero_shot", {}).get("feature_variants") or {}).items():
        for i, name in enumerate(sets):
            if name not in URIEL_SETS:
                problems.append(
                    f"config key 'zero_shot.feature_variants.{variant}[{i}]': '{name}' is not "
                    f"a URIEL feature set of real languages ({', '.join(URIEL_SETS)})"
                )
    for variant, codes in (config.get("zero_shot", {}).get("code_variants") or {}).items():
        for code, iso in codes.items():
            key = f"config key 'zero_shot.code_variants.{variant}.{code}'"
            if code not in table.index:
                problems.append(f"{key}: unknown language '{code}' (not in "
                                "metadata/language_codes.tsv)")  # fmt: skip
            elif iso not in uriel_languages():
                problems.append(f"{key}: lang2vec/URIEL has no language '{iso}'")
    return problems


def _data_gaps(config: dict, known: set[str]) -> list[str]:
    """Languages a task cannot use: every corpus the grid reads must exist (a
    source's training data, a target in a task's own list, a family's
    languages). Targets of one shared list are skipped where a task lacks their
    data instead: the zero-shot family logs and records it."""
    from xlt.data.real_data import data_gap
    from xlt.families.registry import needed_corpora

    problems = []
    targets = config["languages"]["targets"]
    if isinstance(targets, dict):
        problems += [
            f"config key 'languages.targets.{task}': {task} is not one of the tasks "
            f"({', '.join(config['tasks'])})"
            for task in targets
            if task not in config["tasks"]
        ]
        problems += [
            f"config key 'languages.targets': no targets for task {task}"
            for task in config["tasks"]
            if not targets.get(task)
        ]
        if problems:
            return problems
    keys: dict[tuple[str | None, str], str] = {}
    for key, code in _grid_languages(config):
        task = key.split(".")[2].split("[")[0] if key.startswith("languages.targets.") else None
        keys.setdefault((task, code), key)
    reported = set()
    for task, lang, split in needed_corpora(config):
        if lang not in known or (task, lang) in reported:
            continue
        gap = data_gap(task, lang, split, config["data"])
        if gap:
            reported.add((task, lang))
            key = keys.get((task, lang)) or keys.get((None, lang), "languages")
            problems.append(f"config key '{key}': {gap}, so {task} cannot use it")
    return problems


def _runs_an_encoder(config: dict) -> bool:
    """Whether the grid runs the encoder: every use of it reads corpora, but the
    survey's translation of parallel text; a grid of published scores reads none."""
    from xlt.families.registry import needed_corpora

    survey = config.get("survey") or {}
    translation = "survey" in config["methods"] and "translation" in (
        survey.get("analyses") or ["translation"]
    )
    try:
        return translation or bool(needed_corpora(config))
    except (KeyError, ValueError):  # a config the other checks refuse: assume it does
        return True


def _check_encoder_name(name: str, runs: bool = True) -> list[str]:
    """A name that looks like a path must be an existing directory (it is never
    sent to the hub as a model id); a packaged encoder's packages must be
    installed unless its directory is built; anything else must be a hub id,
    and one the hub can serve unless it is downloaded or the grid (``runs``)
    never runs the encoder."""
    from xlt.encoders.locations import encoder_directory, hub_slug, is_local_encoder
    from xlt.encoders.packaged import ENCODERS, package_file, packaged_name

    try:
        packaged = packaged_name(name)
    except ValueError as error:
        return [str(error)]
    if packaged:
        if Path(encoder_directory(name, "")).is_dir():
            return []
        spec = ENCODERS[packaged]
        try:
            package_file(*spec.weights, spec.install)
            package_file(*spec.tokenizer, spec.install)
        except FileNotFoundError as error:
            return [f"config key 'encoder.name': {name}: {error}"]
        return []

    if is_local_encoder(name):
        if not Path(name).expanduser().is_dir():
            return [f"config key 'encoder.name': local encoder directory '{name}' does not exist"]
        return []
    try:
        slug = hub_slug(name)
    except ValueError as error:
        return [str(error)]
    if Path("resources/encoders", slug).is_dir() or not runs:  # downloaded, or not needed
        return []
    from xlt.encoders.loading import hub_unreachable

    why = hub_unreachable()
    if why:
        return [
            f"config key 'encoder.name': '{name}' is not a local directory (no folder "
            f"'{name}' here) and not downloaded yet (resources/encoders/{slug}), and the hub "
            f"cannot be reached ({why}): name a model directory, or run once with network"
        ]
    return []


def _check_embedded(config: dict) -> list[str]:
    embedded = config["encoder"].get("embedded")
    if embedded is None:
        return ["config key 'encoder.embedded' is required when encoder.name is embedded"]
    missing = [k for k in EMBEDDED_KEYS if k not in embedded]
    missing += [f"pretrain.{k}" for k in PRETRAIN_KEYS if k not in embedded.get("pretrain", {})]
    if missing:
        return [f"config key 'encoder.embedded' misses: {', '.join(missing)}"]
    problems = []
    if embedded["hidden_size"] % embedded["num_heads"]:
        problems.append(
            f"config key 'encoder.embedded.num_heads': {embedded['num_heads']} heads do not "
            f"divide hidden_size {embedded['hidden_size']} (each head takes an equal share)"
        )
    lengths = {"encoder.max_length": config["encoder"]["max_length"]}
    for task in config["tasks"]:
        own = config.get("task_options", {}).get(task, {}).get("max_length")
        if own:
            lengths[f"task_options.{task}.max_length"] = own
    problems += [
        f"config key '{key}': {length} subwords exceed the embedded encoder's "
        f"max_position {embedded['max_position']}"
        for key, length in lengths.items()
        if length > embedded["max_position"]
    ]
    if config["data"]["source"] == "real":
        from xlt.languages.codes import codes

        known, where = set(codes()), "metadata/language_codes.tsv"
    else:
        known, where = set(config.get("synthetic", {}).get("languages", {})), "synthetic.languages"
    return problems + [
        f"config key 'encoder.embedded.pretrain.languages[{i}]': no raw text for '{code}' "
        f"(not in {where})"
        for i, code in enumerate(embedded["pretrain"]["languages"])
        if code not in known
    ]
