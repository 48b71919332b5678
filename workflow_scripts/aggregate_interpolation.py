"""Every interpolation grid -> the tidy points, the normalised lines with 95 %
bands (all tasks pooled, and per task), the variance over seeds, the geometry
of the two directions, and a Markdown summary."""

import pandas as pd

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.interpolation.analysis import (
    collect,
    geometry_table,
    line_summary,
    markdown,
    normalise,
    seed_variance,
)


def main(job):
    points = collect(as_list(job.input.grids))
    points.insert(0, "experiment", job.params.experiment)
    pooled = line_summary(points, by=[]).assign(group="all")
    per_task = line_summary(points, by=["task"]).rename(columns={"task": "group"})
    lines = pd.concat([pooled, per_task], ignore_index=True)
    geometry = geometry_table(points)
    tables = {
        job.output.points: normalise(points),
        job.output.lines: lines,
        job.output.variance: seed_variance(points),
        job.output.geometry: geometry,
    }
    for path, table in tables.items():
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
    write_text(job.output.summary, markdown(lines, geometry))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
