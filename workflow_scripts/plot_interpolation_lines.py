"""Figure: normalised scores along the lines, all tasks pooled and per task."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.interpolation.plots import lines
from xlt.plotting import save


def main(job):
    fig = lines(pd.read_csv(job.input.lines), job.params.style, by="group")
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
