"""Shared word-order features (Pires et al. 2019, the survey's Figure 3): for a
source and a target, the number of listed features of the language table on
which both have a value and the values are equal."""

from __future__ import annotations

import math

import pandas as pd

from xlt.languages.table import SEPARATOR


def feature_columns(table: pd.DataFrame, feature_set: str, features: list[str]) -> list[str]:
    """The table's columns ``<feature_set>:<feature>``; a KeyError names the missing ones."""
    columns = [f"{feature_set}{SEPARATOR}{f}" for f in features]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(
            f"the language table has no column {', '.join(missing)} (survey.word_order: "
            f"features of the set {feature_set!r})"
        )
    return columns


def agreement_rows(
    table: pd.DataFrame, languages: list[str], feature_set: str, features: list[str]
) -> list[dict]:
    """Rows (source, target, shared, compared) for every ordered pair of
    ``languages``: ``compared`` features are known for both, ``shared`` of them equal."""
    columns = feature_columns(table, feature_set, features)
    rows = table.set_index("code")
    unknown = [lang for lang in languages if lang not in rows.index]
    if unknown:
        raise KeyError(f"the language table has no row for {', '.join(unknown)}")
    result = []
    for source in languages:
        for target in languages:
            pairs = [
                (rows.at[source, c], rows.at[target, c])
                for c in columns
                if not (math.isnan(rows.at[source, c]) or math.isnan(rows.at[target, c]))
            ]
            result.append(
                {"source": source, "target": target, "compared": len(pairs),
                 "shared": sum(a == b for a, b in pairs)}
            )  # fmt: skip
    return result
