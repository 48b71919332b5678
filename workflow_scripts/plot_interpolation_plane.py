"""Figure: the plane through the three models as contours."""

import pandas as pd

from xlt.core.scripting import run
from xlt.families.interpolation.plots import contours
from xlt.plotting import save


def main(job):
    points = pd.read_csv(job.input.points)
    fig = contours(points[points.kind == "plane"], job.params.style)
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
