"""Figure: the norm ratio of the two directions against their angle."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.interpolation.plots import norm_angle
from xlt.plotting import save


def main(job):
    fig = norm_angle(pd.read_csv(job.input.geometry), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
