"""Assemble the language table: codes, families and typology vectors.

Synthetic languages bring their own typology records; real languages get
theirs from lang2vec/URIEL.
"""

from xlt.core.fileio import read_json
from xlt.core.scripting import as_list, run
from xlt.languages.codes import convert
from xlt.languages.table import build_language_table, write_language_table
from xlt.languages.uriel import FEATURE_SETS, uriel_records


def main(job):
    if job.params.real:
        languages = list(job.params.languages)
        iso = {code: convert(code, "iso639_3") for code in languages}
        names = {code: convert(code, "name") for code in languages}
        # the usual sets, and any other the config's distances ask for
        sets = list(dict.fromkeys([*FEATURE_SETS, *job.params.feature_sets]))
        records = uriel_records(iso, names=names, feature_sets=sets)
    else:
        records = [read_json(path) for path in as_list(job.input.typology)]
    write_language_table(build_language_table(records), job.output.table)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
