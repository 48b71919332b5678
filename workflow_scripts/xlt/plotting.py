"""What every family's figures share: matplotlib without a display, the
configured style, reproducible PNG and PDF files, labelled points."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only; no display on clusters or CI

import matplotlib.pyplot as plt  # noqa: E402

from xlt.core.fileio import atomic_path  # noqa: E402


def use_style(style: dict) -> None:
    """The ``figures.style`` of the config, or matplotlib's default if unknown."""
    name = style.get("style", "default")
    plt.style.use(name if name in plt.style.available or name == "default" else "default")


def label_points(ax, labels, xs, ys) -> None:
    """Write each point's label just above and to the right of it."""
    for label, x, y in zip(labels, xs, ys, strict=True):
        ax.annotate(label, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")


def save(fig, png, pdf, dpi: int) -> None:
    """Write the figure as PNG and PDF (no creation date: reproducible bytes)."""
    with atomic_path(png) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None})
    plt.close(fig)
