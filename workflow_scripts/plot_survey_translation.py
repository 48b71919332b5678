"""Figure: nearest-neighbour translation accuracy per layer (the survey's Figure 4)."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.survey.plots import translation_curves
from xlt.plotting import save


def main(job):
    fig = translation_curves(pd.read_csv(job.input.accuracy), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
