"""Score every point of one interpolation line or of the plane on the source and
the target dev sets (one row per point and dev set, with the two directions'
norms and angle); points already scored by a killed run are kept."""

import pandas as pd

from xlt.core.fileio import atomic_path
from xlt.core.scripting import run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.token_classifier import resolve_device
from xlt.families.interpolation.runner import grid_points, run_kind


def main(job):
    w = job.wildcards
    only = tuple(job.params.only) if job.params.only else None
    rows, directions = run_kind(
        kind=w.kind,
        models_dirs={name: job.input[name] for name in ("source", "target", "bilingual")},
        encoder_dir=job.input.encoder,
        dev_sets={
            "source": read_task_corpus(job.input.source_dev),
            "target": read_task_corpus(job.input.target_dev),
        },
        points=grid_points(w.kind, list(job.params.alphas), list(job.params.plane_alphas)),
        only=only,
        device=resolve_device(job.params.device),
        path=job.params.points,
    )
    unit = {"task": w.task, "source": w.source, "target": w.target, "seed": int(w.seed)}
    table = pd.DataFrame(
        [
            {**unit, "kind": w.kind, **row["point"], "dev": dev, "score": score, **directions}
            for row in rows
            for dev, score in row["scores"].items()
        ]
    )
    with atomic_path(job.output.grid) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
