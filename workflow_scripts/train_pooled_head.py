"""LS (the largest source's classifier) or JM (one classifier over all seen
languages), per task, for one partition; selected on the training languages' dev.
A linear head on the frozen encoder's vectors, or a fine-tuned token classifier
(JM with its lower encoder layers frozen, as in Wu and Dredze 2019)."""

import torch

from xlt.core.fileio import atomic_path, write_json
from xlt.core.scripting import run
from xlt.families.factorization.partitions import load_partition
from xlt.families.factorization.training import train_pooled_fine_tuned, train_pooled_frozen


def main(job):
    w, p = job.wildcards, job.params
    seed = int(w.seed)
    seen, _ = load_partition(job.input.partitions, w.partition)
    common = {"task_names": p.tasks, "largest_source": p.largest_source, "cut_tasks": p.cut_tasks}
    if p.encoder == "fine_tuned":
        summary = train_pooled_fine_tuned(
            w.method,
            seen,
            seed,
            **common,
            training=p.training,
            jm_frozen_layers=p.jm_frozen_layers,
            corpus=p.corpus,
            encoder_dir=job.input.encoder,
            max_length=p.max_length,
            checkpoints=p.checkpoints,
            threads=job.threads,
            out_dir=job.output.model,
        )
    else:
        heads, summary = train_pooled_frozen(
            w.method, seen, seed, **common, settings=p.settings, features=p.features
        )
        with atomic_path(job.output.model) as tmp:
            torch.save(heads, tmp)
    write_json(
        job.output.summary,
        {"method": w.method, "seed": seed, "encoder": p.encoder, "tasks": summary},
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
