"""Zero-shot transfer: fine-tune on the source language(s), select on source dev."""

import time

from xlt.corpus import read_task_corpus
from xlt.fileio import write_json
from xlt.provenance import versions
from xlt.scripting import as_list, run
from xlt.training import file_digest, train_token_classifier


def main(job):
    w = job.wildcards
    train_paths, dev_paths = as_list(job.input.train), as_list(job.input.dev)
    train = [r for path in train_paths for r in read_task_corpus(path)]
    dev = [r for path in dev_paths for r in read_task_corpus(path)]
    identity = {
        "settings": dict(job.params.settings),
        "fine_tune": job.params.fine_tune,
        "max_length": job.params.max_length,
        "data": [file_digest(p) for p in [*train_paths, *dev_paths]],
        "encoder": file_digest(f"{job.input.encoder}/config.json"),
    }
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    summary = train_token_classifier(
        task=w.task,
        train_records=train,
        dev_records=dev,
        encoder_dir=job.input.encoder,
        settings=dict(job.params.settings),
        fine_tune=job.params.fine_tune,
        max_length=job.params.max_length,
        seed=int(w.seed),
        out_dir=job.output.model,
        checkpoint_dir=job.params.checkpoints,
        threads=job.threads,
        identity=identity,
    )
    write_json(
        job.output.summary,
        {
            "method": w.method,
            "task": w.task,
            "source": w.source,
            "seed": int(w.seed),
            "started": started,
            "training": summary,
            "config": identity,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
