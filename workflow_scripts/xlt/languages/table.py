"""The language table: one row per language, one column per typological feature.

Records come from the synthetic benchmark (``xlt.data.sources.synthetic.typology_record``)
or, for real languages, from lang2vec vectors; both use the same shape::

    {"code", "name", "family", "area", "kind",
     "features": {<set>: {<feature>: value, ...}, ...}}

Each feature becomes a column ``<set>:<feature>`` (``syntax:S_SVO``,
``syntax_knn:S_SVO``, ``lexical:overlap_with_source``); a language lacking a
feature gets NaN there. Distances are computed over the columns of chosen sets.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from xlt.core.fileio import atomic_path

META_COLUMNS = ("code", "name", "family", "area", "kind")
# Optional meta columns: the ISO 639-3 code lang2vec was asked for (real
# languages; empty for synthetic ones), so that a table says which code
# (zho or cmn, ara or arb) its vectors come from.
OPTIONAL_META = ("iso639_3",)
SEPARATOR = ":"
MISSING = "--"


def _value(value) -> float:
    # lang2vec writes "--" for a feature with no value in its non-imputed sets.
    if value is None or value == MISSING:
        return math.nan
    return float(value)


def build_language_table(records: list[dict]) -> pd.DataFrame:
    """Flatten typology records into a table sorted by code (feature columns sorted)."""
    rows = []
    seen = set()
    for i, record in enumerate(records):
        missing = [key for key in (*META_COLUMNS, "features") if key not in record]
        if missing:
            raise ValueError(f"language record {i}: missing {', '.join(missing)}")
        code = record["code"]
        if code in seen:
            raise ValueError(f"language record {i}: duplicate language code {code!r}")
        seen.add(code)
        row = {key: record[key] for key in META_COLUMNS}
        row.update({key: record.get(key, "") for key in OPTIONAL_META})
        for set_name, features in record["features"].items():
            if SEPARATOR in set_name:
                raise ValueError(f"language {code!r}: feature set {set_name!r} contains ':'")
            for feature, value in features.items():
                row[f"{set_name}{SEPARATOR}{feature}"] = _value(value)
        rows.append(row)
    meta = [*META_COLUMNS, *OPTIONAL_META]
    features = sorted({col for row in rows for col in row} - set(meta))
    frame = pd.DataFrame(rows, columns=[*meta, *features])
    # converted all at once: one block of floats, not one per column (selecting
    # a set's columns from thousands of one-column blocks is slow)
    values = pd.DataFrame(frame[features].to_numpy(dtype=float), columns=features)
    table = pd.concat([frame[meta].astype(str), values], axis=1)
    return table.sort_values("code", kind="stable").reset_index(drop=True)


def write_language_table(table: pd.DataFrame, path) -> None:
    """Write the table as TSV, atomically; NaN is written as an empty field."""
    with atomic_path(path) as tmp:
        table.to_csv(tmp, sep="\t", index=False, na_rep="", lineterminator="\n")


def read_language_table(path) -> pd.DataFrame:
    """Read a table written by ``write_language_table``.

    Default NA parsing is turned off so that codes or names such as ``nan``
    or ``NA`` (both are ISO 639-3 codes) stay strings; only empty feature
    fields become NaN.
    """
    table = pd.read_csv(
        path, sep="\t", dtype=str, keep_default_na=False, na_values=[], encoding="utf-8"
    )
    missing = [col for col in META_COLUMNS if col not in table.columns]
    if missing:
        raise ValueError(f"{path}: not a language table (missing columns {', '.join(missing)})")
    features = [c for c in table.columns if c not in META_COLUMNS and c not in OPTIONAL_META]
    try:
        values = table[features].replace("", math.nan).to_numpy(dtype=float)
    except ValueError:
        for col in features:  # which column
            try:
                table[col].replace("", math.nan).astype(float)
            except ValueError as error:
                raise ValueError(f"{path}: column {col}: {error}") from None
        raise
    # one block of floats, not one per column (as build_language_table)
    columns = list(table.columns)
    numeric = pd.DataFrame(values, columns=features, index=table.index)
    return pd.concat([table.drop(columns=features), numeric], axis=1)[columns]


def feature_sets(table: pd.DataFrame) -> list[str]:
    """The feature sets present in the table, in column order."""
    sets = [col.split(SEPARATOR, 1)[0] for col in table.columns if SEPARATOR in col]
    return list(dict.fromkeys(sets))


def feature_vector(table: pd.DataFrame, code: str, sets: list[str]) -> np.ndarray:
    """The language's values over every column of the given sets, in table order.

    Missing values (NaN) count as 0: the feature is not attested, and cosine
    similarity must stay defined.
    """
    rows = table.index[table["code"] == code]
    if len(rows) == 0:
        known = ", ".join(table["code"])
        raise ValueError(f"language {code!r} is not in the language table (known: {known})")
    if not sets:
        raise ValueError("no feature sets given")
    columns = [col for set_name in sets for col in _set_columns(table, set_name)]
    values = table.loc[rows[0], columns].to_numpy(dtype=float)
    return np.nan_to_num(values, nan=0.0)


def _set_columns(table: pd.DataFrame, set_name: str) -> list[str]:
    """The table's columns of one feature set; ValueError naming the known sets."""
    prefix = f"{set_name}{SEPARATOR}"
    cols = [col for col in table.columns if col.startswith(prefix)]
    if not cols:
        known = ", ".join(feature_sets(table)) or "none"
        raise ValueError(f"feature set {set_name!r} is not in the language table ({known})")
    return cols


def set_vectors(table: pd.DataFrame, set_name: str) -> dict[str, np.ndarray]:
    """{code: the language's values over the set's columns, NaN where missing}
    for every language of the table, read in one pass (a URIEL set has up to
    thousands of columns: reading them once per pair of languages is slow). A
    language with no value at all in the set is missing there, not a zero vector."""
    values = table[_set_columns(table, set_name)].to_numpy(dtype=float)
    return {code: values[i] for i, code in enumerate(table["code"])}


def cosine_similarity(u, v) -> float:
    """Cosine of two vectors; 0.0 (not NaN) when either is all zeros."""
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    if u.shape != v.shape:
        raise ValueError(f"vectors of different shapes {u.shape} and {v.shape}")
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    if norm == 0.0:
        return 0.0
    return float(np.dot(u, v) / norm)


def typological_distance(table: pd.DataFrame, a: str, b: str, sets: list[str]) -> float:
    """1 − cosine similarity of the two languages' vectors over ``sets``."""
    return 1.0 - cosine_similarity(feature_vector(table, a, sets), feature_vector(table, b, sets))
