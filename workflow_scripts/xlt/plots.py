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
