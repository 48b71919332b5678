"""Score one trained model on one target language; write predictions and metrics."""

import time

import torch

from xlt import tasks
from xlt.core.fileio import atomic_path, read_json, write_json
from xlt.core.provenance import device_description, versions
from xlt.core.scripting import run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.token_classifier import load_classifier, predict, resolve_device


def main(job):
    w = job.wildcards
    torch.set_num_threads(job.threads)
    started = time.time()
    device = resolve_device(job.params.device)
    model, tokenizer, labels, info = load_classifier(job.input.model, job.input.encoder, device)
    records = read_task_corpus(job.input.test)
    words = [r["words"] for r in records]
    gold = [r["labels"] for r in records]
    pred = [
        [labels[i] for i in s] for s in predict(model, tokenizer, words, info["max_length"], device)
    ]
    result = tasks.score(w.task, gold, pred)
    with atomic_path(job.output.predictions) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write("word\tgold\tpredicted\n")
        for sentence_words, g, p in zip(words, gold, pred, strict=True):
            for row in zip(sentence_words, g, p, strict=True):
                out.write("\t".join(row) + "\n")
            out.write("\n")
    train = read_json(job.input.train_summary)
    write_json(
        job.output.metrics,
        {
            "method": w.method,
            "task": w.task,
            "source": w.source,
            "target": w.target,
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


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
