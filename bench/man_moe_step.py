"""Steps per second of MAN-MoE's Algorithm 1: one padded batch for all languages
(``xlt.families.man_moe.training``) against one batch per language.

    .venv/bin/python bench/man_moe_step.py [--languages 4] [--steps 60] [--threads 1]

Random word vectors stand in for the cached features (128-dimensional, like the
embedded encoder's; sentences of 5-25 words, 400 per language); the full model
(MAN, private and tagger MoE) trains with batches of 16 sentences per language
and k = 1. The baseline runs the same step with one forward pass per language
(the loss summed over languages, as Algorithm 1 writes it). Both draw the same
sentences; printed: steps per second of each and their ratio, after a few
untimed steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))

from xlt.encoders.features import FeatureSplit  # noqa: E402
from xlt.families.man_moe.model import ManMoE, gate_loss, task_loss  # noqa: E402
from xlt.families.man_moe.systems import VARIANTS  # noqa: E402
from xlt.families.man_moe.training import (  # noqa: E402
    TrainingData,
    discriminator_loss,
    draw,
    main_loss,
    padded,
)

SETTINGS = {"batch_size": 16, "lambda1": 1e-4, "lambda2": 0.01, "k": 1}


def split(seed: int, sentences: int = 400, dim: int = 128) -> FeatureSplit:
    g = torch.Generator().manual_seed(seed)
    lengths = torch.randint(5, 26, (sentences,), generator=g)
    offsets = torch.zeros(sentences + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(lengths, 0)
    words = int(offsets[-1])
    labels = torch.randint(0, 7, (words,), generator=g)
    return FeatureSplit(torch.randn(words, dim, generator=g), labels, offsets)


def per_language_critic(model, data, step):
    """The baseline's D loss: one forward pass per language."""
    critic = torch.zeros(())
    for index, lang in enumerate(data.languages):
        u = data.unlabelled[lang]
        b = padded(u, draw(u, 16, 0, step, index, "discriminator"))
        logits = model.discriminator(model.shared_features(b.vectors, b.lengths).detach(), b.mask)
        critic = critic + torch.nn.functional.cross_entropy(
            logits, torch.full((len(logits),), index)
        )
    return critic


def per_language_main(model, data, step):
    """The baseline's main loss: Algorithm 1's sums, one forward pass per language."""
    loss = torch.zeros(())
    for index, lang in enumerate(data.sources):
        t = data.labelled[lang][0]
        b = padded(t, draw(t, 16, 0, step, index, "labelled"))
        out = model(b.vectors, b.lengths, b.mask)
        gates = gate_loss(out.private_gate, index, b.mask) + gate_loss(
            out.tagger_gate, index, b.mask
        )
        loss = loss + task_loss(out, b.labels, b.mask) + 0.01 * gates
    for index, lang in enumerate(data.languages):
        u = data.unlabelled[lang]
        b = padded(u, draw(u, 16, 0, step, index, "adversary"))
        logits = model.discriminator(model.shared_features(b.vectors, b.lengths), b.mask)
        loss = loss - 1e-4 * torch.nn.functional.cross_entropy(
            logits, torch.full((len(logits),), index)
        )
    return loss


def batched_critic(model, data, step):
    return discriminator_loss(model, data, SETTINGS, 0, step, "discriminator", "cpu")[0]


def batched_main(model, data, step):
    return main_loss(model, data, SETTINGS, 0, step, "cpu")[0]


def steps_per_second(losses, model, data, steps: int) -> float:
    """Algorithm 1's steps (k = 1) per second with ``losses`` = (D's, the main one)."""
    critic_loss, main_loss_of = losses
    main = torch.optim.Adam(model.main_parameters(), lr=1e-3)
    critic = torch.optim.Adam(model.discriminator.parameters(), lr=1e-3)
    model.train()

    def step(i):
        critic.zero_grad()
        critic_loss(model, data, i).backward()
        critic.step()
        main.zero_grad()
        main_loss_of(model, data, i).backward()
        main.step()

    for i in range(3):  # untimed
        step(i)
    started = time.perf_counter()
    for i in range(steps):
        step(3 + i)
    return steps / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", type=int, default=4)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    langs = [f"l{i}" for i in range(args.languages)]
    target, sources = langs[0], langs[1:]
    splits = {lang: split(i) for i, lang in enumerate(langs)}
    data = TrainingData(
        task="ner",
        sources=sources,
        languages=[*sources, target],
        labelled={s: (splits[s], splits[s]) for s in sources},
        unlabelled=splits,
    )
    rates = {}
    for name, losses in (("one batch per language", (per_language_critic, per_language_main)),
                         ("one batch for all", (batched_critic, batched_main))):  # fmt: skip
        torch.manual_seed(0)
        model = ManMoE(128, 7, len(sources), len(langs), VARIANTS["man_moe"])
        rates[name] = steps_per_second(losses, model, data, args.steps)
        print(f"{name}: {rates[name]:.2f} steps/s")
    base, ours = rates.values()
    print(f"{args.languages} languages, {args.threads} thread(s): {ours / base:.2f}x the baseline")


if __name__ == "__main__":
    main()
