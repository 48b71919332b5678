"""Figure: each target's score against each feature of the transfer analysis."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.zero_shot.plots import transfer_features
from xlt.plotting import save


def main(job):
    fig = transfer_features(pd.read_csv(job.input.samples), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
