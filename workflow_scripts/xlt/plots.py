"""Figures drawn from the aggregated score table only (never from runs)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only; no display on clusters or CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .aggregate import summarize  # noqa: E402


def _style(style: dict) -> None:
    name = style.get("style", "default")
    plt.style.use(name if name in plt.style.available or name == "default" else "default")


def _series(summary: pd.DataFrame):
    """(label, rows) per method and source set, in a stable order."""
    for (method, source), rows in summary.groupby(["method", "source"], sort=True):
        yield f"{method} ({source})", rows


def _panels(scores: pd.DataFrame, style: dict):
    """A figure with one panel per task; yields (axes, that task's summary rows)."""
    _style(style)
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
            for row in rows.itertuples():
                ax.annotate(
                    row.target,
                    (row.distance, row.mean),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
        ax.set_xlabel("typological distance from source (1 − cosine)")
        ax.legend(fontsize="small", loc="upper right")
    fig.tight_layout()
    return fig


def pearson(x, y) -> float:
    """Pearson's r; NaN when either side is constant or has fewer than 3 points."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def save(fig, png, pdf, dpi: int) -> None:
    from .fileio import atomic_path

    with atomic_path(png) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None})  # reproducible bytes
    plt.close(fig)


# ---------------------------------------------------------------------------
# The factorization experiment (Ponti et al. 2021, Figures 2-4)


def heldout_per_language(scores: pd.DataFrame, style: dict):
    """Figure 2: bars per held-out language, one series per method, one panel per task."""
    from .heldout_tables import DISPLAY, ORDER
    from .heldout_tables import per_language as summarize_languages

    _style(style)
    summary = summarize_languages(scores)
    task_list = sorted(summary.task.unique())
    fig, axes = plt.subplots(len(task_list), 1, figsize=(9, 3.2 * len(task_list)), squeeze=False)
    methods = [m for m in ORDER if m in set(summary.method)]
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
    from .heldout_tables import DISPLAY, entropy_correlation

    _style(style)
    if "entropy_mean" not in scores:
        raise ValueError("no entropy values: Figure 3 needs pf_d or pf_lr in methods")
    block = scores[(scores.subset == "all") & scores.entropy_mean.notna()]
    methods = [m for m in ("pf_d", "pf_lr") if m in set(block.method)]
    correlation = entropy_correlation(block)
    correlation = correlation[correlation.tasks == "pooled"].set_index("method")
    fig, axes = plt.subplots(1, len(methods), figsize=(5 * len(methods), 3.8), squeeze=False)
    for ax, method in zip(axes[0], methods, strict=True):
        pairs = block[block.method == method].groupby(["task", "language"])
        pairs = pairs[["entropy_mean", "score"]].mean().reset_index()
        for task, rows in pairs.groupby("task"):
            ax.scatter(rows.entropy_mean, rows.score, label=task)
            for row in rows.itertuples():
                ax.annotate(
                    row.language,
                    (row.entropy_mean, row.score),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
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
    _style(style)
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
