"""Figure: transfer score against typological distance."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.zero_shot.plots import transfer_vs_distance
from xlt.plotting import save


def main(job):
    fig = transfer_vs_distance(pd.read_csv(job.input.scores), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
