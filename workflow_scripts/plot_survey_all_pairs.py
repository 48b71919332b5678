"""Figure: the all-pairs source x target score matrix per task."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.survey.plots import transfer_heatmaps
from xlt.plotting import save


def main(job):
    fig = transfer_heatmaps(pd.read_csv(job.input.scores), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
