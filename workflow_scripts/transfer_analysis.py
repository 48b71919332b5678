"""Correlations of zero-shot scores with source similarity, and the meta-regression;
the same under every other defensible choice: the feature sets of
zero_shot.feature_variants, the ISO codes of zero_shot.code_variants, every size measure."""

import logging

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import run
from xlt.families.zero_shot.analysis import analyse, markdown, variants
from xlt.languages.table import read_language_table
from xlt.languages.uriel import recoded


def main(job):
    import pandas as pd

    scores = pd.read_csv(job.input.scores, comment="#")
    languages = read_language_table(job.input.languages)
    sets, sizes = list(job.params.feature_sets), dict(job.params.sizes)
    measures = dict(job.params.size_measures)
    correlation, regression, notes, samples = analyse(scores, languages, sets, sizes, measures)
    for note in notes:
        logging.info("left out: %s", note)
    # the choices in use first, then every other one, one choice varied at a time
    present = set(languages.code)
    code_tables = {
        name: recoded(languages, {c: iso for c, iso in codes.items() if c in present})
        for name, codes in dict(job.params.code_variants).items()
    }
    variant_correlations, variant_regressions = variants(
        scores, languages, sets, dict(job.params.variants), sizes, measures, code_tables
    )
    for table, path in (
        (correlation, job.output.correlations),
        (regression, job.output.regression),
        (samples, job.output.samples),
        (variant_correlations, job.output.variants),
        (variant_regressions, job.output.variant_regression),
    ):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.4f")
    write_text(job.output.summary, markdown(correlation, regression, notes))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
