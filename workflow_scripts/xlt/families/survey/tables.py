"""The survey's tables: the all-pairs scores from either source, the pair
measures joined with them, and the correlations."""

from __future__ import annotations

import pandas as pd

from xlt.core.stats import refuse_duplicates
from xlt.families.survey.correlations import correlation, join_measure

ALL_PAIRS_COLUMNS = ["task", "source", "target", "seed", "score"]
CORRELATION_COLUMNS = ["analysis", "task", "n", "pearson_r", "pearson_p", "spearman_rho",
                       "spearman_p"]  # fmt: skip


def all_pairs(frames: list[pd.DataFrame], transfer: str, languages, tasks) -> pd.DataFrame:
    """One row per (task, source, target, seed) of the survey's languages and tasks:
    the frozen classifiers' files, or the zero-shot family's table (its rows with
    a single source of the list)."""
    table = pd.concat(frames, ignore_index=True)
    if transfer == "zero_shot":
        table = table[table.method == "zero_shot"]
    table = table[table.task.isin(tasks) & table.source.isin(languages)
                  & table.target.isin(languages)]  # fmt: skip
    refuse_duplicates(table.assign(file="scores"), ["task", "source", "target", "seed"], "file")
    order = {lang: i for i, lang in enumerate(languages)}
    table = table[ALL_PAIRS_COLUMNS].copy()
    table["_s"], table["_t"] = table.source.map(order), table.target.map(order)
    table["_k"] = table.task.map({t: i for i, t in enumerate(tasks)})
    table = table.sort_values(["_k", "_s", "_t", "seed"]).drop(columns=["_k", "_s", "_t"])
    return table.reset_index(drop=True)


def pair_measures(
    scores: pd.DataFrame, measures: dict[str, tuple[str, pd.DataFrame]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each analysis of ``measures`` ((task, frame with source, target, value)):
    the pairs with their value and mean score (analysis, task, source, target,
    value, score, score_std, seeds), and one row of correlations per analysis."""
    pairs, correlations = [], []
    for analysis, (task, frame) in measures.items():
        joined = join_measure(scores, frame[["source", "target", "value"]], task)
        joined.insert(0, "analysis", analysis)
        pairs.append(joined)
        correlations.append({"analysis": analysis, "task": task, **correlation(joined, "value")})
    columns = ["analysis", "task", "source", "target", "value", "score", "score_std", "seeds"]
    if not pairs:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=CORRELATION_COLUMNS)
    return pd.concat(pairs, ignore_index=True)[columns], pd.DataFrame(correlations)
