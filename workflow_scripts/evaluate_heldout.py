"""Score every factorization-family model of one seed on the held-out pairs of
its partition; the test vectors are read (or encoded) once for all of them."""

import logging
import statistics
import time

from xlt.core.device import resolve_device
from xlt.core.fileio import write_json
from xlt.core.scripting import as_list, run
from xlt.families.factorization.heldout import HeldoutVectors
from xlt.families.factorization.partitions import load_partition
from xlt.families.factorization.predict import score_heldout
from xlt.languages.table import read_language_table

log = logging.getLogger("xlt.evaluate_heldout")


def main(job):
    p = job.params
    fine_tuned = p.encoder == "fine_tuned"
    device = resolve_device(p.device) if fine_tuned else "cpu"
    vectors = HeldoutVectors(p.features, p.corpus, p.max_length, device)
    table = read_language_table(job.input.languages)
    outputs = as_list(job.output.scores)
    for done, (unit, scores) in enumerate(zip(p.units, outputs, strict=True), start=1):
        started = time.time()
        seen, heldout = load_partition(unit["partitions"], unit["partition"])
        models = unit["models"]
        results = score_heldout(
            unit["method"],
            seen,
            heldout,
            unit["seed"],
            model=models[0] if len(models) == 1 else models,
            vectors=vectors,
            fine_tuned=fine_tuned,
            language_model=p.language_model,
            table=table,
            similarity_features=p.similarity_features,
            prediction=p.prediction,
            entropy=p.entropy,
        )
        write_json(
            scores,
            {
                "method": unit["method"],
                "subset": unit["subset"],
                "partition": unit["partition"],
                "seed": unit["seed"],
                "encoder": p.encoder,
                "pairs": results,
            },
        )
        log.info(
            "%d/%d %s/%s/partition%d: mean score %.2f over %d held-out pairs in %.1f s",
            done,
            len(outputs),
            unit["subset"],
            unit["method"],
            unit["partition"],
            statistics.fmean(r["score"] for r in results) if results else float("nan"),
            len(results),
            time.time() - started,
        )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
