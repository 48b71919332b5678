"""Figure 3 of the factorization experiment: BMA entropy against score per held-out pair."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.factorization.plots import entropy_vs_score
from xlt.plotting import save


def main(job):
    fig = entropy_vs_score(pd.read_csv(job.input.scores), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
