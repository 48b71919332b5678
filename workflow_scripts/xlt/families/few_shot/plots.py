"""Figures of the few-shot family, drawn from its tables only: the gain over
zero-shot per strategy and k (Lauscher et al. 2020, Figure 1) and each target's
score over k (Figure 2)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from xlt.families.few_shot.family import STRATEGIES
from xlt.families.few_shot.tables import k_columns
from xlt.plotting import use_style


def _blocks(table: pd.DataFrame):
    """(title, rows) per task and source set, in a stable order."""
    for (task, metric, source), rows in table.groupby(["task", "metric", "source"], sort=True):
        yield f"{task} ({metric}, from {source})", rows


def _figure(count: int, width: float, height: float):
    fig, axes = plt.subplots(1, count, figsize=(width * count, height), squeeze=False)
    return fig, axes[0]


def gain_heatmaps(by_k: pd.DataFrame, style: dict):
    """One heatmap per task: strategies as rows, k as columns, colour and number
    the mean gain over zero-shot (Δ, points)."""
    use_style(style)
    blocks = list(_blocks(by_k))
    fig, axes = _figure(len(blocks), 3.6, 3.0)
    limit = max(float(np.nanmax(np.abs(by_k.delta))), 1e-9)
    for ax, (title, rows) in zip(axes, blocks, strict=True):
        grid = rows.pivot(index="strategy", columns="k", values="delta")
        grid = grid.loc[sorted(grid.index, key=STRATEGIES.index)]
        image = ax.imshow(grid.to_numpy(float), cmap="RdBu", vmin=-limit, vmax=limit)
        ax.set_xticks(range(grid.shape[1]), [str(k) for k in grid.columns])
        ax.set_yticks(range(grid.shape[0]), list(grid.index))
        ax.set_xlabel("k (qa: articles)" if title.startswith("qa ") else "k")
        ax.set_title(title, fontsize="medium")
        ax.grid(False)
        for (i, j), value in np.ndenumerate(grid.to_numpy(float)):
            if not np.isnan(value):
                colour = "white" if abs(value) > 0.6 * limit else "black"
                ax.text(j, i, f"{value:+.1f}", ha="center", va="center", color=colour)
    fig.subplots_adjust(bottom=0.2, top=0.85)
    fig.colorbar(image, ax=list(axes), label="gain over zero-shot (points)", shrink=0.8)
    return fig


def curves(per_language: pd.DataFrame, style: dict):
    """One panel per task: each target's score at k = 0 and at each k (rand),
    the k axis evenly spaced."""
    use_style(style)
    blocks = list(_blocks(per_language))
    fig, axes = _figure(len(blocks), 4.4, 3.4)
    for ax, (title, rows) in zip(axes, blocks, strict=True):
        ks = k_columns(rows)
        for row in rows.to_dict("records"):
            values = [row.get(f"k={k}", np.nan) for k in ks]
            ax.plot(range(len(ks)), values, marker="o", label=row["target"])
        ax.set_xticks(range(len(ks)), [str(k) for k in ks])
        ax.set_xlabel("k (qa: articles)" if title.startswith("qa ") else "k")
        ax.set_ylabel("score")
        ax.set_title(title, fontsize="medium")
        ax.legend(fontsize="x-small", ncol=2)
    fig.tight_layout()
    return fig
