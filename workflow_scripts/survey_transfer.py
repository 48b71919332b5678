"""All-pairs transfer of one task on the frozen encoder: a linear classifier per
source language, scored on every language's test split."""

import logging

import pandas as pd

from xlt.core.fileio import write_csv
from xlt.core.scripting import run
from xlt.encoders.features import language_files, load_features
from xlt.families.survey.transfer import all_pairs_scores


def main(job):
    splits_by_lang = {}
    for lang, path in language_files(job.input.features, job.params.languages).items():
        splits_by_lang[lang] = load_features(path)[0]
    logging.info("%s: %d sources x %d targets", job.wildcards.task, len(splits_by_lang),
                 len(splits_by_lang))  # fmt: skip
    rows = all_pairs_scores(
        job.wildcards.task, splits_by_lang, job.params.settings, int(job.wildcards.seed)
    )
    write_csv(job.output.scores, pd.DataFrame(rows))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
