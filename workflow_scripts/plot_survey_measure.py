"""Figure: a pair measure against the pair's zero-shot score, with Pearson and
Spearman correlations (the survey's Figure 2: entity word-piece overlap vs NER;
Figure 3: shared word-order features vs POS)."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.survey.plots import measure_scatter
from xlt.plotting import save

LABELS = {
    "overlap": "entity word-piece overlap |E_train ∩ E_eval| / |E_train ∪ E_eval|",
    "word_order": "shared word-order features",
}


def main(job):
    measure = job.wildcards.measure
    pairs = pd.read_csv(job.input.pairs)
    correlations = pd.read_csv(job.input.correlations).set_index("analysis")
    fig = measure_scatter(
        pairs[pairs.analysis == measure], correlations.loc[measure], "value", LABELS[measure],
        job.params.style,
    )  # fmt: skip
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
