"""Lauscher et al. (2020)'s Tables 2 and 3 beside a run's: every correlation
coefficient and every meta-regression row with the paper's value, and the mean
absolute difference per feature. The published values are data
(``metadata/lauscher2020_table2.csv``, ``metadata/lauscher2020_table3.csv``);
an experiment is compared with the paper's model its SIZE feature is read from
(config ``zero_shot.sizes``: mbert or xlmr)."""

from __future__ import annotations

import pandas as pd

from xlt.core.paths import METADATA
from xlt.families.zero_shot.analysis import VARIANT_KEYS

TABLE2 = METADATA / "lauscher2020_table2.csv"
TABLE3 = METADATA / "lauscher2020_table3.csv"


def published(path) -> pd.DataFrame:
    """A published table of ``metadata/`` (comment lines start with #)."""
    return pd.read_csv(path, comment="#")


def table2(correlations: pd.DataFrame, models: dict[str, str], paper=None) -> pd.DataFrame:
    """Per (experiment, task, feature) the run's Pearson and Spearman beside the
    paper's, for the experiments ``models`` maps to a paper model; only the
    coefficients both have."""
    paper = published(TABLE2) if paper is None else paper
    ours = correlations[correlations.experiment.isin(models)].copy()
    ours["model"] = ours.experiment.map(models)
    joined = ours.merge(paper, on=["model", "task", "feature"], suffixes=("", "_paper"))
    joined["pearson_gap"] = (joined.pearson - joined.pearson_paper).abs()
    joined["spearman_gap"] = (joined.spearman - joined.spearman_paper).abs()
    columns = ["experiment", "model", "task", "feature", "pearson", "pearson_paper",
               "spearman", "spearman_paper", "pearson_gap", "spearman_gap"]  # fmt: skip
    return joined[columns].sort_values(["experiment", "task", "feature"], ignore_index=True)


def feature_gaps(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per feature the mean absolute difference from the paper over its Pearson
    and Spearman coefficients, and how many coefficients that averages."""
    long = pd.concat([
        comparison[["feature", "pearson_gap"]].rename(columns={"pearson_gap": "gap"}),
        comparison[["feature", "spearman_gap"]].rename(columns={"spearman_gap": "gap"}),
    ])  # fmt: skip
    return (
        long.groupby("feature", sort=True)
        .gap.agg(mean_absolute_difference="mean", coefficients="count")
        .reset_index()
    )


def table3(regression: pd.DataFrame, models: dict[str, str], paper=None) -> pd.DataFrame:
    """Per (experiment, task) the run's selected features, Pearson, Spearman and
    MAE beside the paper's row."""
    paper = published(TABLE3) if paper is None else paper
    ours = regression[regression.experiment.isin(models)].copy()
    ours["model"] = ours.experiment.map(models)
    joined = ours.merge(paper, on=["model", "task"], suffixes=("", "_paper"))
    columns = ["experiment", "model", "task", "selected", "selected_paper", "pearson",
               "pearson_paper", "spearman", "spearman_paper", "mae", "mae_paper"]  # fmt: skip
    return joined[columns].sort_values(["experiment", "task"], ignore_index=True)


def variant_gaps(variants: pd.DataFrame, models: dict[str, str], paper=None) -> pd.DataFrame:
    """Per choice (``VARIANT_KEYS`` of the transfer analysis' variants table:
    feature sets, ISO codes, size measure, missing values) and feature: the mean
    absolute difference from the paper's Table 2, and per choice over all its
    coefficients (feature ``all``)."""
    paper = published(TABLE2) if paper is None else paper
    rows = []
    keys = _keys(variants)
    for choice, block in variants.groupby(keys, sort=False, dropna=False):
        comparison = table2(block, models, paper)
        if comparison.empty:
            continue
        gaps = feature_gaps(comparison)
        overall = pd.concat([comparison.pearson_gap, comparison.spearman_gap])
        gaps.loc[len(gaps)] = ["all", overall.mean(), len(overall)]
        rows.append(gaps.assign(**dict(zip(keys, choice, strict=True))))
    if not rows:
        return pd.DataFrame()
    frame = pd.concat(rows, ignore_index=True)
    return frame[[*keys, "feature", "mean_absolute_difference", "coefficients"]]


def _keys(variants: pd.DataFrame) -> list[str]:
    """The columns of a variants table that name the choice a row was made under."""
    return [key for key in VARIANT_KEYS if key in variants]


def variant_selections(regressions: pd.DataFrame, models: dict[str, str], paper=None):
    """Per feature variant and (experiment, task): the meta-regression's selected
    features beside the paper's Table 3 row."""
    paper = published(TABLE3) if paper is None else paper
    keys = _keys(regressions)
    parts = [
        table3(block, models, paper).assign(**dict(zip(keys, choice, strict=True)))
        for choice, block in regressions.groupby(keys, sort=False, dropna=False)
    ]
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    columns = [*keys, "experiment", "task", "selected", "selected_paper", "pearson",
               "pearson_paper"]  # fmt: skip
    return frame[columns]
