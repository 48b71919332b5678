"""Score the trained zero-shot models of every task of one (method, source set,
seed) on every target language's test split: one predictions file and one
metrics file per (task, target), each model loaded once, all in one process
(torch, transformers and the encoder's files are loaded once, not once per
model). A target a task skips (no data, or not among the task's targets) gets a
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


def evaluate_model(job, task, model_dir, summary, tests, outputs, device):
    """Score one task's model on every target: ``tests`` the test corpora of the
    targets it does not skip, in order; ``outputs`` (target, metrics file,
    predictions file) of every target."""
    w, p = job.wildcards, job.params
    model, tokenizer, _, info = load_classifier(model_dir, job.input.encoder, device)
    # scoring choices (say, the UPOS classes left out of UAS/LAS) come from the config
    task_model = models.for_task(task, tokenizer, info["max_length"], p.options[task])
    train = read_json(summary)
    skipped = dict(p.skipped[task])
    for done, (target, metrics, predictions) in enumerate(outputs, start=1):
        unit = {"method": w.method, "task": task, "source": w.source, "target": target}
        if target in skipped:
            write_json(metrics, {**unit, "seed": int(w.seed), "skipped": skipped[target]})
            write_text(predictions, "")
            log.info("%s, target %s (%d/%d): skipped, %s", task, target, done, len(outputs),
                     skipped[target])  # fmt: skip
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
                "words": sum(tasks.record_words(task, r) for r in records),
                "source_dev_score": train["training"]["best_source_dev_score"],
                "train_seconds": train["training"]["seconds"],
                "eval_seconds": round(time.time() - started, 2),
                "train_config": train["config"],
                "device": device_description(device),
                "versions": versions(),
            },
        )
        log.info(
            "%s, target %s (%d/%d): %s %.4f, %d sentences in %.1f s",
            task,
            target,
            done,
            len(outputs),
            result["metric"],
            result["score"],
            len(records),
            time.time() - started,
        )


def main(job):
    p = job.params
    device = resolve_device(p.device)
    tests = iter(as_list(job.input.test))
    metrics, predictions = as_list(job.output.metrics), as_list(job.output.predictions)
    per_task = len(p.targets)
    models_and_summaries = zip(
        p.tasks, as_list(job.input.models), as_list(job.input.train_summaries), strict=True
    )
    for number, (task, model_dir, summary) in enumerate(models_and_summaries):
        # the job's outputs are task by task, each task's target by target
        first = number * per_task
        outputs = list(
            zip(
                p.targets,
                metrics[first : first + per_task],
                predictions[first : first + per_task],
                strict=True,
            )
        )
        evaluate_model(job, task, model_dir, summary, tests, outputs, device)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
