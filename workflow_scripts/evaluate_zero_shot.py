"""Score one trained zero-shot model on every target language's test split:
one predictions file and one metrics file per target, the model loaded once."""

import logging
import time

from xlt import tasks
from xlt.core.fileio import atomic_path, read_json, write_json
from xlt.core.provenance import versions
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.token_classifier import (
    device_description,
    load_classifier,
    predict,
    resolve_device,
)

log = logging.getLogger("xlt.evaluate_zero_shot")


def write_predictions(path, words, gold, pred) -> None:
    """One ``word gold predicted`` row per word, a blank line after each sentence."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write("word\tgold\tpredicted\n")
        for sentence_words, g, p in zip(words, gold, pred, strict=True):
            for row in zip(sentence_words, g, p, strict=True):
                out.write("\t".join(row) + "\n")
            out.write("\n")


def main(job):
    w = job.wildcards
    device = resolve_device(job.params.device)
    model, tokenizer, labels, info = load_classifier(job.input.model, job.input.encoder, device)
    train = read_json(job.input.train_summary)
    targets = job.params.targets
    tests, metrics_files = as_list(job.input.test), as_list(job.output.metrics)
    predictions_files = as_list(job.output.predictions)
    outputs = zip(targets, tests, metrics_files, predictions_files, strict=True)
    for done, (target, test, metrics, predictions) in enumerate(outputs, start=1):
        started = time.time()
        records = read_task_corpus(test)
        words = [r["words"] for r in records]
        gold = [r["labels"] for r in records]
        pred = [
            [labels[i] for i in s]
            for s in predict(model, tokenizer, words, info["max_length"], device)
        ]
        result = tasks.score(w.task, gold, pred)
        write_predictions(predictions, words, gold, pred)
        write_json(
            metrics,
            {
                "method": w.method,
                "task": w.task,
                "source": w.source,
                "target": target,
                "seed": int(w.seed),
                **result,
                "sentences": len(records),
                "words": sum(map(len, words)),
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
