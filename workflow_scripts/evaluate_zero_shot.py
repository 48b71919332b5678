"""Score one trained zero-shot model on every target language's test split:
one predictions file and one metrics file per target, the model loaded once.
A target the task skips (no data, or not among the task's targets) gets a
metrics file with the reason and no score, and an empty predictions file."""

import logging
import time

from xlt import tasks
from xlt.core.device import device_description, resolve_device
from xlt.core.fileio import read_json, write_json, write_text
from xlt.core.provenance import versions
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.task_models import registry as models
from xlt.task_models.storage import load_classifier

log = logging.getLogger("xlt.evaluate_zero_shot")


def main(job):
    w = job.wildcards
    device = resolve_device(job.params.device)
    model, tokenizer, _, info = load_classifier(job.input.model, job.input.encoder, device)
    # scoring choices (say, the UPOS classes left out of UAS/LAS) come from the config
    task_model = models.for_task(w.task, tokenizer, info["max_length"], job.params.options)
    train = read_json(job.input.train_summary)
    targets = job.params.targets
    tests, metrics_files = iter(as_list(job.input.test)), as_list(job.output.metrics)
    predictions_files = as_list(job.output.predictions)
    skipped = dict(job.params.skipped)
    outputs = zip(targets, metrics_files, predictions_files, strict=True)
    for done, (target, metrics, predictions) in enumerate(outputs, start=1):
        unit = {"method": w.method, "task": w.task, "source": w.source, "target": target}
        if target in skipped:
            write_json(metrics, {**unit, "seed": int(w.seed), "skipped": skipped[target]})
            write_text(predictions, "")
            log.info("target %s (%d/%d): skipped, %s", target, done, len(targets), skipped[target])
            continue
        started = time.time()
        records = read_task_corpus(next(tests))
        predicted = task_model.predict(model, task_model.prepare(records), device)
        result = task_model.score(records, predicted)
        task_model.write_predictions(predictions, records, predicted)
        write_json(
            metrics,
            {
                **unit,
                "seed": int(w.seed),
                **result,
                "sentences": len(records),
                "words": sum(tasks.record_words(w.task, r) for r in records),
                "source_dev_score": train["training"]["best_source_dev_score"],
                "train_seconds": train["training"]["seconds"],
                "eval_seconds": round(time.time() - started, 2),
                "train_config": train["config"],
                "device": device_description(device),
                "versions": versions(),
            },
        )
        log.info(
            "target %s (%d/%d): %s %.4f, %d sentences in %.1f s",
            target,
            done,
            len(targets),
            result["metric"],
            result["score"],
            len(records),
            time.time() - started,
        )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
