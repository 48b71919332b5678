"""PF-d / PF-lr: the factorization model trained by SVI on one partition's seen
pairs, on the frozen encoder's cached vectors or fine-tuning the encoder jointly."""

from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import versions
from xlt.core.scripting import run
from xlt.encoders.token_classifier import resolve_device
from xlt.families.factorization.partitions import read_partition
from xlt.families.factorization.training import (
    language_posterior,
    save_generator,
    train_generator,
)


def main(job):
    w, p = job.wildcards, job.params
    seed = int(w.seed)
    partitions = read_json(job.input.partitions)
    seen, heldout = read_partition(partitions, int(w.partition))
    device = resolve_device(p.device)
    settings = dict(p.settings)
    model, encoder, summary = train_generator(
        w.method,
        partitions,
        seen,
        settings,
        seed,
        features=p.features,
        corpus=p.corpus,
        encoder_dir=getattr(job.input, "encoder", None),
        fine_tuned=p.encoder == "fine_tuned",
        max_length=p.max_length,
        device=device,
        checkpoints=p.checkpoints,
    )
    save_generator(model, encoder, job.output.model)
    write_json(job.output.posterior, language_posterior(model))
    write_json(
        job.output.summary,
        {
            "method": w.method,
            "subset": w.subset,
            "partition": int(w.partition),
            "seed": seed,
            "encoder": p.encoder,
            "seen": [list(pair) for pair in seen],
            "heldout": [list(pair) for pair in heldout],
            "training": {**summary, "device": str(device)},
            "settings": settings,
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
