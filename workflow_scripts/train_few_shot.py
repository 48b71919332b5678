"""Few-shot transfer to one target: continue one zero-shot model on each of the
target's samples and score the target's test split after each (one row per
point in the output; finished points survive a killed job)."""

import time

from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import file_digest, versions
from xlt.core.scripting import run
from xlt.data.corpus import read_task_corpus
from xlt.families.few_shot.continuation import run_points


def main(job):
    w = job.wildcards
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    samples = read_json(job.input.samples)
    settings = dict(job.params.settings)
    identity = {
        "settings": settings,
        "fine_tune": job.params.fine_tune,
        "max_length": job.params.max_length,
        "task_options": dict(job.params.options),
        "data": [file_digest(job.input.pool), file_digest(job.input.test)],
    }
    points = run_points(
        task=w.task,
        zero_shot_model=job.input.model,
        encoder_dir=job.input.encoder,
        samples=samples,
        pool_records=read_task_corpus(job.input.pool),
        test_records=read_task_corpus(job.input.test),
        settings=settings,
        options=dict(job.params.options),
        max_length=job.params.max_length,
        fine_tune=job.params.fine_tune,
        seed=int(w.seed),
        threads=job.threads,
        cache_dir=job.params.checkpoints,
        identity=identity,
    )
    write_json(
        job.output.points,
        {
            "method": "few_shot",
            "task": w.task,
            "source": w.source,
            "target": w.target,
            "seed": int(w.seed),
            "started": started,
            "zero_shot_model": job.input.model,
            "samples": job.input.samples,
            "pool_split": samples["split"],
            "k_counts": samples["k_counts"],
            "config": identity,
            "points": points,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
