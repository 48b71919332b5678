"""One fine-tuned token classifier on one (task, language)'s own data: the
sources NS and BEA choose from when the family fine-tunes its encoder."""

from xlt.core.fileio import write_json
from xlt.core.provenance import versions
from xlt.core.scripting import run
from xlt.task_models.training import train_from_corpora


def main(job):
    w = job.wildcards
    summary, identity = train_from_corpora(
        w.task,
        [job.input.train],
        [job.input.dev],
        job.input.encoder,
        job.params.settings,
        seed=int(w.seed),
        out_dir=job.output.model,
        checkpoint_dir=job.params.checkpoints,
        threads=job.threads,
        max_length=job.params.max_length,
    )
    write_json(
        job.output.summary,
        {
            "task": w.task,
            "language": w.lang,
            "seed": int(w.seed),
            "training": summary,
            "config": identity,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
