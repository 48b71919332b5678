"""The survey's all-pairs scores, each pair's word-piece overlap and shared
word-order features, and their correlations with the pair's score."""

import pandas as pd

from xlt.core.fileio import write_csv
from xlt.core.scripting import as_list, run
from xlt.families.survey.tables import all_pairs, pair_measures
from xlt.families.survey.word_order import agreement_rows
from xlt.languages.table import read_language_table


def main(job):
    p = job.params
    languages, tasks = list(p.languages), list(p.tasks)
    frames = [pd.read_csv(path) for path in as_list(job.input.scores)]
    scores = all_pairs(frames, p.transfer, languages, tasks)
    measures = {}
    if "overlap" in p.analyses:
        overlap = pd.read_csv(job.input.overlap).rename(columns={"overlap": "value"})
        measures["overlap"] = (p.overlap["task"], overlap)
    if "word_order" in p.analyses:
        table = read_language_table(job.input.languages)
        agreement = agreement_rows(
            table, languages, p.word_order["feature_set"], list(p.word_order["features"])
        )
        measures["word_order"] = (p.word_order["task"], pd.DataFrame(agreement).rename(
            columns={"shared": "value"}))  # fmt: skip
    pairs, correlations = pair_measures(scores, measures)
    correlations.insert(0, "experiment", p.experiment)
    write_csv(job.output.all_pairs, scores)
    write_csv(job.output.pairs, pairs)
    write_csv(job.output.correlations, correlations)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
