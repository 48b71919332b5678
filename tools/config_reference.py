"""Write docs/configuration.md, the reference of every config key, from the schemas.

The schema is the one the workflow validates against: ``schemas/config.schema.yaml``
with each family's part (``schemas/<family>.schema.yaml``) under its config key, as
``xlt.config.load_schema`` assembles it. Every key a user can set (a property at any
level, ``$ref``s followed, the entries of a mapping as ``<name>`` or ``<code>``) gets a
row: its dotted path, type, default, allowed values and description. Each top-level
block gets a section of its own; the core blocks up to ``methods`` come first, then the
family blocks, then the rest. The page depends on nothing but the schemas (and the
methods the family registry lists), so the same schemas always give the same bytes.

Usage, from the repository root (``make lint`` runs the check)::

    python tools/config_reference.py          # rewrite docs/configuration.md
    python tools/config_reference.py --check  # exit 1 if the page is stale

Either way the exit status is 1 when a key has no description, each one printed.
``render`` and ``missing_descriptions`` give the same to a caller
(tests/test_config_reference.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "configuration.md"
CORE_SOURCE = "schemas/config.schema.yaml"
COMMAND = "python tools/config_reference.py"

TYPE_NAMES = {"array": "list", "object": "mapping"}
# A code span, so that what is inside it is left unescaped.
CODE_SPAN = re.compile(r"(`+)(.+?)\1")

INTRODUCTION = f"""\
# Configuration reference

Every key of the workflow's configuration, block by block: its type, its default, the
values it accepts and what it does. This page is generated from the schemas in
[`schemas/`](../schemas) by `{COMMAND}`; do not edit it by hand. To change
what a key says, edit its `description` in the schema and run the script again
(`make lint` fails while this page and the schemas disagree, or while a key has no
description).

Every run reads [`config.yaml`](../config.yaml), the embedded default, and layers the
files given to `--configfile` over it, each later file overriding the keys it sets of
the earlier ones (mappings are merged key by key, any other value is replaced whole).
Give all files to one `--configfile` flag: a second `--configfile` flag replaces the
first instead of adding to it.

```bash
snakemake --cores 2 --configfile configs/lauscher2020-mbert.yaml my.yaml
```

The merged configuration is checked against the schemas before any job runs, and the
defaults below are filled in for the keys it leaves out
([validation.md](validation.md)). The paper configurations and the test fixtures in
`configs/` are described in [configs/README.md](../configs/README.md).

In the tables a key is written as its dotted path; `<name>` or `<code>` stands for any
key of a mapping whose entries are yours to name. The default column holds the value a
key takes when it is left out, written as YAML; *required* where a configuration that
has the enclosing block must set the key (`config.yaml` sets every key the embedded
default needs); a dash where the key has no default: it is then absent unless set, and
its description says what that means.
"""


@dataclass(frozen=True)
class Key:
    """One row of the reference: a settable key and what the schema says of it."""

    path: str
    type: str
    default: str
    allowed: str
    description: str


def load(root: Path = ROOT) -> tuple[dict, dict[str, str]]:
    """The assembled schema and, per top-level key, the schema file that defines it
    (relative to ``root``)."""
    library = str(root / "workflow_scripts")
    if library not in sys.path:
        sys.path.insert(0, library)
    from xlt.config import load_schema

    core = yaml.safe_load((root / CORE_SOURCE).read_text(encoding="utf-8"))
    schema = load_schema(root / CORE_SOURCE)
    sources = {
        name: CORE_SOURCE if name in core["properties"] else f"schemas/{name}.schema.yaml"
        for name in schema["properties"]
    }
    return schema, sources


def resolve(node: dict, root: dict) -> dict:
    """``node`` with its ``$ref`` (a ``#/$defs/<name>``, repeatedly) replaced by what it
    names; the node's own keywords (description, default, ...) take precedence."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"circular $ref {ref}")
        seen.add(ref)
        target = root["$defs"][ref.split("/")[-1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def type_name(node: dict, root: dict) -> str:
    """What a value of ``node`` is, in words: string, integer, list of ..., mapping of ..."""
    node = resolve(node, root)
    for keyword in ("oneOf", "anyOf"):
        if keyword in node:
            names = [type_name(alt, root) for alt in node[keyword]]
            return " or ".join(dict.fromkeys(names))
    if "const" in node:
        return f"`{flow(node['const'])}`"
    kinds = node.get("type")
    if kinds is None and "enum" in node:
        kinds = sorted({_json_type(value) for value in node["enum"]})
    if kinds is None:
        kinds = ["object"] if "properties" in node or "additionalProperties" in node else []
    if isinstance(kinds, str):
        kinds = [kinds]
    names = []
    for kind in kinds:
        if kind == "array" and isinstance(node.get("items"), dict):
            names.append(f"list of {type_name(node['items'], root)}")
        elif (
            kind == "object"
            and "properties" not in node
            and isinstance(node.get("additionalProperties"), dict)
        ):
            names.append(f"mapping of {type_name(node['additionalProperties'], root)}")
        else:
            names.append(TYPE_NAMES.get(kind, kind))
    return " or ".join(names) or "any"


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def flow(value) -> str:
    """A value as YAML in flow style, as a config file would write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:  # 5e-06 -> 5.0e-6: YAML 1.1 reads a mantissa without a point as text
            mantissa, exponent = text.split("e")
            mantissa = mantissa if "." in mantissa else f"{mantissa}.0"
            text = f"{mantissa}e{int(exponent)}"
        return text
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z0-9_.:/+-]+", text) and not text.endswith(":")
    if plain and yaml.safe_load(text) == text:
        return text
    return json.dumps(text)


def allowed(node: dict, root: dict) -> str:
    """The schema's constraints on a value: enum, bounds, pattern, sizes, and those of
    a list's items and a mapping's keys and values."""
    node = resolve(node, root)
    for keyword in ("oneOf", "anyOf"):
        if keyword in node:
            parts = []
            for alt in node[keyword]:
                says, kind = allowed(alt, root), type_name(alt, root)
                if says:
                    parts.append(says if says == kind else f"{kind}: {says}")
            return "; or ".join(parts)
    parts = []
    if "enum" in node:
        parts.append(", ".join(f"`{flow(value)}`" for value in node["enum"]))
    if "const" in node:
        parts.append(f"`{flow(node['const'])}`")
    for keyword, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if keyword in node:
            parts.append(f"{sign} {flow(node[keyword])}")
    if "pattern" in node:
        parts.append(f"pattern `{node['pattern']}`")
    if node.get("minLength") == 1:
        parts.append("not empty")
    elif "minLength" in node:
        parts.append(f"at least {node['minLength']} characters")
    parts += _sizes(node, "Items", "item")
    if node.get("uniqueItems"):
        parts.append("no repeats")
    parts += _sizes(node, "Properties", "entry")
    if isinstance(node.get("items"), dict):
        parts += _inner("each item", allowed(node["items"], root))
    if isinstance(node.get("propertyNames"), dict):
        parts += _inner("keys", allowed(node["propertyNames"], root))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and "properties" not in node:
        parts += _inner("values", allowed(extra, root))
    return "; ".join(parts)


def _inner(what: str, says: str) -> list[str]:
    """The constraints on a list's items or a mapping's keys or values, in parentheses
    where they are several."""
    if not says:
        return []
    return [f"{what}: ({says})" if ";" in says else f"{what}: {says}"]


def _sizes(node: dict, what: str, noun: str) -> list[str]:
    low, high = node.get(f"min{what}"), node.get(f"max{what}")
    plural = "entries" if noun == "entry" else f"{noun}s"
    if low is not None and low == high:
        return [f"exactly {low} {noun if low == 1 else plural}"]
    parts = []
    if low is not None:
        parts.append(f"at least {low} {noun if low == 1 else plural}")
    if high is not None:
        parts.append(f"at most {high} {noun if high == 1 else plural}")
    return parts


def keys(schema: dict, root: dict | None = None, prefix: str = "") -> list[Key]:
    """Every settable key under ``schema`` (an object schema), in the schema's order,
    each followed by the keys under it."""
    root = schema if root is None else root
    node = resolve(schema, root)
    found = []
    required = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        resolved = resolve(sub, root)
        if "default" in resolved:
            default = "`" + flow(resolved["default"]).replace("|", "\\|") + "`"
        elif name in required:
            default = "*required*"
        else:
            default = "—"
        found.append(
            Key(
                path=path,
                type=type_name(resolved, root),
                default=default,
                allowed=allowed(resolved, root),
                description=" ".join(str(resolved.get("description", "")).split()),
            )
        )
        found += _keys_under(resolved, root, path)
    return found


def _keys_under(node: dict, root: dict, path: str) -> list[Key]:
    """The keys of an object value, of a mapping's entries, and of the alternatives of a
    oneOf or anyOf."""
    found = keys(node, root, path) if "properties" in node else []
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        entry = resolve(extra, root)
        names = resolve(node.get("propertyNames", {}), root)
        placeholder = "<code>" if "pattern" in names else "<name>"
        if "properties" in entry:
            found += keys(entry, root, f"{path}.{placeholder}")
    for keyword in ("oneOf", "anyOf"):
        for alt in node.get(keyword, []):
            alt = resolve(alt, root)
            if "properties" in alt:
                found += keys(alt, root, path)
    return found


def missing_descriptions(schema: dict) -> list[str]:
    """The dotted paths of the keys without a description."""
    return [key.path for key in keys(schema) if not key.description]


def cell(text: str) -> str:
    """Text for a table cell: pipes escaped everywhere, and outside code spans the
    characters Markdown would read as HTML or emphasis."""
    pieces = []
    last = 0
    for match in CODE_SPAN.finditer(text):
        pieces.append(_escape(text[last : match.start()]))
        pieces.append(match.group(0).replace("|", "\\|"))
        last = match.end()
    pieces.append(_escape(text[last:]))
    return "".join(pieces)


def _escape(text: str) -> str:
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), ("*", "\\*")):
        text = text.replace(char, escaped)
    return text


def table(rows: list[Key]) -> list[str]:
    """The Markdown table of ``rows``."""
    lines = [
        "| key | type | default | allowed values | description |",
        "|---|---|---|---|---|",
    ]
    for key in rows:
        cells = [f"`{key.path}`", cell(key.type), key.default, cell(key.allowed)]
        cells.append(cell(key.description))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def section_order(schema: dict, sources: dict[str, str]) -> list[str]:
    """The top-level keys: the core schema's up to ``methods``, then the family blocks,
    then the core schema's other keys."""
    names = list(schema["properties"])
    core = [n for n in names if sources.get(n, CORE_SOURCE) == CORE_SOURCE]
    families = [n for n in names if n not in core]
    cut = core.index("methods") + 1 if "methods" in core else len(core)
    return core[:cut] + families + core[cut:]


def render(schema: dict, sources: dict[str, str] | None = None) -> str:
    """The whole page for ``schema`` (``sources``: the schema file of each top-level key,
    linked from its section)."""
    sources = sources or {}
    order = section_order(schema, sources)
    rows = keys(schema)
    lines = [INTRODUCTION, "## Blocks", ""]
    lines += [f"- [{name}](#{name})" for name in order]
    for name in order:
        lines += ["", f"## {name}", ""]
        if name in sources:
            lines += [f"Schema: [`{sources[name]}`](../{sources[name]}).", ""]
        lines += table([r for r in rows if r.path == name or r.path.startswith(f"{name}.")])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or, with --check, compare) the page; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--check", action="store_true", help="compare docs/configuration.md, write nothing"
    )
    args = parser.parse_args(argv)
    schema, sources = load()
    text = render(schema, sources)
    status = 0
    for path in missing_descriptions(schema):
        print(f"config key '{path}' has no description (add one in its schema)")
        status = 1
    page = PAGE.relative_to(ROOT) if PAGE.is_relative_to(ROOT) else PAGE
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else None
        if current != text:
            print(f"{page} is out of date with schemas/: run `{COMMAND}`")
            status = 1
    else:
        PAGE.write_text(text, encoding="utf-8")
        print(f"wrote {page} ({len(keys(schema))} keys)")
    return status


if __name__ == "__main__":
    sys.exit(main())
