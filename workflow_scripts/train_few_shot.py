"""Few-shot transfer from one zero-shot model: continue it on each sample of
every target and score the target's test split after each (a points file per
target, one row per point; finished points survive a killed job)."""

import logging
import time
from pathlib import Path

from xlt.config.settings import log_effective
from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import file_digest, versions
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.families.few_shot.continuation import run_points


def continue_on_target(job, target, samples_path, pool, test):
    """The points document of one target."""
    w = job.wildcards
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    samples = read_json(samples_path)
    settings = dict(job.params.settings)
    identity = {
        "settings": settings,
        "fine_tune": job.params.fine_tune,
        "max_length": job.params.max_length,
        "task_options": dict(job.params.options),
        "data": [file_digest(pool), file_digest(test)],
    }
    points = run_points(
        task=w.task,
        zero_shot_model=job.input.model,
        encoder_dir=job.input.encoder,
        samples=samples,
        pool_records=read_task_corpus(pool),
        test_records=read_task_corpus(test),
        settings=settings,
        options=dict(job.params.options),
        max_length=job.params.max_length,
        fine_tune=job.params.fine_tune,
        seed=int(w.seed),
        threads=job.threads,
        cache_dir=Path(job.params.checkpoints) / target,
        identity=identity,
    )
    return {
        "method": "few_shot",
        "task": w.task,
        "source": w.source,
        "target": target,
        "seed": int(w.seed),
        "started": started,
        "zero_shot_model": job.input.model,
        "samples": samples_path,
        "pool_split": samples["split"],
        "k_counts": samples["k_counts"],
        "config": identity,
        "points": points,
        "versions": versions(),
    }


def main(job):
    log_effective(logging.getLogger("xlt.train_few_shot"), job, job.wildcards.task, few_shot=True)
    targets = list(job.params.targets)
    inputs = zip(
        targets, as_list(job.input.samples), as_list(job.input.pools), as_list(job.input.tests),
        strict=True,
    )  # fmt: skip
    out = Path(job.output.points)
    for done, (target, samples, pool, test) in enumerate(inputs, start=1):
        write_json(
            out / target / "points.json", continue_on_target(job, target, samples, pool, test)
        )
        logging.info("%s: %d of %d targets done", target, done, len(targets))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
