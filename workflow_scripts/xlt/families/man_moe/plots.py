"""Figure 4 of Chen et al. (2019): the average expert-gate weights of MAN-MoE's
private extractor per target language, drawn from the gate table only."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from xlt.plotting import use_style


def gate_heatmaps(gates: pd.DataFrame, style: dict):
    """One heatmap per task: targets as rows, source experts as columns, colour and
    number the mean gate weight (a target is no expert of its own)."""
    use_style(style)
    tasks = sorted(gates.task.unique())
    if not tasks:  # every MAN-MoE model of the run failed (tables/man_moe.md lists them)
        fig, ax = plt.subplots(figsize=(5.0, 1.6))
        ax.axis("off")
        ax.text(0.5, 0.5, "No gate weights: every MAN-MoE model of this run\npredicted one "
                "class for everything (see man_moe.md)", ha="center", va="center")  # fmt: skip
        return fig
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.2 * len(tasks), 3.6), squeeze=False)
    for ax, task in zip(axes[0], tasks, strict=True):
        grid = gates[gates.task == task].pivot(index="target", columns="expert", values="weight")
        languages = sorted(set(grid.index) | set(grid.columns))
        grid = grid.reindex(index=languages, columns=languages)
        values = grid.to_numpy(float)
        image = ax.imshow(values, cmap="viridis", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(len(languages)), languages)
        ax.set_yticks(range(len(languages)), languages)
        ax.set_xlabel("source expert")
        ax.set_ylabel("target")
        ax.set_title(f"{task}: mean gate weight", fontsize="medium")
        ax.grid(False)
        for (i, j), value in np.ndenumerate(values):
            if not np.isnan(value):
                colour = "black" if value > 0.6 else "white"
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", color=colour)
    fig.colorbar(image, ax=list(axes[0]), shrink=0.8)
    return fig
