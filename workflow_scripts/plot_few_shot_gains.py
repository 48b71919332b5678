"""Figure: the mean gain over zero-shot per sampling strategy and k, per task."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.few_shot.plots import gain_heatmaps
from xlt.plotting import save


def main(job):
    fig = gain_heatmaps(pd.read_csv(job.input.by_k), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
