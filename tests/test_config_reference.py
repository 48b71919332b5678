"""The configuration reference (tools/config_reference.py): every schema key has a
description, docs/configuration.md is what the generator writes, and a small schema
renders to the rows it should."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import config_reference  # noqa: E402

# A hand-made fragment: a $ref with a default of its own, an enum, a nullable list, a
# required key, a key without a default, and a mapping whose entries have keys.
FRAGMENT = {
    "type": "object",
    "$defs": {
        "positive_int": {"type": "integer", "minimum": 1},
        "langcode": {"type": "string", "pattern": "^[a-z]{2,3}$"},
    },
    "properties": {
        "block": {
            "description": "A block | of settings.",
            "type": "object",
            "required": ["name"],
            "default": {},
            "properties": {
                "name": {"description": "Its name.", "type": "string"},
                "size": {
                    "description": "How many <units>.",
                    "$ref": "#/$defs/positive_int",
                    "default": 3,
                },
                "mode": {"description": "The mode.", "enum": ["fast", "slow"], "default": "fast"},
                "rate": {"description": "A rate.", "type": "number", "default": 5.0e-6},
                "codes": {
                    "description": "Some codes.",
                    "type": ["array", "null"],
                    "uniqueItems": True,
                    "items": {"$ref": "#/$defs/langcode"},
                    "default": None,
                },
                "alpha": {"description": "Absent - none.", "type": "number", "minimum": 0},
                "people": {
                    "description": "People by name.",
                    "type": "object",
                    "propertyNames": {"pattern": "^[a-z]+$"},
                    "additionalProperties": {
                        "type": "object",
                        "properties": {"age": {"type": "integer", "exclusiveMinimum": 0}},
                    },
                },
            },
        },
    },
}


def test_every_schema_key_has_a_description():
    schema, _ = config_reference.load()
    missing = config_reference.missing_descriptions(schema)
    assert missing == [], "config keys without a description: " + ", ".join(missing)


def test_the_reference_page_is_up_to_date():
    schema, sources = config_reference.load()
    expected = config_reference.render(schema, sources)
    current = config_reference.PAGE.read_text(encoding="utf-8")
    assert current == expected, (
        "docs/configuration.md differs from the schemas: run python tools/config_reference.py"
    )


def test_the_page_has_a_section_per_top_level_block():
    schema, sources = config_reference.load()
    text = config_reference.render(schema, sources)
    for name in schema["properties"]:
        assert f"\n## {name}\n" in text
        assert f"| `{name}` |" in text
    assert text.index("## methods") < text.index("## few_shot") < text.index("## seeds")


def test_a_fragment_renders_to_its_rows():
    rows = config_reference.table(config_reference.keys(FRAGMENT))
    assert rows == [
        "| key | type | default | allowed values | description |",
        "|---|---|---|---|---|",
        "| `block` | mapping | `{}` |  | A block \\| of settings. |",
        "| `block.name` | string | *required* |  | Its name. |",
        "| `block.size` | integer | `3` | ≥ 1 | How many &lt;units>. |",
        "| `block.mode` | string | `fast` | `fast`, `slow` | The mode. |",
        "| `block.rate` | number | `5.0e-6` |  | A rate. |",
        "| `block.codes` | list of string or null | `null` | no repeats; each item: pattern "
        "`^[a-z]{2,3}$` | Some codes. |",
        "| `block.alpha` | number | — | ≥ 0 | Absent - none. |",
        "| `block.people` | mapping of mapping | — | keys: pattern `^[a-z]+$` | People by name. |",
        "| `block.people.<code>.age` | integer | — | > 0 |  |",
    ]
    assert config_reference.missing_descriptions(FRAGMENT) == ["block.people.<code>.age"]


def test_defaults_are_written_as_yaml_a_config_would_hold():
    flow = config_reference.flow
    assert flow(None) == "null"
    assert flow(True) == "true"
    assert flow(1.0e-8) == "1.0e-8"
    assert flow("2.4") == '"2.4"'
    assert flow("no") == '"no"'
    assert flow(["pos", 3, {"a": []}]) == "[pos, 3, {a: []}]"


@pytest.mark.parametrize("stale", [False, True])
def test_check_fails_on_a_stale_page_and_names_keys_without_description(
    stale, tmp_path, monkeypatch, capsys
):
    page = tmp_path / "configuration.md"
    text = config_reference.render(FRAGMENT, {})
    page.write_text(text + ("edited by hand\n" if stale else ""), encoding="utf-8")
    monkeypatch.setattr(config_reference, "PAGE", page)
    monkeypatch.setattr(config_reference, "load", lambda: (FRAGMENT, {}))
    assert config_reference.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "config key 'block.people.<code>.age' has no description" in out
    assert ("out of date" in out) == stale
    assert "run `python tools/config_reference.py`" in out or not stale
    assert page.read_text(encoding="utf-8").endswith("edited by hand\n") == stale
