"""PF-d / PF-lr: the factorization model trained by SVI on one partition's seen
pairs, on the frozen encoder's cached vectors or fine-tuning the encoder jointly.
One job trains one model, or with a frozen encoder every PF model of a seed."""

import logging

from xlt.core.device import resolve_device
from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import versions
from xlt.core.scripting import as_list, run
from xlt.families.factorization.partitions import data_sources, read_partition
from xlt.families.factorization.training import (
    language_posterior,
    save_generator,
    train_generator,
)

log = logging.getLogger("xlt.train_factorization")


def main(job):
    p = job.params
    device = resolve_device(p.device)
    outputs = zip(
        p.units,
        as_list(job.output.model),
        as_list(job.output.summary),
        as_list(job.output.posterior),
        strict=True,
    )
    for done, (unit, model_path, summary_path, posterior_path) in enumerate(outputs, start=1):
        log.info(
            "model %d/%d: %s/%s/partition%d/seed%d",
            done,
            len(p.units),
            unit["subset"],
            unit["method"],
            unit["partition"],
            unit["seed"],
        )
        partitions = read_json(unit["partitions"])
        seen, heldout = read_partition(partitions, unit["partition"])
        settings = dict(p.settings)
        model, encoder, summary = train_generator(
            unit["method"],
            partitions,
            seen,
            settings,
            unit["seed"],
            features=p.features,
            corpus=p.corpus,
            encoder_dir=getattr(job.input, "encoder", None),
            fine_tuned=p.encoder == "fine_tuned",
            max_length=p.max_length,
            device=device,
            checkpoints=unit["checkpoints"],
        )
        save_generator(model, encoder, model_path)
        write_json(posterior_path, language_posterior(model))
        write_json(
            summary_path,
            {
                "method": unit["method"],
                "subset": unit["subset"],
                "partition": unit["partition"],
                "seed": unit["seed"],
                "encoder": p.encoder,
                "seen": [list(pair) for pair in seen],
                "data_sources": data_sources(p.corpus, seen),
                "heldout": [list(pair) for pair in heldout],
                "training": {**summary, "device": str(device)},
                "settings": settings,
                "versions": versions(),
            },
        )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
