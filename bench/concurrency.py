"""Two training jobs on one machine: does one slow the other down?

    .venv/bin/python bench/concurrency.py [--steps 60] [--cores 2]

A job here is what train_zero_shot does per step: the embedded default's BERT
(config.yaml's encoder.embedded sizes) with a token-classification head,
forward, backward and AdamW on a batch of training.batch_size windows of
encoder.max_length subwords. Each job runs in its own process, with the
thread settings a Snakemake job gets (OMP/MKL/OpenBLAS threads = the rule's
threads) and a wait policy. Printed: seconds of the training loop (imports
excluded) of one job alone and of each of two jobs started together, and the
ratio two-together / alone; 1.0 means the jobs do not slow each other at all.

Rows: the workflow's local setting (--cores 2: two 1-thread jobs side by side,
idle OpenMP threads sleeping, OMP_WAIT_POLICY=PASSIVE as rules/common.smk
sets it) and an oversubscribed machine (two jobs that each use every core,
e.g. two Snakemake runs or a run next to the tests), with passive and with
active (spinning) waiting.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def worker(steps: int) -> None:
    """One job: ``steps`` training steps; prints the loop's seconds."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    sizes, training = config["encoder"]["embedded"], config["training"]
    torch.manual_seed(0)
    model = BertForTokenClassification(
        BertConfig(
            vocab_size=sizes["vocab_size"],
            hidden_size=sizes["hidden_size"],
            num_hidden_layers=sizes["num_layers"],
            num_attention_heads=sizes["num_heads"],
            intermediate_size=sizes["intermediate_size"],
            max_position_embeddings=sizes["max_position"],
            num_labels=17,
        )
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=training["learning_rate"])
    shape = (training["batch_size"], config["encoder"]["max_length"])
    ids = torch.randint(5, sizes["vocab_size"], shape)
    labels = torch.randint(0, 17, shape)
    model(input_ids=ids, labels=labels).loss.backward()  # warm-up, not timed
    optimizer.zero_grad()
    started = time.perf_counter()
    for _ in range(steps):
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    print(f"{time.perf_counter() - started:.3f}")


def run_jobs(count: int, threads: int, wait_policy: str, steps: int) -> list[float]:
    """Start ``count`` jobs at once; the training-loop seconds of each."""
    env = dict(os.environ, OMP_WAIT_POLICY=wait_policy)
    env.update({name: str(threads) for name in THREAD_VARIABLES})
    command = [sys.executable, __file__, "--worker", "--steps", str(steps)]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(count)
    ]
    seconds = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a benchmark job failed (exit {process.returncode})")
        seconds.append(float(out.strip().splitlines()[-1]))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60, help="training steps per job")
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="cores of the machine")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.steps)
        return
    per_job = max(1, args.cores // 2)
    settings = [
        (f"workflow: 2 jobs x {per_job} thread(s), passive", per_job, "PASSIVE"),
        (f"oversubscribed: 2 jobs x {args.cores} threads, passive", args.cores, "PASSIVE"),
        (f"oversubscribed: 2 jobs x {args.cores} threads, active", args.cores, "ACTIVE"),
    ]
    print(f"{args.steps} training steps per job, {args.cores} cores")
    print(f"{'setting':52} {'alone s':>8} {'together s':>11} {'ratio':>6}")
    for name, threads, policy in settings:
        alone = run_jobs(1, threads, policy, args.steps)[0]
        together = max(run_jobs(2, threads, policy, args.steps))
        print(f"{name:52} {alone:8.2f} {together:11.2f} {together / alone:6.2f}")


if __name__ == "__main__":
    main()
