"""Figure: each target language's score over k (random samples), per task."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.few_shot.plots import curves
from xlt.plotting import save


def main(job):
    fig = curves(pd.read_csv(job.input.per_language), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
