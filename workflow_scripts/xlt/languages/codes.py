"""Language codes of the pipeline and of its data sources (metadata/language_codes.tsv).

The pipeline names every language by its Universal Dependencies code (``yue``,
``gun``, ``kmr``, ...). Other sources use other codes: WikiANN/PAN-X uses
Wikipedia codes (``zh-yue``, ``gn``, ``ku``), lang2vec ISO 639-3, MasakhaNER
3-letter directory names. ``convert`` maps a pipeline code to any of them and
``code_for`` maps back.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pandas as pd

from xlt.core.paths import METADATA, PROJECT

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
def _load(path: str) -> pd.DataFrame:
    text = Path(path).read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    # keep_default_na=False: codes such as "nan" or "NA" must stay strings and an
    # empty field must stay "" (no mapping), not become NaN.
    table = pd.read_csv(io.StringIO(body), sep="\t", dtype=str, keep_default_na=False)
    _validate(table, path)
    return table


def _validate(table: pd.DataFrame, path: str) -> None:
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)}")
    if (table["code"] == "").any():
        raise ValueError(f"{path}: a row has an empty 'code'")
    for column in UNIQUE_COLUMNS:
        values = table.loc[table[column] != "", column]
        duplicated = sorted(set(values[values.duplicated()]))
        if duplicated:
            raise ValueError(f"{path}: duplicate {column} values: {', '.join(duplicated)}")


def load_codes(path=CODES_PATH) -> pd.DataFrame:
    """The code table, one row per language; empty strings mean "no such code"."""
    return _load(str(path)).copy()


def convert(code: str, to: str, path=CODES_PATH) -> str:
    """Map the pipeline code ``code`` to column ``to`` (e.g. ``convert('yue', 'wikiann')``).

    Raises ValueError for an unknown code, an unknown column, or a language with
    no code in that column.
    """
    table = _load(str(path))
    if to not in table.columns:
        raise ValueError(f"unknown code column '{to}' (known: {', '.join(table.columns)})")
    rows = table[table["code"] == code]
    if rows.empty:
        raise ValueError(f"unknown language code '{code}' (not in {_display(Path(path))})")
    value = rows.iloc[0][to]
    if value == "":
        raise ValueError(f"language '{code}' has no {to} code")
    return value


def code_for(value: str, source: str, path=CODES_PATH) -> str:
    """The pipeline code of the language that ``source`` calls ``value`` (e.g. wikiann 'ku')."""
    table = _load(str(path))
    if source not in UNIQUE_COLUMNS:
        raise ValueError(
            f"cannot map back from '{source}' (use one of {', '.join(UNIQUE_COLUMNS)})"
        )
    rows = table[table[source] == value]
    if value == "" or rows.empty:
        raise ValueError(f"no language has {source} code '{value}' in {_display(Path(path))}")
    return rows.iloc[0]["code"]


def codes(path=CODES_PATH) -> list[str]:
    """Every pipeline code in the table, sorted."""
    return sorted(_load(str(path))["code"])
