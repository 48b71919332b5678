"""Assemble the language table (codes, families, typology vectors)."""

from xlt.fileio import read_json
from xlt.language_table import build_language_table, write_language_table
from xlt.scripting import as_list, run


def main(job):
    records = [read_json(path) for path in as_list(job.input.typology)]
    write_language_table(build_language_table(records), job.output.table)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
