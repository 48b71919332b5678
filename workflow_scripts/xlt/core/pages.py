"""Result tables as HTML pages, so that the Snakemake report shows them (it
displays images and HTML, and offers every other file as a download): a
Markdown table file rendered (CommonMark with tables, markdown-it-py), a CSV
file as one table."""

from __future__ import annotations

import html
from pathlib import Path

STYLE = """
body { font-family: sans-serif; font-size: 14px; margin: 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; }
th { background: #eee; }
"""


def markdown_html(text: str) -> str:
    """Markdown (with pipe tables) as HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def csv_html(path) -> str:
    """A CSV table as one HTML table, numbers to 4 significant digits, missing
    cells empty."""
    import pandas as pd

    frame = pd.read_csv(path)
    return frame.to_html(index=False, na_rep="", float_format=lambda x: f"{x:.4g}", border=0)


def table_page(path, title: str) -> str:
    """The page of the table file ``path`` (.md or .csv) under ``title``."""
    path = Path(path)
    if path.suffix == ".md":
        body = markdown_html(path.read_text(encoding="utf-8"))
    elif path.suffix == ".csv":
        body = csv_html(path)
    else:
        raise ValueError(f"{path}: a report table is a .md or .csv file")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
