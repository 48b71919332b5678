import copy

import pytest
import yaml
from snakemake.utils import update_config

from conftest import ROOT
from xlt.config import ConfigError, load_schema, validate_config
from xlt.families.factorization import family as factorization
from xlt.families.zero_shot.family import source_id, training_units


def test_default_config_is_valid_and_gets_defaults(default_config):
    config = validate_config(default_config)
    assert config["training"]["keep_checkpoints"] is False
    assert config["synthetic"]["languages"]["qaa"]["contractions"] is False


def test_misspelt_key_is_named_with_a_suggestion(default_config):
    config = copy.deepcopy(default_config)
    config["training"]["lerning_rate"] = 0.1
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    message = str(error.value)
    assert "training.lerning_rate" in message
    assert "did you mean 'learning_rate'" in message


def test_misspelt_top_level_key(default_config):
    config = copy.deepcopy(default_config)
    config["seed"] = config.pop("seeds")
    with pytest.raises(ConfigError, match="'seed' is not allowed.*did you mean 'seeds'"):
        validate_config(config)


def test_wrong_type_names_the_key(default_config):
    config = copy.deepcopy(default_config)
    config["training"]["epochs"] = "three"
    with pytest.raises(ConfigError, match=r"training\.epochs': 'three' is not of type 'integer'"):
        validate_config(config)


def test_wrong_enum_in_a_nested_language(default_config):
    config = copy.deepcopy(default_config)
    config["synthetic"]["languages"]["qab"]["word_order"] = "SVX"
    with pytest.raises(ConfigError, match=r"synthetic\.languages\.qab\.word_order"):
        validate_config(config)


def test_unknown_target_language(default_config):
    config = copy.deepcopy(default_config)
    config["languages"]["targets"].append("qzz")
    with pytest.raises(ConfigError, match=r"languages\.targets\[7\]': unknown language 'qzz'"):
        validate_config(config)


def test_unknown_task(default_config):
    config = copy.deepcopy(default_config)
    config["tasks"] = ["pos", "ner", "nli"]
    with pytest.raises(ConfigError, match=r"tasks\[2\]"):
        validate_config(config)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "languages.targets",
            ["qaa", "qab", "qaa"],
            "config key 'languages.targets': \"qaa\" is listed 2 times "
            "(languages.targets[0], languages.targets[2]); list each once",
        ),
        (
            "seeds",
            [1, 2, 1, 1],
            "config key 'seeds': 1 is listed 3 times (seeds[0], seeds[2], seeds[3])",
        ),
        ("tasks", ["pos", "ner", "pos"], "config key 'tasks': \"pos\" is listed 2 times"),
        ("methods", ["zero_shot", "ls", "ls"], "config key 'methods': \"ls\" is listed 2 times"),
        (
            "languages.sources",
            [["qaa"], ["qab"], ["qaa"]],
            "config key 'languages.sources': [\"qaa\"] is listed 2 times "
            "(languages.sources[0], languages.sources[2])",
        ),
        (
            "languages.sources",
            [["qaa", "qab"], ["qab", "qaa"]],
            "config key 'languages.sources[1]': ['qab', 'qaa'] is the source set "
            "languages.sources[0] again (the same languages in another order)",
        ),
    ],
)
def test_a_grid_entry_listed_twice_is_an_error_naming_key_and_positions(
    default_config, key, value, message
):
    # a repeated source set or seed would train the same models twice and report a
    # mean over "seeds" that are one run, with a false std of 0
    config = copy.deepcopy(default_config)
    section = config
    *parents, last = key.split(".")
    for part in parents:
        section = section[part]
    section[last] = value
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert message in str(error.value)


def _real(config: dict) -> dict:
    """The default config over real data (UD, WikiANN) for languages of the code table."""
    config = copy.deepcopy(config)
    config["data"] = {"source": "real"}
    config.pop("synthetic")
    config["languages"] = {
        "sources": [["en"]],
        "targets": ["de"],
        "distance_features": ["syntax_knn"],
    }
    config["methods"] = ["zero_shot"]
    config.pop("factorization")
    config["encoder"]["name"] = "bert-base-multilingual-cased"
    config["tasks"] = ["pos", "ner", "dep", "xnli", "qa"]  # sentiment has no download
    return config


def test_real_qa_targets_must_be_xquad_languages(default_config):
    config = _real(default_config)
    config["languages"]["targets"] = {task: ["de"] for task in config["tasks"]}
    config["languages"]["targets"]["qa"] = ["de", "fi"]
    with pytest.raises(ConfigError, match=r"'languages.targets.qa\[1\]': XQuAD has no 'fi'"):
        validate_config(config)


def test_real_local_qa_needs_its_directory(default_config):
    config = _real(default_config)
    config["data"]["qa"] = {"source": "local"}
    with pytest.raises(ConfigError, match="'data.qa.local_dir' is required"):
        validate_config(config)


def test_translated_xnli_training_sets_and_dev_rows_for_training_exclude_each_other(
    default_config,
):
    config = _real(default_config)
    config["data"]["xnli"] = {
        "eval_split": "dev", "train_from_dev": {"train": 150, "dev": 50}, "translated_train": True
    }  # fmt: skip
    with pytest.raises(ConfigError, match="'data.xnli.translated_train': training sets come from"):
        validate_config(config)


def test_a_task_input_longer_than_the_embedded_encoder_is_refused(default_config):
    config = copy.deepcopy(default_config)
    config["task_options"]["qa"]["max_length"] = 512
    with pytest.raises(
        ConfigError,
        match=r"'task_options.qa.max_length': 512 subwords exceed the embedded encoder's "
        r"max_position 128",
    ):
        validate_config(config)


def test_real_sentiment_needs_a_directory_of_sentences(default_config):
    config = _real(default_config)
    config["tasks"] = ["pos", "sentiment"]
    with pytest.raises(ConfigError, match="no labelled sentences: set data.sentiment.local_dir"):
        validate_config(config)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c["training"].update(learning_rate=float("nan")),
            "config key 'training.learning_rate': nan is not a finite number",
        ),
        (
            lambda c: c["factorization"]["model"].update(learning_rate=float("inf")),
            "config key 'factorization.model.learning_rate': inf is not a finite number",
        ),
        (
            lambda c: c["training"].update(learning_rate="1e-3"),
            "config key 'training.learning_rate': '1e-3' is not of type 'number' (YAML reads "
            "'1e-3' as text: a number in exponent notation needs a decimal point, write 1.0e-3)",
        ),
        (
            lambda c: c["encoder"]["embedded"].update(hidden_size=130, num_heads=4),
            "config key 'encoder.embedded.num_heads': 4 heads do not divide hidden_size 130",
        ),
        (
            lambda c: c["encoder"].update(name="./models/my-bert"),
            "config key 'encoder.name': local encoder directory './models/my-bert' does not exist",
        ),
        (
            # 'configs/' exists here: 'configs/my-bert' is a path, never a hub id
            lambda c: c["encoder"].update(name="configs/my-bert"),
            "config key 'encoder.name': local encoder directory 'configs/my-bert' does not exist",
        ),
        (
            lambda c: c["encoder"].update(name="not a hub id"),
            "config key 'encoder.name': 'not a hub id' is not a hub id or directory",
        ),
    ],
)
def test_values_that_cannot_work_fail_naming_the_key(default_config, change, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert message in str(error.value)


def test_a_ud_release_without_a_download_needs_a_local_directory(default_config, tmp_path):
    config = _real(default_config)
    validate_config(config)  # UD 2.4 by default: downloadable
    config["data"]["ud"] = {"version": "2.99"}
    with pytest.raises(
        ConfigError, match=r"'data\.ud\.version': no download known for UD release '2\.99'"
    ):
        validate_config(config)
    for name, code in (("English-EWT", "en_ewt"), ("German-GSD", "de_gsd")):
        treebank = tmp_path / f"UD_{name}"
        treebank.mkdir()
        for split in ("train", "dev", "test"):
            (treebank / f"{code}-ud-{split}.conllu").write_text("")
    config["data"]["ud"]["local_dir"] = str(tmp_path)
    validate_config(config)  # an extracted release the user has


def test_a_hub_id_is_not_taken_for_a_path(default_config, monkeypatch):
    monkeypatch.chdir(ROOT)
    config = copy.deepcopy(default_config)
    config["encoder"]["name"] = "FacebookAI/xlm-roberta-base"  # no such folder here
    validate_config(config)


def test_a_hub_id_the_hub_cannot_serve_fails_at_once_naming_the_key(
    default_config, monkeypatch, tmp_path
):
    import socket

    from xlt.encoders.loading import download_hub_encoder

    monkeypatch.chdir(tmp_path)  # no models/ folder: models/my-bert reads as a hub id
    config = copy.deepcopy(default_config)
    config["encoder"]["name"] = "models/my-bert"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert (
        "config key 'encoder.name': 'models/my-bert' is not a local directory (no folder "
        "'models/my-bert' here) and not downloaded yet (resources/encoders/models--my-bert), "
        "and the hub cannot be reached (HF_HUB_OFFLINE is set)"
    ) in str(error.value)
    with pytest.raises(ConnectionError, match=r"encoder\.name.*'models/my-bert'.*OFFLINE"):
        download_hub_encoder("models/my-bert", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    # online, but nothing listens at the endpoint: named with the host and port
    monkeypatch.delenv("HF_HUB_OFFLINE")
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(ConfigError, match=f"no connection to 127.0.0.1:{port} within 3 s"):
        validate_config(config)
    # a grid that never runs the encoder (published scores only) needs no hub
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    table = tmp_path / "scores.csv"
    table.write_text("experiment,method,task,source,target,score\np,z,pos,qaa,qab,50\n")
    published = {**copy.deepcopy(config), "methods": ["zero_shot"]}
    published["zero_shot"] = {"published_scores": str(table)}
    validate_config(published)
    # downloaded before: no probe, offline or not
    (tmp_path / "resources/encoders/models--my-bert").mkdir(parents=True)
    validate_config(config)


def test_grid_of_training_units(default_config):
    config = validate_config(default_config)
    config["languages"]["sources"] = [["qaa"], ["qaa", "qab"]]
    config["seeds"] = [1, 2]
    units = training_units(config)
    assert len(units) == 1 * 6 * 2 * 2  # methods x tasks x sources x seeds
    assert {u["source"] for u in units} == {"qaa", "qaa+qab"}
    assert source_id(["qab", "qaa"]) == "qab+qaa"


def test_factorization_grid_of_the_default(default_config):
    config = validate_config(default_config)
    # the similar/different subsets are off in the default: 6 methods on all
    # languages, 2 partitions, 1 seed
    assert factorization.subset_names(config) == ["all"]
    assert len(factorization.units(config)) == 6 * 2 * 1
    # with subsets of 4 languages, PF-lr trains on each of the two as well
    config["factorization"]["subsets"]["sizes"] = [4]
    assert factorization.subset_names(config) == ["all", "similar4", "different4"]
    units = factorization.units(config)
    assert len(units) == (6 + 2) * 2 * 1
    assert {u["method"] for u in units if u["subset"] != "all"} == {"pf_lr"}
    # the zero-shot grid is unchanged by the factorization methods
    assert {u["method"] for u in training_units(config)} == {"zero_shot"}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda c: c.pop("factorization"), "'factorization' is required by methods pf_d"),
        (
            lambda c: c["factorization"].update(largest_source="qab"),
            "'factorization.largest_source': 'qab' is also one of factorization.languages",
        ),
        (
            lambda c: c["factorization"]["languages"].append("qzz"),
            r"'factorization.languages\[6\]': unknown language 'qzz'",
        ),
        (
            lambda c: c["factorization"].update(subsets={"sizes": [9]}),
            r"'factorization.subsets.sizes\[0\]': 9 is more than the 6",
        ),
        (
            # codespell:ignore-next-line
            lambda c: c["factorization"].update(similarity_features=["syntaks"]),
            r"'factorization.similarity_features\[0\]': unknown feature set 'syntaks'",
        ),
        (lambda c: c.update(tasks=["pos"]), "need at least two tagging tasks"),
        (lambda c: c.update(tasks=["pos", "dep"]), "need at least two tagging tasks"),
        (
            lambda c: c["factorization"].update(tasks=["pos"]),
            "'tasks' \\(or 'factorization.tasks'\\).*need at least two tagging tasks",
        ),
        (
            lambda c: c["factorization"].update(tasks=["pos", "ner", "conll_ner"]),
            "'factorization.tasks': conll_ner is not among the config's tasks",
        ),
        (
            lambda c: c["factorization"].update(encoder="finetuned"),
            "'factorization.encoder'.*'finetuned' is not one of",
        ),
        (
            lambda c: c["factorization"].update(encoder="fine_tuned", jm_frozen_layers=3),
            "'factorization.jm_frozen_layers': 3 layers to freeze, but "
            "encoder.embedded.num_layers is 2",
        ),
        (
            lambda c: c["factorization"]["model"].update(rnak=3),
            "'factorization.model.rnak' is not allowed.*did you mean 'rank'",
        ),
    ],
)
def test_factorization_config_errors_name_the_key(default_config, change, message):
    config = copy.deepcopy(default_config)
    change(config)
    with pytest.raises(ConfigError, match=message):
        validate_config(config)


def test_factorization_tasks_keep_the_tagging_tasks_the_block_lists(default_config):
    from xlt.families.factorization.config import family_tasks

    config = copy.deepcopy(default_config)
    assert family_tasks(config) == ["pos", "ner"]  # the default's tagging tasks
    config["factorization"]["tasks"] = ["ner"]
    assert family_tasks(config) == ["ner"]


# --------------------------------------------------------------------------
# The schema (core and family parts), config.yaml and configs/*.yaml agree.
# Pre-commit runs these when a schema or a config changes.


def _resolve(node: dict, schema: dict) -> dict:
    """A schema node with a local ``$ref`` replaced by the definition it names."""
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _keys_outside_schema(value, node: dict, schema: dict, where: str) -> list[str]:
    """Keys of ``value`` (recursively) that ``node`` does not declare."""
    node = _resolve(node, schema)
    problems = []
    if isinstance(value, dict):
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        for key, sub in value.items():
            path = f"{where}.{key}" if where else key
            if key in properties:
                problems += _keys_outside_schema(sub, properties[key], schema, path)
            elif isinstance(extra, dict):  # a mapping such as synthetic.languages
                problems += _keys_outside_schema(sub, extra, schema, path)
            elif key in node.get("propertyNames", {}).get("enum", []):  # man_moe.per_task.*
                continue
            else:
                problems.append(f"'{path}' is in config.yaml but not in the schema")
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(value):
            problems += _keys_outside_schema(item, node["items"], schema, f"{where}[{i}]")
    return problems


def _required_keys_missing(value, node: dict, schema: dict, where: str) -> list[str]:
    """Required keys without a default (recursively, in objects ``value`` has) that
    ``value`` lacks; and required keys with a default, which can never apply."""
    node = _resolve(node, schema)
    if not isinstance(value, dict):
        return []
    problems = []
    properties = node.get("properties", {})
    for key in node.get("required", []):
        path = f"{where}.{key}" if where else key
        sub = _resolve(properties.get(key, {}), schema)
        if "default" in properties.get(key, {}) or "default" in sub:
            problems.append(f"'{path}' is required and has a default that can never apply")
        elif key not in value:
            problems.append(f"'{path}' is required, has no default and is not in config.yaml")
    for key, sub in value.items():
        path = f"{where}.{key}" if where else key
        if key in properties:
            problems += _required_keys_missing(sub, properties[key], schema, path)
        elif isinstance(node.get("additionalProperties"), dict):
            problems += _required_keys_missing(sub, node["additionalProperties"], schema, path)
    return problems


def test_schema_and_default_config_agree(default_config):
    schema = load_schema()
    # every family part in schemas/ is merged in, under its config key
    parts = {p.name.removesuffix(".schema.yaml") for p in (ROOT / "schemas").glob("*.schema.yaml")}
    assert parts - {"config"} <= set(schema["properties"]), "a schema part is not merged"
    assert "factorization" in default_config, "config.yaml lost the factorization block"

    problems = _keys_outside_schema(default_config, schema, schema, "")
    problems += _required_keys_missing(default_config, schema, schema, "")
    assert not problems, "schemas/ and config.yaml disagree:\n  " + "\n  ".join(problems)
    validate_config(default_config, schema)


def test_schema_and_default_config_check_catches_drift(default_config):
    schema = load_schema()
    config = copy.deepcopy(default_config)
    config["factorization"]["model"]["bogus"] = 1
    del config["training"]["epochs"]
    schema["properties"]["training"]["properties"]["learning_rate"]["default"] = 0.1
    assert _keys_outside_schema(config, schema, schema, "") == [
        "'factorization.model.bogus' is in config.yaml but not in the schema"
    ]
    assert _required_keys_missing(config, schema, schema, "") == [
        "'training.epochs' is required, has no default and is not in config.yaml",
        "'training.learning_rate' is required and has a default that can never apply",
    ]


CONFIG_FILES = sorted((ROOT / "configs").glob("*.yaml")) + sorted(
    (ROOT / "configs" / "test").glob("*.yaml")
)


CONFIG_IDS = [str(p.relative_to(ROOT / "configs")) for p in CONFIG_FILES]


@pytest.mark.parametrize("path", CONFIG_FILES, ids=CONFIG_IDS)
def test_config_file_validates_over_default_config(default_config, path):
    """``snakemake --configfile configs/X.yaml`` layers X over config.yaml:
    nested mappings merge, every other value replaces."""
    config = copy.deepcopy(default_config)
    update_config(config, yaml.safe_load(path.read_text(encoding="utf-8")))
    validate_config(config)


def test_published_scores_must_exist_and_name_their_experiments(default_config, tmp_path):
    config = copy.deepcopy(default_config)
    config["methods"] = ["zero_shot"]  # few_shot would need trained zero-shot models
    config["zero_shot"] = {"published_scores": str(tmp_path / "none.csv")}
    with pytest.raises(ConfigError, match=r"'zero_shot.published_scores': .*none.csv does not"):
        validate_config(config)
    table = tmp_path / "scores.csv"
    table.write_text("experiment,method,task,source,target\npaper,zero_shot,pos,qaa,qab\n")
    config["zero_shot"] = {"published_scores": str(table)}
    with pytest.raises(ConfigError, match=r"lacks the column\(s\) score"):
        validate_config(config)
    table.write_text("# a comment\nexperiment,method,task,source,target,score\np,z,pos,a,b,1\n")
    config["zero_shot"] = {"published_scores": str(table), "sizes": {"p": "mbert"}}
    with pytest.raises(ConfigError, match=r"has language\(s\) a, b that languages.sources"):
        validate_config(config)
    table.write_text("experiment,method,task,source,target,score\np,z,pos,qaa,qab,1\n")
    config["zero_shot"]["sizes"] = {"paper": "mbert"}
    with pytest.raises(ConfigError, match=r"'zero_shot.sizes.paper': no experiment 'paper'"):
        validate_config(config)
    config["zero_shot"]["sizes"] = {"p": "mbert"}
    assert validate_config(config)["zero_shot"]["size_measures"] == {}


def test_a_named_data_directory_that_is_not_there_is_named(default_config, tmp_path):
    config = _real(default_config)
    config["data"]["ud"] = {"local_dir": str(tmp_path / "ud-2.4")}
    config["data"]["xnli"] = {"source": "local", "local_dir": str(tmp_path / "xnli")}
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    problems = str(error.value)
    assert f"config key 'data.ud.local_dir': no directory {tmp_path / 'ud-2.4'}" in problems
    assert f"config key 'data.xnli.local_dir': no directory {tmp_path / 'xnli'}" in problems
    # a grid without a UD task does not read data.ud at all
    config["tasks"] = ["ner"]
    config["data"].pop("xnli")
    validate_config(config)
