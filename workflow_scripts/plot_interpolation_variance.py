"""Figure: variance over seeds of the normalised scores along the lines."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.interpolation.plots import variance
from xlt.plotting import save


def main(job):
    fig = variance(pd.read_csv(job.input.variance), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
