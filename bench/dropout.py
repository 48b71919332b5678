"""Training-step time of the embedded encoder with torch's dropout and with
``xlt.encoders.dropout`` (masks from ``torch.rand`` instead of ``bernoulli_``).

    .venv/bin/python bench/dropout.py [--steps 20] [--rounds 5] [--threads 1]

(a) One fine-tuning step (forward, token cross-entropy, backward, fused AdamW)
of a BertModel of config.yaml's embedded sizes with a linear head over every
subword, on a batch of training.batch_size windows of encoder.max_length
random subwords, dropout training.dropout everywhere: with ``nn.Dropout``,
with ``fast_dropout`` applied (the attention probabilities keep torch's dropout
inside sdpa either way), with ``fast_dropout`` and no dropout of the attention
probabilities (what sdpa's dropout costs), and with p = 0 everywhere (the
floor).
(b) One dropout call (p = 0.1) on a [1600, 384] tensor, forward alone and
forward + backward, both ways.

Every variant runs ``--rounds`` times, interleaved with the others, each round
timing ``--steps`` calls after untimed ones; printed: the median round's
milliseconds per call and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import yaml
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))

from xlt.encoders.dropout import Dropout, fast_dropout  # noqa: E402

LABELS = 17  # UPOS tags


def sizes() -> dict:
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    embedded = config["encoder"]["embedded"]
    return {
        **embedded,
        "batch_size": config["training"]["batch_size"],
        "length": config["encoder"]["max_length"],
        "dropout": config["training"]["dropout"],
    }


def tagger(s: dict, dropout: float, attention: float | None = None) -> nn.Module:
    """BertModel + dropout + linear layer, every dropout ``nn.Dropout(dropout)``
    but the attention probabilities' (``attention``; None: ``dropout``)."""
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=s["vocab_size"],
        hidden_size=s["hidden_size"],
        num_hidden_layers=s["num_layers"],
        num_attention_heads=s["num_heads"],
        intermediate_size=s["intermediate_size"],
        max_position_embeddings=s["max_position"],
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout if attention is None else attention,
    )
    torch.manual_seed(0)
    return nn.ModuleDict(
        {
            "encoder": BertModel(config, add_pooling_layer=False),
            "dropout": nn.Dropout(dropout),
            "head": nn.Linear(s["hidden_size"], LABELS),
        }
    )


def training_step(model: nn.Module, s: dict):
    """A closure running one optimiser step on a fixed random batch."""
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(5, s["vocab_size"], (s["batch_size"], s["length"]), generator=g)
    mask = torch.ones_like(ids)
    gold = torch.randint(0, LABELS, ids.shape, generator=g)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, fused=True)
    model.train()

    def step():
        hidden = model["encoder"](input_ids=ids, attention_mask=mask).last_hidden_state
        logits = model["head"](model["dropout"](hidden))
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), gold.flatten())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def bare_calls(dropout: nn.Module):
    """Closures: one forward call of ``dropout``, and one forward + backward."""
    x = torch.randn(1600, 384, generator=torch.Generator().manual_seed(2), requires_grad=True)
    grad = torch.ones(1600, 384)
    dropout.train()

    def forward():
        with torch.no_grad():
            dropout(x)

    def forward_backward():
        dropout(x).backward(grad)

    return forward, forward_backward


def milliseconds(calls: dict, steps: int, rounds: int) -> dict:
    """Median over ``rounds`` (the variants interleaved) of ms per call."""
    times = {name: [] for name in calls}
    for call in calls.values():  # untimed
        for _ in range(3):
            call()
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            for _ in range(steps):
                call()
            times[name].append((time.perf_counter() - started) / steps * 1e3)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    s = sizes()
    p = s["dropout"]
    print(
        f"(a) training step: hidden {s['hidden_size']}, {s['num_layers']} layers, "
        f"{s['num_heads']} heads, intermediate {s['intermediate_size']}, "
        f"batch {s['batch_size']} x {s['length']}, dropout {p}, {args.threads} thread(s)"
    )
    steps = {
        "nn.Dropout": training_step(tagger(s, p), s),
        "fast_dropout": training_step(fast_dropout(tagger(s, p)), s),
        "fast, attn 0": training_step(fast_dropout(tagger(s, p, attention=0.0)), s),
        "no dropout": training_step(tagger(s, 0.0), s),
    }
    ms = milliseconds(steps, args.steps, args.rounds)
    for name, value in ms.items():
        print(f"  {name:13s} {value:7.2f} ms/step")
    torch_ms, ours_ms, _, floor = ms.values()
    print(
        f"  fast_dropout: {torch_ms / ours_ms:.2f}x the steps/s of nn.Dropout; dropout's "
        f"share of a step {(torch_ms - floor) / torch_ms:.0%} -> {(ours_ms - floor) / ours_ms:.0%}"
    )
    print(f"(b) dropout p=0.1 on [1600, 384], {args.threads} thread(s)")
    calls = {}
    for name, module in (("nn.Dropout", nn.Dropout(0.1)), ("Dropout", Dropout(0.1))):
        calls[f"{name} forward"], calls[f"{name} fwd+bwd"] = bare_calls(module)
    ms = milliseconds(calls, args.steps * 5, args.rounds)
    for name, value in ms.items():
        print(f"  {name:19s} {value:6.2f} ms")
    for kind in ("forward", "fwd+bwd"):
        ratio = ms[f"nn.Dropout {kind}"] / ms[f"Dropout {kind}"]
        print(f"  {kind}: Dropout {ratio:.2f}x as fast as nn.Dropout")


if __name__ == "__main__":
    main()
