"""A fixed reference workload, timed, so that figures from machines of other
speeds can be compared as multiples of it.

    .venv/bin/python bench/reference.py

The workload is the embedded default's own kind of work: masked-LM training
steps of a BERT of the embedded encoder's sizes (config.yaml: 128 wide, 2 layers,
a 4000-piece vocabulary) on fixed random batches (32 x 32 tokens), in a fresh
process with one thread, so that it measures the machine and not the
project's code. Benches import ``reference_seconds`` and print each figure
both in seconds and divided by it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STEPS = 50
_WORKLOAD = f"""
import time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
from transformers import BertConfig, BertForMaskedLM
config = BertConfig(vocab_size=4000, hidden_size=128, num_hidden_layers=2,
                    num_attention_heads=4, intermediate_size=256, max_position_embeddings=128)
model = BertForMaskedLM(config)
optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3)
ids = torch.randint(5, 4000, (32, 32))
model(input_ids=ids, labels=ids).loss.backward()  # first step: allocations, lazy init
started = time.perf_counter()
for _ in range({STEPS}):
    optimiser.zero_grad()
    model(input_ids=ids, labels=ids).loss.backward()
    optimiser.step()
print(time.perf_counter() - started)
"""


def one_thread_process(code: str) -> str:
    """The last line ``code`` prints, run in a fresh interpreter on one thread with
    idle OpenMP threads asleep: a workload that measures the machine, not the state
    of the process that times it."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE", "PATH": "/usr/bin:/bin"},
    )
    return result.stdout.strip().splitlines()[-1]


def reference_seconds() -> float:
    """Seconds the reference workload takes on this machine now."""
    return float(one_thread_process(_WORKLOAD))


def as_multiple(seconds: float, reference: float) -> str:
    """'12.3 s = 2.6 x the reference': a figure in seconds and as a multiple of the
    reference workload timed in the same run."""
    return f"{seconds:.1f} s = {seconds / reference:.2f} x the reference"


def cpu_ticks() -> tuple[int, int] | None:
    """(stolen, all) clock ticks of the machine's CPUs since boot, from the first
    line of /proc/stat; None where there is none. Stolen ticks are those the
    hypervisor gave to other virtual machines while this one had work to run."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal (guest time is inside user)
    ticks = [int(value) for value in fields[1:9]]
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)


def stolen_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of the CPUs' time between two ``cpu_ticks`` readings that other
    virtual machines took."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


class Reference:
    """The reference workload timed when a bench starts and again when it ends
    (``finish``); ``seconds`` is their mean, the machine's speed during the bench.
    ``finish`` also prints the share of the CPUs' time the hypervisor gave to other
    virtual machines in between, which slows a run without showing in the
    reference timed before and after it."""

    def __init__(self) -> None:
        self.ticks = cpu_ticks()
        self.before = reference_seconds()
        self.after = None

    def finish(self) -> None:
        self.after = reference_seconds()
        print(f"reference workload: {self.before:.2f} s before, {self.after:.2f} s after")
        stolen = stolen_share(self.ticks, cpu_ticks())
        if stolen is not None:
            print(f"CPU time taken by other virtual machines (steal) meanwhile: {stolen:.1%}")

    @property
    def seconds(self) -> float:
        return self.before if self.after is None else (self.before + self.after) / 2

    def __call__(self, seconds: float) -> str:
        return as_multiple(seconds, self.seconds)


if __name__ == "__main__":
    print(f"reference workload ({STEPS} masked-LM steps, 1 thread): {reference_seconds():.2f} s")
