"""Draw every few-shot sample of one (task, target) from the target's pool split:
the indices (and ids) of the chosen examples, one sample per (strategy, k, run)."""

import logging

from xlt.core.fileio import write_json
from xlt.core.provenance import file_digest
from xlt.core.scripting import run
from xlt.data.corpus import read_task_corpus
from xlt.families.few_shot.samples import sample_all

log = logging.getLogger("xlt.few_shot_samples")


def main(job):
    w = job.wildcards
    records = read_task_corpus(job.input.pool)
    samples = sample_all(
        w.task, records, list(job.params.points), job.params.seed, where=job.input.pool
    )
    write_json(
        job.output.samples,
        {
            "target": w.target,
            "split": job.params.split,
            "corpus": job.input.pool,
            "corpus_digest": file_digest(job.input.pool),
            **samples,
        },
    )
    log.info(
        "%s %s: %d samples from a pool of %d %s (%s split, %d records)",
        w.task,
        w.target,
        len(samples["samples"]),
        samples["pool"],
        samples["k_counts"],
        job.params.split,
        len(records),
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
