"""LS (the largest source's classifier) or JM (one classifier over all seen
languages), per task, for one partition; selected on the training languages' dev.
A linear head on the frozen encoder's vectors (one job trains every LS and JM
model of a seed), or a fine-tuned token classifier (JM with its lower encoder
layers frozen, as in Wu and Dredze 2019; one job per model). JM's batches sample
its languages with q proportional to p^alpha (factorization.jm_language_alpha)."""

import logging

import torch

from xlt.core.fileio import atomic_path, write_json
from xlt.core.scripting import as_list, run
from xlt.families.factorization.partitions import data_sources, load_partition
from xlt.families.factorization.training import train_pooled_fine_tuned, train_pooled_frozen

log = logging.getLogger("xlt.train_pooled_head")


def main(job):
    p = job.params
    common = {"task_names": p.tasks, "largest_source": p.largest_source, "cut_tasks": p.cut_tasks}
    common["jm_language_alpha"] = getattr(p, "jm_language_alpha", None)
    outputs = zip(p.units, as_list(job.output.model), as_list(job.output.summary), strict=True)
    for done, (unit, model_path, summary_path) in enumerate(outputs, start=1):
        method, seed = unit["method"], unit["seed"]
        log.info(
            "model %d/%d: %s/%s/partition%d/seed%d",
            done,
            len(p.units),
            unit["subset"],
            method,
            unit["partition"],
            seed,
        )
        seen, _ = load_partition(unit["partitions"], unit["partition"])
        if p.encoder == "fine_tuned":
            summary = train_pooled_fine_tuned(
                method,
                seen,
                seed,
                **common,
                training=p.training,
                jm_frozen_layers=p.jm_frozen_layers,
                corpus=p.corpus,
                encoder_dir=job.input.encoder,
                max_length=p.max_length,
                checkpoints=unit["checkpoints"],
                threads=job.threads,
                out_dir=model_path,
            )
        else:
            heads, summary = train_pooled_frozen(
                method, seen, seed, **common, settings=p.settings, features=p.features
            )
            with atomic_path(model_path) as tmp:
                torch.save(heads, tmp)
        pairs = seen + [(task, p.largest_source) for task in p.tasks if p.largest_source]
        write_json(
            summary_path,
            {
                "method": method,
                "seed": seed,
                "encoder": p.encoder,
                "tasks": summary,
                "data_sources": data_sources(p.corpus, pairs),
            },
        )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
