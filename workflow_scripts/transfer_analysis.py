"""Correlations of zero-shot scores with source similarity, and the meta-regression;
the same under every feature variant of zero_shot.feature_variants."""

import logging

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import run
from xlt.families.zero_shot.analysis import USED, analyse, markdown, variants
from xlt.languages.table import read_language_table


def main(job):
    import pandas as pd

    scores = pd.read_csv(job.input.scores, comment="#")
    languages = read_language_table(job.input.languages)
    sets, sizes = list(job.params.feature_sets), dict(job.params.sizes)
    measures = dict(job.params.size_measures)
    correlation, regression, notes, samples = analyse(scores, languages, sets, sizes, measures)
    for note in notes:
        logging.info("left out: %s", note)
    for table, path in (
        (correlation, job.output.correlations),
        (regression, job.output.regression),
        (samples, job.output.samples),
    ):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.4f")
    # the sets in use (languages.distance_features) first, then every other variant
    every = {USED: sets, **dict(job.params.variants)}
    variant_correlations, variant_regressions = variants(scores, languages, every, sizes, measures)
    for table, path in (
        (variant_correlations, job.output.variants),
        (variant_regressions, job.output.variant_regression),
    ):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.4f")
    write_text(job.output.summary, markdown(correlation, regression, notes))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
