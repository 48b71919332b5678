"""The run's tables -> the findings scorecard: every registered claim's
statistic, interval, verdict and published value (tables/findings.csv, .md, .rst),
and the papers' published tables beside the run's where a family compares them
(tables/findings_comparison.csv)."""

import logging

import pandas as pd

from xlt.core import findings
from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import run
from xlt.families import scorecard


def main(job):
    claims = findings.load_claims(job.input.claims)
    tables = findings.Tables(job.params.results, job.params.config)
    rows = scorecard.evaluate(claims, tables)
    for row in rows:
        logging.info("%s [%s]: %s %s", row.claim, row.scope, row.verdict, row.reason)
    table = pd.DataFrame([row.row() for row in rows])
    with atomic_path(job.output.table) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")
    compared = scorecard.comparisons(tables)
    combined = pd.concat(
        [frame.assign(table=title) for title, frame in compared] or [pd.DataFrame({"table": []})],
        ignore_index=True,
    )
    with atomic_path(job.output.comparison) as tmp:
        combined.to_csv(tmp, index=False, float_format="%.4g")
    write_text(job.output.summary, findings.markdown(rows, compared, tables.failed))
    write_text(job.output.front_page, findings.rst_scorecard(rows))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
