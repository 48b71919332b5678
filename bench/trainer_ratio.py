"""Throughput anchor: the project's fine-tuning loop against a plain Hugging Face Trainer.

    .venv/bin/python bench/trainer_ratio.py [--encoder DIR] [--epochs 3] [--threads 2] [--pairs 5]

Both fine-tune the same encoder for POS tagging on the same sentences (the
embedded default's source language, qaa: config.yaml's synthetic sizes), with
the same batch size, learning rate, warm-up, weight decay, gradient clipping
and number of optimiser steps, scoring source dev at the end of every epoch.
The project's loop is ``xlt.task_models.training.train_task_model`` (what
train_zero_shot runs): length-bucketed batches, fused AdamW. The Trainer is
left at its defaults otherwise (random batches padded per batch by
DataCollatorForTokenClassification, its default optimiser), labels on each
word's first subword as in the project.

Each side runs in its own process with the same thread count, once untimed
(one epoch: imports and other one-time costs of a process) and then measured:
from the labelled sentences to the saved model, i.e. tokenisation, loading the
encoder, training with the per-epoch evaluations, and writing the model.
The two sides run interleaved, A B B A A B ... (``--pairs``, 5 by default), and
the ratio is taken within each pair. Printed: sentences per second and final dev
accuracy of every run (equal within noise: the two runs differ in batch order),
and the median ratio with its range.

Without ``--encoder`` the embedded encoder is built first (config.yaml's sizes,
one epoch of masked-LM pretraining on qaa's unlabelled text, about 10 s);
``--encoder`` takes any saved Hugging Face encoder directory, e.g. a real
multilingual one on a GPU machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pairs import PAIRS, interleaved, ratio_summary  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))
LANGUAGE, TASK = "qaa", "pos"


def load_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def records(split: str) -> list[dict]:
    """qaa's POS sentences of ``split`` as the project's training records."""
    from xlt.data.sources.synthetic import ud_sentences

    spec = load_config()["synthetic"]
    return [
        {"words": list(s.forms), "labels": list(s.upos)}
        for s in ud_sentences(spec, LANGUAGE, split)
    ]


def build_encoder(out_dir: Path, threads: int) -> None:
    """The embedded encoder of config.yaml's sizes, one pretraining epoch on qaa."""
    from xlt.data.sources.synthetic import unlabelled_lines
    from xlt.encoders.embedded import build_embedded_encoder

    config = load_config()
    settings = dict(config["encoder"]["embedded"])
    settings["pretrain"] = dict(settings["pretrain"], epochs=1)
    texts = unlabelled_lines(config["synthetic"], LANGUAGE)
    build_embedded_encoder(texts, settings, out_dir, threads=threads)


def settings(epochs: int) -> dict:
    """config.yaml's training settings, evaluation once per epoch, no checkpoints."""
    training = dict(load_config()["training"])
    training.update(epochs=epochs, eval_every_steps=0, checkpoint_every_steps=10**9, device="cpu")
    return training


def run_project(encoder: Path, epochs: int, threads: int) -> dict:
    """train_task_model, as train_zero_shot runs it."""
    import torch

    from xlt.task_models.training import train_task_model

    torch.set_num_threads(threads)
    train, dev = records("train"), records("dev")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = train_task_model(
            task=TASK,
            train_records=train,
            dev_records=dev,
            encoder_dir=encoder,
            settings=settings(epochs),
            fine_tune=True,
            max_length=load_config()["encoder"]["max_length"],
            seed=1,
            out_dir=Path(tmp) / "model",
            checkpoint_dir=Path(tmp) / "checkpoints",
            threads=threads,
        )
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "sentences": len(train) * epochs,
        "steps": summary["total_steps"],
        "dev_accuracy": summary["history"][-1]["dev_score"],
    }


def run_trainer(encoder: Path, epochs: int, threads: int) -> dict:
    """A plain Trainer with the same recipe."""
    import numpy as np
    import torch
    from datasets import Dataset
    from transformers import (
        AutoModelForTokenClassification,
        AutoTokenizer,
        DataCollatorForTokenClassification,
        Trainer,
        TrainingArguments,
    )

    from xlt import tasks

    torch.set_num_threads(threads)
    labels = tasks.labels(TASK)
    label_id = {label: i for i, label in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    max_length = load_config()["encoder"]["max_length"]

    def features(split: str) -> Dataset:
        rows = records(split)
        encoded = tokenizer(
            [r["words"] for r in rows],
            is_split_into_words=True,
            truncation=True,
            max_length=max_length,
        )
        label_rows = []
        for i, row in enumerate(rows):
            previous, ids = None, []
            for word in encoded.word_ids(i):
                first = word is not None and word != previous
                ids.append(label_id[row["labels"][word]] if first else -100)
                previous = word
            label_rows.append(ids)
        return Dataset.from_dict({**encoded, "labels": label_rows})

    def accuracy(prediction) -> dict:
        gold = prediction.label_ids
        chosen = gold != -100
        predicted = np.argmax(prediction.predictions, axis=-1)
        return {"accuracy": 100.0 * float((predicted[chosen] == gold[chosen]).mean())}

    recipe = settings(epochs)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        train, dev = features("train"), features("dev")
        steps_per_epoch = -(-len(train) // recipe["batch_size"])
        total_steps = steps_per_epoch * epochs
        model = AutoModelForTokenClassification.from_pretrained(encoder, num_labels=len(labels))
        arguments = TrainingArguments(
            output_dir=tmp,
            per_device_train_batch_size=recipe["batch_size"],
            per_device_eval_batch_size=64,
            learning_rate=recipe["learning_rate"],
            weight_decay=recipe["weight_decay"],
            warmup_steps=int(recipe["warmup_fraction"] * total_steps),
            max_grad_norm=1.0,
            max_steps=total_steps,
            eval_strategy="steps",
            eval_steps=steps_per_epoch,
            save_strategy="no",
            logging_strategy="no",
            report_to="none",
            disable_tqdm=True,
            use_cpu=True,
            seed=1,
        )
        trainer = Trainer(
            model=model,
            args=arguments,
            train_dataset=train,
            eval_dataset=dev,
            data_collator=DataCollatorForTokenClassification(tokenizer),
            compute_metrics=accuracy,
        )
        trainer.train()
        trainer.save_model(Path(tmp) / "model")
        seconds = time.perf_counter() - started
        final = trainer.evaluate()
    return {
        "seconds": seconds,
        "sentences": len(train) * epochs,
        "steps": total_steps,
        "dev_accuracy": final["eval_accuracy"],
    }


def worker(side: str, encoder: Path, epochs: int, threads: int) -> None:
    """One side: an untimed one-epoch run first (the process's one-time costs:
    lazy imports, the optimiser's first use), then the measured run."""
    run = run_project if side == "project" else run_trainer
    run(encoder, 1, threads)
    print(json.dumps(run(encoder, epochs, threads)))


def measure(side: str, encoder: Path, epochs: int, threads: int) -> dict:
    """One side in a fresh process with ``threads`` threads; its figures."""
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", TOKENIZERS_PARALLELISM="false")
    env.update({name: str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    command = [sys.executable, __file__, "--worker", side, "--encoder", str(encoder)]
    command += ["--epochs", str(epochs), "--threads", str(threads)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the {side} run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", type=Path, default=None, help="a saved HF encoder directory")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=PAIRS, help="interleaved A B repeats")
    parser.add_argument("--worker", choices=("project", "trainer"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.encoder, args.epochs, args.threads)
        return
    with tempfile.TemporaryDirectory() as tmp:
        encoder = args.encoder
        if encoder is None:
            encoder = Path(tmp) / "encoder"
            print("building the embedded encoder ...", flush=True)
            build_encoder(encoder, args.threads)
        pairs = interleaved(
            lambda: measure("project", encoder, args.epochs, args.threads),
            lambda: measure("trainer", encoder, args.epochs, args.threads),
            args.pairs,
        )
    print(f"encoder: {args.encoder or 'embedded (config.yaml sizes)'}; threads: {args.threads}")
    print("| pair | loop | steps | sentences/s | final dev accuracy |")
    print("|---|---|---|---|---|")
    ratios = []
    for i, results in enumerate(pairs, start=1):
        rates = {}
        for side, r in zip(SIDES, results, strict=True):
            rates[side] = r["sentences"] / r["seconds"]
            print(f"| {i} | {side} | {r['steps']} | {rates[side]:.1f} | {r['dev_accuracy']:.2f} |")
        ratios.append(rates["project"] / rates["trainer"])
    print(f"throughput ratio project / Trainer: {ratio_summary(ratios)}")


SIDES = ("project", "trainer")

if __name__ == "__main__":
    main()
