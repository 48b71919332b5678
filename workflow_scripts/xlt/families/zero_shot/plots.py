"""Figures of the zero-shot family, drawn from the aggregated score table only."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from xlt.core.stats import pearson
from xlt.families.zero_shot.tables import summarize
from xlt.plotting import label_points, use_style


def _series(summary: pd.DataFrame):
    """(label, rows) per method and source set, in a stable order."""
    for (method, source), rows in summary.groupby(["method", "source"], sort=True):
        yield f"{method} ({source})", rows


def _panels(scores: pd.DataFrame, style: dict):
    """A figure with one panel per task; yields (axes, that task's summary rows)."""
    use_style(style)
    summary = summarize(scores)
    task_list = sorted(summary.task.unique())
    fig, axes = plt.subplots(1, len(task_list), figsize=(5 * len(task_list), 3.6), squeeze=False)
    panels = []
    for ax, task in zip(axes[0], task_list, strict=True):
        block = summary[summary.task == task]
        ax.set_title(f"{task} ({block.metric.iloc[0]})")
        ax.set_ylabel("score")
        ax.set_ylim(0, 100)
        panels.append((ax, block))
    return fig, panels


def per_language(scores: pd.DataFrame, style: dict):
    """Bars of mean score per target language, one panel per task, std as error bars."""
    fig, panels = _panels(scores, style)
    for ax, block in panels:
        targets = sorted(block.target.unique())
        series = list(_series(block))
        width = 0.8 / len(series)
        for i, (label, rows) in enumerate(series):
            rows = rows.set_index("target").reindex(targets)
            x = np.arange(len(targets)) + i * width - 0.4 + width / 2
            ax.bar(x, rows["mean"], width, yerr=rows["std"].fillna(0), label=label, capsize=2)
        ax.set_xticks(np.arange(len(targets)), targets)
        ax.set_xlabel("target language")
    panels[-1][0].legend(fontsize="small", loc="upper right")
    fig.tight_layout()
    return fig


def transfer_vs_distance(scores: pd.DataFrame, style: dict):
    """Mean transfer score against typological distance, with Pearson's r per series."""
    fig, panels = _panels(scores, style)
    for ax, block in panels:
        for label, rows in _series(block):
            ax.errorbar(
                rows["distance"],
                rows["mean"],
                yerr=rows["std"].fillna(0),
                fmt="o",
                capsize=2,
                label=f"{label}, r = {pearson(rows['distance'], rows['mean']):.2f}",
            )
            label_points(ax, rows["target"], rows["distance"], rows["mean"])
        ax.set_xlabel("typological distance from source (1 − cosine)")
        ax.legend(fontsize="small", loc="upper right")
    fig.tight_layout()
    return fig


def transfer_features(samples: pd.DataFrame, style: dict):
    """Score against each feature (a panel per feature, a row per experiment and
    task), Pearson's r in each title: the points behind the transfer analysis.
    ``samples`` is its tidy table (one row per group, target and feature)."""
    use_style(style)
    if samples.empty:
        fig, ax = plt.subplots(figsize=(5, 1.5))
        ax.axis("off")
        ax.text(0.5, 0.5, "no task with enough targets to analyse", ha="center", va="center")
        return fig
    groups = list(samples.groupby(["experiment", "task", "method", "source"], sort=True))
    features = list(dict.fromkeys(samples.feature))
    fig, axes = plt.subplots(
        len(groups),
        len(features),
        figsize=(3.2 * len(features), 2.8 * len(groups)),
        squeeze=False,
    )
    for row, ((experiment, task, method, source), block) in zip(axes, groups, strict=True):
        for ax, feature in zip(row, features, strict=True):
            points = block[block.feature == feature]
            if points.empty:
                ax.axis("off")
                continue
            ax.plot(points.value, points.score, "o")
            label_points(ax, points.target, points.value, points.score)
            ax.set_title(f"{task}: {feature}, r = {pearson(points.value, points.score):.2f}")
            ax.set_xlabel(f"{feature} (similarity to {source})")
        row[0].set_ylabel(f"{experiment}\n{method} score")
    fig.tight_layout()
    return fig
