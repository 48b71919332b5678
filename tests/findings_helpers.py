"""Helpers of the findings tests: a run's tables written by hand."""

from pathlib import Path

import pandas as pd

from xlt.core.findings import Tables


def write_table(results: Path, name: str, rows, config=None) -> Tables:
    """``rows`` (dicts) as ``results/tables/<name>``; the run's Tables."""
    (results / "tables").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(results / "tables" / name, index=False)
    return Tables(results, config or {})
