"""Score every point of both interpolation lines and of the plane on the source
and the target dev sets (a grid file per kind, one row per point and dev set,
with the two directions' norms and angle); the models are loaded once, a point
that is the same model as one already scored is not scored again, and points
already scored by a killed run are kept."""

import logging
from pathlib import Path

import pandas as pd

from xlt.core.device import resolve_device
from xlt.core.fileio import atomic_path
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.families.interpolation.runner import grid_points, run_kinds


def main(job):
    w, p = job.wildcards, job.params
    only = tuple(p.only) if p.only else None
    dev_sets = {
        "source": read_task_corpus(job.input.source_dev),
        "target": read_task_corpus(job.input.target_dev),
    }
    unit = {"task": w.task, "source": w.source, "target": w.target, "seed": int(w.seed)}
    kinds = list(p.kinds)
    results, directions = run_kinds(
        grids={kind: grid_points(kind, list(p.alphas), list(p.plane_alphas)) for kind in kinds},
        models_dirs={name: job.input[name] for name in ("source", "target", "bilingual")},
        encoder_dir=job.input.encoder,
        dev_sets=dev_sets,
        only=only,
        device=resolve_device(p.device),
        paths={kind: Path(p.points) / f"{kind}.jsonl" for kind in kinds},
    )
    for kind, grid in zip(kinds, as_list(job.output.grids), strict=True):
        rows = results[kind]
        table = pd.DataFrame(
            [
                {**unit, "kind": kind, **row["point"], "dev": dev, "score": score, **directions}
                for row in rows
                for dev, score in row["scores"].items()
            ]
        )
        with atomic_path(grid) as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
        logging.info("%s: %d points scored", kind, len(rows))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
