"""SVI steps of the factorization generator with subnormal floats kept and with
them flushed to zero (``xlt.core.scripting.flush_denormals``, set in every job).

    .venv/bin/python bench/denormals.py [--steps 1500] [--pairs 5]

Each measurement is a fresh process with one thread: a generator of the
default's sizes (config.yaml factorization.model: latent 32, rank 4, hidden
64 and 128; 128-wide vectors, 17 classes) trained by Adam for ``--steps``
steps on fixed random batches of 900 words, one of 8 languages per step, as
SVI trains it. Adam's second moments of the weights that a step's task does
not use (the padding classes of the smaller task) decay by beta2 each step
into the subnormal range, where every multiply runs in microcode. Printed:
seconds of each side, the ratio per interleaved pair, and whether the two
sides' final losses agree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from pairs import PAIRS, interleaved, ratio_summary  # noqa: E402
from reference import one_thread_process  # noqa: E402

_WORKLOAD = """
import json, sys, time, torch
sys.path.insert(0, {scripts!r})
from xlt.families.factorization.model import FactorizationModel
torch.set_num_threads(1)
torch.set_flush_denormal({flush})
torch.manual_seed(0)
languages = [f"l{{i}}" for i in range(8)]
model = FactorizationModel(["pos", "ner"], languages, feature_dim=128, num_classes=17,
                           latent_dim=32, rank=4, hidden_sizes=[64, 128])
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, fused=True)
batches = []
for i in range(16):
    x = torch.randn(900, 128)
    task, labels = ("pos", 17) if i % 2 == 0 else ("ner", 7)
    batches.append((x, (x[:, :labels] * 3).argmax(-1), task, labels))
started = time.perf_counter()
for step in range({steps}):
    x, y, task, labels = batches[step % 16]
    loss, _ = model.loss(x, y, task, languages[step % 8], labels, 3, 0.004)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(json.dumps({{"seconds": time.perf_counter() - started, "loss": loss.item()}}))
"""


def measure(steps: int, flush: bool) -> dict:
    """Seconds and final loss of one fresh process."""
    code = _WORKLOAD.format(scripts=str(ROOT / "workflow_scripts"), flush=flush, steps=steps)
    return json.loads(one_thread_process(code))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--pairs", type=int, default=PAIRS)
    args = parser.parse_args()
    kept, flushed = [], []

    def run_kept():
        kept.append(measure(args.steps, False))
        return kept[-1]["seconds"]

    def run_flushed():
        flushed.append(measure(args.steps, True))
        return flushed[-1]["seconds"]

    measured = interleaved(run_kept, run_flushed, args.pairs)
    for i, (a, b) in enumerate(measured, start=1):
        print(f"pair {i}: subnormals kept {a:.2f} s, flushed {b:.2f} s, ratio {a / b:.2f}")
    print(f"{args.steps} SVI steps, kept / flushed: {ratio_summary([a / b for a, b in measured])}")
    losses = {round(r["loss"], 3) for r in kept + flushed}
    print(f"final losses: kept {kept[0]['loss']:.4f}, flushed {flushed[0]['loss']:.4f}", end="")
    print(" (equal to 3 decimals)" if len(losses) == 1 else " (they differ)")


if __name__ == "__main__":
    main()
