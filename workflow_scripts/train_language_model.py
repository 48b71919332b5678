"""One fine-tuned token classifier on one (task, language)'s own data: the
sources NS and BEA choose from when the family fine-tunes its encoder."""

from pathlib import Path

from xlt.corpus import read_task_corpus
from xlt.fileio import write_json
from xlt.provenance import versions
from xlt.scripting import run
from xlt.training import file_digest, train_token_classifier


def main(job):
    w, p = job.wildcards, job.params
    train, dev = read_task_corpus(job.input.train), read_task_corpus(job.input.dev)
    identity = {
        "settings": dict(p.settings),
        "max_length": p.max_length,
        "data": [file_digest(job.input.train), file_digest(job.input.dev)],
        "encoder": file_digest(Path(job.input.encoder) / "config.json"),
    }
    summary = train_token_classifier(
        task=w.task,
        train_records=train,
        dev_records=dev,
        encoder_dir=job.input.encoder,
        settings=dict(p.settings),
        fine_tune=True,
        max_length=p.max_length,
        seed=int(w.seed),
        out_dir=job.output.model,
        checkpoint_dir=p.checkpoints,
        threads=job.threads,
        identity=identity,
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
