"""Language codes of the pipeline and of its data sources (metadata/language_codes.tsv).

The pipeline names every language by its Universal Dependencies code (``yue``,
``gun``, ``kmr``, ...). Other sources use other codes: WikiANN/PAN-X uses
Wikipedia codes (``zh-yue``, ``gn``, ``ku``), lang2vec ISO 639-3, MasakhaNER
3-letter directory names. ``convert`` maps a pipeline code to any of them and
``code_for`` maps back.
"""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from xlt.core.paths import METADATA, PROJECT

if TYPE_CHECKING:
    import pandas as pd

CODES_PATH = METADATA / "language_codes.tsv"
COLUMNS = ("code", "name", "iso639_3", "wikiann", "wikiann_rahimi", "ud", "masakhaner")
# Columns whose non-empty values must name one language each, so that
# ``code_for`` can map them back.
UNIQUE_COLUMNS = ("code", "iso639_3", "wikiann", "ud", "masakhaner")


def _display(path: Path) -> str:
    """The table's path as messages show it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


@cache
def _load(path: str) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """The table's columns and its rows as {column: value}, read with the csv module:
    the jobs that only map a code (every corpus's preprocessing) need not import
    pandas."""
    text = Path(path).read_text(encoding="utf-8")
    numbered = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("#")
    ]
    # every field a string, an empty one "" (no mapping): "nan" or "NA" stay codes
    reader = csv.reader([line for _, line in numbered], delimiter="\t")
    header = tuple(next(reader, []))
    rows = []
    for fields in reader:
        if not fields:
            continue
        if len(fields) > len(header):
            line = numbered[reader.line_num - 1][0]
            raise ValueError(
                f"{path}, line {line}: {len(fields)} fields for {len(header)} columns "
                f"(a tab too many?)"
            )
        # a short row's missing fields are empty, like pandas' reading of it
        rows.append(dict(zip(header, [*fields, *[""] * (len(header) - len(fields))], strict=True)))
    _validate(header, tuple(rows), path)
    return header, tuple(rows)


def _validate(header: tuple[str, ...], rows: tuple[dict[str, str], ...], path: str) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)}")
    if any(row["code"] == "" for row in rows):
        raise ValueError(f"{path}: a row has an empty 'code'")
    for column in UNIQUE_COLUMNS:
        counts = Counter(row[column] for row in rows if row[column] != "")
        duplicated = sorted(value for value, count in counts.items() if count > 1)
        if duplicated:
            raise ValueError(f"{path}: duplicate {column} values: {', '.join(duplicated)}")


def load_codes(path=CODES_PATH) -> pd.DataFrame:
    """The code table, one row per language; empty strings mean "no such code"."""
    import pandas as pd

    header, rows = _load(str(path))
    return pd.DataFrame([dict(row) for row in rows], columns=list(header), dtype=str)


def convert(code: str, to: str, path=CODES_PATH) -> str:
    """Map the pipeline code ``code`` to column ``to`` (e.g. ``convert('yue', 'wikiann')``).

    Raises ValueError for an unknown code, an unknown column, or a language with
    no code in that column.
    """
    header, table = _load(str(path))
    if to not in header:
        raise ValueError(f"unknown code column '{to}' (known: {', '.join(header)})")
    rows = [row for row in table if row["code"] == code]
    if not rows:
        raise ValueError(f"unknown language code '{code}' (not in {_display(Path(path))})")
    value = rows[0][to]
    if value == "":
        raise ValueError(f"language '{code}' has no {to} code")
    return value


def code_for(value: str, source: str, path=CODES_PATH) -> str:
    """The pipeline code of the language that ``source`` calls ``value`` (e.g. wikiann 'ku')."""
    _, table = _load(str(path))
    if source not in UNIQUE_COLUMNS:
        raise ValueError(
            f"cannot map back from '{source}' (use one of {', '.join(UNIQUE_COLUMNS)})"
        )
    rows = [row for row in table if row[source] == value]
    if value == "" or not rows:
        raise ValueError(f"no language has {source} code '{value}' in {_display(Path(path))}")
    return rows[0]["code"]


def codes(path=CODES_PATH) -> list[str]:
    """Every pipeline code in the table, sorted."""
    return sorted(row["code"] for row in _load(str(path))[1])
