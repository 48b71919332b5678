"""Figure: MAN-MoE's mean expert-gate weights per target language and task."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.man_moe.plots import gate_heatmaps
from xlt.plotting import save


def main(job):
    fig = gate_heatmaps(pd.read_csv(job.input.gates), job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
