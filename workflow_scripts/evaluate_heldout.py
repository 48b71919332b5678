"""Score one factorization-family model on every held-out pair of its partition."""

import torch

from xlt.core.fileio import write_json
from xlt.core.scripting import run
from xlt.encoders.token_classifier import resolve_device
from xlt.families.factorization.heldout import HeldoutVectors
from xlt.families.factorization.partitions import load_partition
from xlt.families.factorization.predict import score_heldout
from xlt.languages.table import read_language_table


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    seen, heldout = load_partition(job.input.partitions, w.partition)
    fine_tuned = p.encoder == "fine_tuned"
    device = resolve_device(p.device) if fine_tuned else "cpu"
    results = score_heldout(
        w.method,
        seen,
        heldout,
        seed,
        model=job.input.model,
        vectors=HeldoutVectors(p.features, p.corpus, p.max_length, device),
        fine_tuned=fine_tuned,
        language_model=p.language_model,
        table=read_language_table(job.input.languages),
        similarity_features=p.similarity_features,
        prediction=p.prediction,
        entropy=p.entropy,
    )
    write_json(
        job.output.scores,
        {
            "method": w.method,
            "subset": w.subset,
            "partition": int(w.partition),
            "seed": seed,
            "encoder": p.encoder,
            "pairs": results,
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
