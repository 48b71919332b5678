"""Figures of the interpolation study (Wu et al. 2022), from its tables only:
normalised scores along the lines with 95 % bands (Figure 2 pooled, Figures
6-9 per task), their variance over seeds (Figure 5), the plane as contours
(Figures 3 and 10), and the norm ratio of the two directions against their
angle (Figure 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from xlt.plotting import label_points, use_style

LINES = {  # (kind, dev set): label and colour, as in the paper's Figure 2
    ("source_line", "source"): ("src model → bilingual, source dev", "tab:red"),
    ("target_line", "source"): ("tgt model → bilingual, source dev", "tab:purple"),
    ("source_line", "target"): ("src model → bilingual, target dev", "tab:gray"),
    ("target_line", "target"): ("tgt model → bilingual, target dev", "tab:blue"),
}


def lines(summary: pd.DataFrame, style: dict, by: str | None = None):
    """Mean normalised score against alpha with its 95 % band; one panel per value
    of ``by`` (e.g. task), or one panel for the pooled summary."""
    use_style(style)
    groups = [(None, summary)] if by is None else list(summary.groupby(by, sort=True))
    fig, axes = plt.subplots(1, len(groups), figsize=(4.6 * len(groups), 3.6), squeeze=False)
    for ax, (name, block) in zip(axes[0], groups, strict=True):
        for (kind, dev), (label, colour) in LINES.items():
            rows = block[(block.kind == kind) & (block.dev == dev)].sort_values("alpha")
            if rows.empty:
                continue
            ax.plot(rows.alpha, rows["mean"], color=colour, label=label)
            ax.fill_between(rows.alpha, rows.low, rows.high, color=colour, alpha=0.2, lw=0)
        ax.axvline(0, color="black", lw=0.5)
        ax.axvline(1, color="black", lw=0.5)
        ax.set_xlabel("alpha (0: monolingual model, 1: bilingual)")
        ax.set_ylabel("score / bilingual model's")
        ax.set_title("all tasks and pairs" if name is None else str(name))
    axes[0][-1].legend(fontsize="x-small", loc="lower right")
    fig.tight_layout()
    return fig


def variance(table: pd.DataFrame, style: dict):
    """Variance over seeds of the normalised scores against alpha."""
    use_style(style)
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for (kind, dev), (label, colour) in LINES.items():
        rows = table[(table.kind == kind) & (table.dev == dev)].sort_values("alpha")
        if not rows.empty:
            ax.plot(rows.alpha, rows.variance, color=colour, label=label)
    ax.set_xlabel("alpha")
    ax.set_ylabel("variance over seeds (normalised)")
    ax.legend(fontsize="x-small")
    fig.tight_layout()
    return fig


def contours(plane: pd.DataFrame, style: dict):
    """Mean normalised score over the plane (a1: towards the source model, a2:
    towards the target model), one row of panels per dev set, one column per
    task and pair."""
    use_style(style)
    groups = list(plane.groupby(["task", "source", "target"], sort=True))
    devs = sorted(plane.dev.unique())
    fig, axes = plt.subplots(
        len(devs), len(groups), figsize=(4 * len(groups), 3.4 * len(devs)), squeeze=False
    )
    for j, ((task, source, target), block) in enumerate(groups):
        for i, dev in enumerate(devs):
            on_dev = block[block.dev == dev]
            grid = on_dev.groupby(["a2", "a1"]).normalised.mean().unstack("a1")
            ax = axes[i][j]
            filled = ax.contourf(
                grid.columns, grid.index, grid.to_numpy(float), levels=12, cmap="viridis"
            )
            fig.colorbar(filled, ax=ax)
            ax.plot([0, 1, 0], [0, 0, 1], "k.", ms=6)
            label_points(ax, ["bi", "src", "tgt"], [0, 1, 0], [0, 0, 1])
            ax.set_title(f"{task} {source}→{target}, {dev} dev", fontsize="small")
            ax.set_xlabel("a1 (δ_src)")
            ax.set_ylabel("a2 (δ_tgt)")
    fig.tight_layout()
    return fig


def norm_angle(geometry: pd.DataFrame, style: dict):
    """‖δ_src‖ / ‖δ_tgt‖ against the angle between them, one point per (task,
    pair, seed), labelled by task and target."""
    use_style(style)
    fig, ax = plt.subplots(figsize=(5, 3.8))
    for task, rows in geometry.groupby("task", sort=True):
        ax.scatter(rows.angle_degrees, rows.norm_ratio, label=task, s=18)
    ax.axhline(1, color="black", lw=0.5)
    ax.set_xlabel("angle between δ_src and δ_tgt (degrees)")
    ax.set_ylabel("‖δ_src‖ / ‖δ_tgt‖")
    ax.legend(fontsize="x-small")
    ax.set_ylim(0, max(2.0, float(np.nanmax(geometry.norm_ratio)) * 1.1))
    fig.tight_layout()
    return fig
