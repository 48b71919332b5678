"""The survey's four figures, drawn from its tables only: the all-pairs heatmap,
the two pair-measure scatters (Figures 2 and 3) and translation accuracy per
layer (Figure 4)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from xlt.plotting import label_points, use_style

LABELLED = 20  # points of a scatter labelled one by one


def transfer_heatmaps(scores: pd.DataFrame, style: dict):
    """One heatmap per task: sources as rows, targets as columns, the mean score
    over seeds written in each cell (the languages in their table order)."""
    use_style(style)
    tasks = list(dict.fromkeys(scores.task))
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.4 * len(tasks), 3.8), squeeze=False)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = scores[scores.task == task]
        languages = list(dict.fromkeys([*rows.source, *rows.target]))
        grid = rows.groupby(["source", "target"]).score.mean().unstack()
        values = grid.reindex(index=languages, columns=languages).to_numpy(float)
        image = ax.imshow(values, cmap="viridis")
        ax.set_xticks(range(len(languages)), languages, rotation=90)
        ax.set_yticks(range(len(languages)), languages)
        ax.set_xlabel("target")
        ax.set_ylabel("source")
        ax.set_title(f"{task}: zero-shot score", fontsize="medium")
        ax.grid(False)
        middle = np.nanmean(values)
        for (i, j), value in np.ndenumerate(values):
            if not np.isnan(value):
                colour = "black" if value > middle else "white"
                ax.text(j, i, f"{value:.0f}", ha="center", va="center", color=colour, fontsize=7)
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def _correlation_text(row: pd.Series) -> str:
    if math.isnan(row.pearson_r):
        return f"n = {row.n}: no correlation (a constant side)"
    return (
        f"Pearson r = {row.pearson_r:.2f} (p = {row.pearson_p:.2g}), "
        f"Spearman ρ = {row.spearman_rho:.2f} (p = {row.spearman_p:.2g}), n = {row.n}"
    )


def measure_scatter(pairs: pd.DataFrame, corr: pd.Series, x: str, xlabel: str, style: dict):
    """The transfer pairs' score against a pair measure, the correlations in the
    title (the diagonal left out); up to ``LABELLED`` points labelled
    ``source>target``, more coloured by source (labels would overlap)."""
    use_style(style)
    transfer = pairs[pairs.source != pairs.target]
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    if len(transfer) <= LABELLED:
        ax.scatter(transfer[x], transfer.score, s=18)
        names = [f"{s}>{t}" for s, t in zip(transfer.source, transfer.target, strict=True)]
        label_points(ax, names, transfer[x], transfer.score)
    else:
        for source, rows in transfer.groupby("source", sort=False):
            ax.scatter(rows[x], rows.score, s=18, label=f"from {source}")
        ax.legend(fontsize="x-small", ncol=2)
    if (transfer[x] == transfer[x].round()).all():  # counts: integer ticks
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"zero-shot {pairs.task.iloc[0]} score")
    ax.set_title(_correlation_text(corr), fontsize="small")
    return fig


def translation_curves(accuracy: pd.DataFrame, style: dict):
    """Nearest-neighbour translation accuracy per layer, one line per pair."""
    use_style(style)
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    for (source, target), rows in accuracy.groupby(["source", "target"], sort=False):
        rows = rows.sort_values("layer")
        ax.plot(rows.layer, rows.accuracy, marker="o", label=f"{source}-{target}")
    ax.set_xticks(sorted(accuracy.layer.unique()))
    ax.set_xlabel("layer (0: embeddings)")
    ax.set_ylabel("nearest-neighbour translation accuracy (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize="small", loc="best", title="source-target")
    return fig
