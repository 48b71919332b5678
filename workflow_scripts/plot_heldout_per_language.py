"""Figure 2 of the factorization experiment: every method's score per held-out language."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.factorization.plots import heldout_per_language
from xlt.plotting import save


def main(job):
    fig = heldout_per_language(pd.read_csv(job.input.scores), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
