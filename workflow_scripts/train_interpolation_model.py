"""Train the target-only or the bilingual model of an interpolation pair, with
the zero-shot source model's settings and seed (so the same start), selected on
the dev sets of the languages it trains on."""

import time

from xlt.core.fileio import write_json
from xlt.core.provenance import versions
from xlt.core.scripting import as_list, run
from xlt.encoders.training import train_from_corpora


def main(job):
    w = job.wildcards
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    summary, identity = train_from_corpora(
        w.task,
        as_list(job.input.train),
        as_list(job.input.dev),
        job.input.encoder,
        job.params.settings,
        seed=int(w.seed),
        out_dir=job.output.model,
        checkpoint_dir=job.params.checkpoints,
        threads=job.threads,
        max_length=job.params.max_length,
        fine_tune=job.params.fine_tune,
        options=dict(job.params.options),
    )
    write_json(
        job.output.summary,
        {
            "model": w.model,
            "task": w.task,
            "source": w.source,
            "target": w.target,
            "seed": int(w.seed),
            "started": started,
            "training": summary,
            "config": identity,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
