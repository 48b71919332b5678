"""Figures of the factorization experiment (Ponti et al. 2021, Figures 2-4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from xlt.families.factorization.methods import DISPLAY, GENERATORS, TABLE_ORDER
from xlt.families.factorization.tables import entropy_correlation, per_language
from xlt.plotting import label_points, use_style


def heldout_per_language(scores: pd.DataFrame, style: dict):
    """Figure 2: bars per held-out language, one series per method, one panel per task."""
    use_style(style)
    summary = per_language(scores)
    task_list = sorted(summary.task.unique())
    fig, axes = plt.subplots(len(task_list), 1, figsize=(9, 3.2 * len(task_list)), squeeze=False)
    methods = [m for m in TABLE_ORDER if m in set(summary.method)]
    width = 0.8 / len(methods)
    for ax, task in zip(axes[:, 0], task_list, strict=True):
        block = summary[summary.task == task]
        languages = sorted(block.language.unique())
        for i, method in enumerate(methods):
            rows = block[block.method == method].set_index("language").reindex(languages)
            x = np.arange(len(languages)) + i * width - 0.4 + width / 2
            ax.bar(
                x, rows["mean"], width, yerr=rows["std"].fillna(0), capsize=2, label=DISPLAY[method]
            )
        metric = scores.loc[scores.task == task, "metric"].iloc[0]
        ax.set_title(f"{task} ({metric}), held-out pairs")
        ax.set_xticks(np.arange(len(languages)), languages)
        ax.set_ylim(0, 100)
        ax.set_ylabel("score")
    axes[0, 0].legend(fontsize="small", ncol=len(methods), loc="upper right")
    fig.tight_layout()
    return fig


def entropy_vs_score(scores: pd.DataFrame, style: dict):
    """Figure 3: mean BMA entropy against score per held-out pair, Pearson's r per PF method."""
    use_style(style)
    if "entropy_mean" not in scores:
        raise ValueError("no entropy values: Figure 3 needs pf_d or pf_lr in methods")
    block = scores[(scores.subset == "all") & scores.entropy_mean.notna()]
    methods = [m for m in GENERATORS if m in set(block.method)]
    correlation = entropy_correlation(block)
    correlation = correlation[correlation.tasks == "pooled"].set_index("method")
    fig, axes = plt.subplots(1, len(methods), figsize=(5 * len(methods), 3.8), squeeze=False)
    for ax, method in zip(axes[0], methods, strict=True):
        pairs = block[block.method == method].groupby(["task", "language"])
        pairs = pairs[["entropy_mean", "score"]].mean().reset_index()
        for task, rows in pairs.groupby("task"):
            ax.scatter(rows.entropy_mean, rows.score, label=task)
            label_points(ax, rows["language"], rows["entropy_mean"], rows["score"])
        r = correlation.loc[method]
        ax.set_title(f"{DISPLAY[method]}: pooled r = {r.pearson_r:.2f} (p = {r.p_value:.2g})")
        ax.set_xlabel("mean entropy of the BMA predictive distribution (nats)")
        ax.set_ylabel("score")
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def language_pca(posterior: dict, families: dict, samples: int, seed: int, style: dict):
    """Figure 4: samples from every language's posterior q(l), projected on the
    first two principal components of all samples together."""
    use_style(style)
    rng = np.random.default_rng(seed)
    mean = np.asarray(posterior["mean"])
    std = np.sqrt(np.asarray(posterior["diagonal"]))
    factor = None if posterior["factor"] is None else np.asarray(posterior["factor"])
    draws = mean[:, None, :] + std[:, None, :] * rng.standard_normal(
        (*mean.shape[:1], samples, mean.shape[1])
    )
    if factor is not None:
        zeta = rng.standard_normal((mean.shape[0], samples, factor.shape[2]))
        draws = draws + np.einsum("lhk,lsk->lsh", factor, zeta)
    flat = draws.reshape(-1, mean.shape[1])
    centred = flat - flat.mean(0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    projected = (centred @ components[:2].T).reshape(mean.shape[0], samples, 2)
    fig, ax = plt.subplots(figsize=(6, 5))
    family_names = sorted({families.get(lang, "") for lang in posterior["languages"]})
    colours = plt.get_cmap("tab10")
    for i, lang in enumerate(posterior["languages"]):
        family = families.get(lang, "")
        colour = colours(family_names.index(family) % 10)
        ax.scatter(projected[i, :, 0], projected[i, :, 1], s=6, alpha=0.4, color=colour)
        centre = projected[i].mean(0)
        ax.annotate(lang, centre, fontsize=8, weight="bold")
    for family in family_names:
        ax.scatter(
            [], [], color=colours(family_names.index(family) % 10), label=family or "isolate"
        )
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title("Posterior samples of language vectors (PCA)")
    ax.legend(fontsize="small", title="family")
    fig.tight_layout()
    return fig
