"""Every table the report shows -> an HTML page per table
(tables/pages/<category>/<name>.html), so that the report displays it."""

from pathlib import Path

from xlt.core.fileio import write_text
from xlt.core.pages import table_page
from xlt.core.scripting import run


def main(job):
    out = Path(job.output.pages)
    for table, (category, name) in zip(job.input.tables, job.params.pages, strict=True):
        write_text(out / category / f"{name}.html", table_page(table, Path(table).name))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
