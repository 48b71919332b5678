"""Figure: transfer score against typological distance."""

import pandas as pd

from xlt.plots import save, transfer_vs_distance
from xlt.scripting import run


def main(job):
    fig = transfer_vs_distance(pd.read_csv(job.input.scores), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
