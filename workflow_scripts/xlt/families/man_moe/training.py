"""Algorithm 1 of Chen et al. (2019): MAN-MoE's training on cached word vectors.

Each step first trains D for ``k`` steps on one unlabelled mini-batch of every
language (the target included), then updates F_s, F_p and C on one labelled
mini-batch of every source (task loss, plus ``lambda2`` times the two gate
losses) and, through F_s, against D on fresh unlabelled mini-batches of every
language (minus ``lambda1`` times D's loss). Two Adam optimisers, one for D and
one for the rest. Losses are averaged over a batch's words, then summed over
languages as in the algorithm.

Batches are a pure function of (seed, step, language, role), so a run resumed
from its checkpoint draws exactly the batches it would have drawn; selection
is on the mean dev score of the sources, every ``eval_every_steps``, with early
stopping after ``patience`` evaluations without improvement. When the splits
carry their words' character ids (``FeatureSplit.chars``, see ``characters``),
every batch does, and every pass gives them to the model's CharCNN.

A ``language_alpha`` (man_moe.training) changes how the labelled
sources are drawn: instead of one mini-batch of every source, each main step
takes as many mini-batches as there are sources (K), each of one source drawn
with probability q_i proportional to p_i^alpha, p_i the source's share of the
sources' training sentences (``xlt.core.sampling``): a source is drawn K q_i
times per step on average, and a source drawn twice gives two mini-batches.
The step's loss is then the sum over its K mini-batches of each one's mean
loss (Algorithm 1's sum over sources, with the sources drawn), every gate
still trained to pick the expert of its words' own source. Each source's
sentences come in a random order without replacement across steps (shuffled
afresh once all came), the whole stream fixed by the seed, so a resumed run
draws the same batches. The discriminator's batches (every language, the
target included) stay one per language. Without one (the default) a step is
Algorithm 1's: one mini-batch of every source, whatever its size (which
weights the sources equally, like alpha 0, not in proportion to their size).
"""

from __future__ import annotations

import copy
import itertools
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from xlt.core.checkpoints import load_run_checkpoint, save_run_checkpoint
from xlt.core.optimisers import Adam
from xlt.core.progress import Progress
from xlt.core.sampling import language_batches, language_probabilities, resamples
from xlt.encoders.features import FeatureSplit, concatenate, split_score
from xlt.families.man_moe.model import ManMoE, gate_nll, mean_gate_weights, word_nll

log = logging.getLogger(__name__)
ROLES = {"labelled": 0, "discriminator": 1, "adversary": 2}


@dataclass
class Batch:
    """Padded sentences: vectors [B, T, e], lengths [B], mask [B, T], labels [B, T]
    ([B] for a split of per-sentence labels); chars [B, T, max_chars] (long, 0 past
    each end) when the split has them."""

    vectors: torch.Tensor
    lengths: torch.Tensor
    mask: torch.Tensor
    labels: torch.Tensor
    chars: torch.Tensor | None = None

    def to(self, device) -> Batch:
        """The batch on ``device``."""
        tensors = (self.vectors, self.lengths, self.mask, self.labels, self.chars)
        return Batch(*(None if t is None else t.to(device) for t in tensors))


def padded(split: FeatureSplit, sentences=None) -> Batch:
    """The chosen sentences of ``split`` (all by default), padded to the longest; the
    words' character ids too when the split has them (``characters``)."""
    chosen = split if sentences is None else split.select(sentences)
    bounds = chosen.offsets.tolist()
    lengths = torch.tensor([b - a for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    size, width = len(lengths), max(int(lengths.max()), 1) if len(lengths) else 1
    mask = torch.arange(width)[None, :] < lengths[:, None]
    vectors = torch.zeros(size, width, chosen.vectors.shape[1])
    vectors[mask] = chosen.vectors
    if chosen.per_sentence:
        labels = chosen.labels.clone()
    else:
        labels = torch.zeros(size, width, dtype=torch.long)
        labels[mask] = chosen.labels
    chars = None
    if chosen.chars is not None:
        chars = torch.zeros(size, width, chosen.chars.shape[1], dtype=torch.long)
        chars[mask] = chosen.chars.long()
    return Batch(vectors, lengths, mask, labels, chars)


def draw(split: FeatureSplit, size: int, seed: int, step: int, lang: int, role: str) -> list[int]:
    """Sentence ids of one mini-batch: a pure function of its coordinates."""
    rng = np.random.default_rng([seed, step, lang, ROLES[role]])
    count = min(size, split.sentences)
    return sorted(rng.choice(split.sentences, size=count, replace=False).tolist())


def _usable(split: FeatureSplit) -> FeatureSplit:
    """The sentences with at least one word (an empty one has nothing to encode)."""
    lengths = (split.offsets[1:] - split.offsets[:-1]).tolist()
    return split.select([s for s, n in enumerate(lengths) if n > 0])


@dataclass
class TrainingData:
    """What one run trains on: per source its (train, dev) splits, per language of
    D (the sources and the target) its unlabelled sentences; ``sources`` and
    ``languages`` fix the expert and D class order."""

    task: str
    sources: list[str]
    languages: list[str]
    labelled: dict[str, tuple[FeatureSplit, FeatureSplit]]
    unlabelled: dict[str, FeatureSplit]

    def __post_init__(self):
        self.labelled = {k: (_usable(t), _usable(d)) for k, (t, d) in self.labelled.items()}
        self.unlabelled = {k: _usable(u) for k, u in self.unlabelled.items()}


def language_batch(splits: dict, languages: list[str], size: int, seed, step, role):
    """One padded batch holding a mini-batch of every language in ``languages`` (one
    LSTM pass for all of them: far fewer kernel launches than one per language),
    and each row's language index."""
    parts, owner = [], []
    for index, lang in enumerate(languages):
        ids = draw(splits[lang], size, seed, step, index, role)
        parts.append(splits[lang].select(ids))
        owner += [index] * len(ids)
    return padded(concatenate(parts)), torch.tensor(owner)


def drawn_batch(splits: dict, languages: list[str], drawn: list[tuple[str, list[int]]]):
    """One padded batch of the mini-batches ``drawn`` ([(language, sentence ids)], a
    language possibly more than once), each row's language index in ``languages``
    and each row's mini-batch index."""
    parts, owner, group = [], [], []
    for slot, (lang, ids) in enumerate(drawn):
        parts.append(splits[lang].select(sorted(ids)))
        owner += [languages.index(lang)] * len(ids)
        group += [slot] * len(ids)
    return padded(concatenate(parts)), torch.tensor(owner), torch.tensor(group)


def labelled_schedule(
    data: TrainingData, settings: dict, seed: int, start: int = 0
) -> Iterator[list[tuple[str, list[int]]]]:
    """The labelled mini-batches of every main step from ``start`` on, K (the number
    of sources) per step, each of one source drawn from q proportional to
    p^``language_alpha`` (``xlt.core.sampling.language_batches``, one stream per
    run, so the steps before ``start`` are drawn and skipped)."""
    sizes = {lang: data.labelled[lang][0].sentences for lang in data.sources}
    per_step = len(data.sources)
    stream = language_batches(
        {lang: range(n) for lang, n in sizes.items()},
        settings["language_alpha"],
        settings["batch_size"],
        [seed, ROLES["labelled"]],
        per_step * settings["max_steps"],
    )
    stream = itertools.islice(stream, per_step * start, None)
    while step := list(itertools.islice(stream, per_step)):
        yield step


def per_language_sum(values: torch.Tensor, owner: torch.Tensor, languages: int) -> torch.Tensor:
    """The sum over languages of the mean of each language's values (Algorithm 1 sums
    one batch loss per language)."""
    sums = torch.zeros(languages, device=values.device).index_add(0, owner, values)
    counts = torch.bincount(owner, minlength=languages).clamp(min=1)
    return (sums / counts).sum()


def discriminator_loss(model: ManMoE, data: TrainingData, settings, seed, step, role, device):
    """(sum over D's languages of D's NLL on one unlabelled batch of each, D's
    accuracy on those batches)."""
    batch, owner = language_batch(
        data.unlabelled, data.languages, settings["batch_size"], seed, step, role
    )
    batch, owner = batch.to(device), owner.to(device)
    # D's steps leave F_s alone: no graph through it
    with torch.set_grad_enabled(role != "discriminator" and torch.is_grad_enabled()):
        shared = model.shared_features(batch.vectors, batch.lengths, batch.chars)
    logits = model.discriminator(shared, batch.mask)
    nll = torch.nn.functional.cross_entropy(logits, owner, reduction="none")
    accuracy = (logits.argmax(-1) == owner).float().mean().item()
    return per_language_sum(nll, owner, len(data.languages)), accuracy


def main_loss(
    model: ManMoE, data: TrainingData, settings, seed, step, device, labelled=None
) -> tuple:
    """Algorithm 1, lines 11-21: (loss, {part: value}) of one main step: per source
    the task loss and lambda2 times the gate losses (its words' NLL of choosing
    its own expert; its sentences' for a pooled C's gate), then minus lambda1
    times D's loss. ``labelled``: the step's mini-batches of ``labelled_schedule``
    (language sampling), summed per mini-batch instead of per source; None - one
    mini-batch of every source."""
    train = {lang: data.labelled[lang][0] for lang in data.sources}
    if labelled is None:
        batch, owner = language_batch(
            train, data.sources, settings["batch_size"], seed, step, "labelled"
        )
        group, groups = owner, len(data.sources)
    else:
        batch, owner, group = drawn_batch(train, data.sources, labelled)
        groups = len(labelled)
    batch, owner, group = batch.to(device), owner.to(device), group.to(device)
    out = model(batch.vectors, batch.lengths, batch.mask, batch.chars)
    words = owner[:, None].expand_as(batch.mask)[batch.mask]  # each word's source
    word_group = group[:, None].expand_as(batch.mask)[batch.mask]  # and mini-batch

    if out.log_probs.dim() == 2:  # one label per sentence
        task = per_language_sum(word_nll(out.log_probs, batch.labels), group, groups)
    else:
        task_nll = word_nll(out.log_probs[batch.mask], batch.labels[batch.mask])
        task = per_language_sum(task_nll, word_group, groups)
    gates = torch.zeros((), device=device)
    for logits in (out.private_gate, out.tagger_gate):
        if logits is None:
            continue
        if logits.dim() == 3:  # a gate per token
            nll = gate_nll(logits[batch.mask], words)
            gates = gates + per_language_sum(nll, word_group, groups)
        else:  # a pooled C's gate, per sentence
            gates = gates + per_language_sum(gate_nll(logits, owner), group, groups)
    loss = task + settings["lambda2"] * gates
    parts = {"task": task.item(), "gate": gates.item(), "adversary": 0.0}
    if model.discriminator is not None and settings["lambda1"] > 0:
        adversary, _ = discriminator_loss(model, data, settings, seed, step, "adversary", device)
        loss = loss - settings["lambda1"] * adversary
        parts["adversary"] = adversary.item()
    return loss, parts


@torch.no_grad()
def predict(model: ManMoE, split: FeatureSplit, batch_size: int = 256) -> tuple:
    """(predicted label ids, per word [words] or, for a pooled C, per sentence
    [sentences]; per-sentence mean gate weights of F_p's gate [sentences, sources]
    or None) of every sentence of ``split``."""
    model.eval()
    device = next(model.parameters()).device
    predicted, gates = [], []
    for start in range(0, split.sentences, batch_size):
        ids = list(range(start, min(start + batch_size, split.sentences)))
        batch = padded(split, ids).to(device)
        out = model(batch.vectors, batch.lengths, batch.mask, batch.chars)
        best = out.log_probs.argmax(-1)
        predicted.append((best if best.dim() == 1 else best[batch.mask]).cpu())
        if out.private_gate is not None:
            gates.append(mean_gate_weights(out.private_gate, batch.mask).cpu())
    flat = torch.cat(predicted) if predicted else torch.zeros(0, dtype=torch.long)
    return flat, torch.cat(gates) if gates else None


def evaluate(model: ManMoE, task: str, split: FeatureSplit) -> float:
    """The task's headline score of ``model`` on ``split``."""
    return split_score(task, split, predict(model, split)[0])


def _optimisers(model: ManMoE, settings: dict):
    """(main, critic): Adam over every part but D, and over D when the model has one
    (D trains whenever there is one; with lambda1 = 0 it only watches F_s)."""

    def adam(parameters):
        return Adam(parameters, lr=settings["learning_rate"], weight_decay=settings["weight_decay"])

    critic = adam(model.discriminator.parameters()) if model.discriminator is not None else None
    return adam(model.main_parameters()), critic


def _resumed(checkpoint: Path, identity: str, model, main, critic):
    """(progress, best weights): from the run's checkpoint when it holds this run
    (weights and optimisers restored), else a fresh start."""
    state = {"step": 0, "best": -math.inf, "best_step": 0, "stale": 0, "history": []}
    best = copy.deepcopy(model.state_dict())
    saved = load_run_checkpoint(checkpoint, identity)
    if saved is not None:
        model.load_state_dict(saved["model"])
        main.load_state_dict(saved["main"])
        if critic is not None:
            critic.load_state_dict(saved["critic"])
        state, best = saved["state"], saved["best"]
        log.info("resuming from %s at step %d", checkpoint, state["step"])
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    return state, best


def _train_discriminator(model, critic, data, settings: dict, seed: int, step: int, device):
    """D's k steps of one iteration (Algorithm 1, lines 3-7): (last loss, accuracy)."""
    d_loss = d_accuracy = math.nan
    for inner in range(settings["k"]):
        critic.zero_grad(set_to_none=True)
        loss, d_accuracy = discriminator_loss(
            model, data, settings, seed, step * settings["k"] + inner, "discriminator", device
        )
        loss.backward()
        critic.step()
        d_loss = loss.item()
    return d_loss, d_accuracy


def _validate(model, data: TrainingData, state: dict, window: list, d_loss, parts) -> bool:
    """The sources' mean dev score recorded in ``state`` with D's accuracy on its
    batches since the last validation (``window``, then emptied); True when it is
    the best so far (else one more stale validation)."""
    step = state["step"]
    dev = float(np.mean([evaluate(model, data.task, data.labelled[s][1]) for s in data.sources]))
    watched = float(np.mean(window)) if window else math.nan
    window.clear()
    state["history"].append(
        {"step": step, "dev": dev, "discriminator": d_loss,
         "discriminator_accuracy": watched, **parts}
    )  # fmt: skip
    improved = dev > state["best"]
    if improved:
        state.update(best=dev, best_step=step, stale=0)
    else:
        state["stale"] += 1
    log.info("step %d: sources' dev %.2f (best %.2f at %d)", step, dev, state["best"],
             state["best_step"])  # fmt: skip
    return improved


def train_man_moe(
    model: ManMoE, data: TrainingData, settings: dict, seed: int, checkpoint_dir, identity: str
) -> dict:
    """Train ``model`` by Algorithm 1; it ends with the best weights on the sources'
    mean dev score. Returns {best_step, best_dev, steps, seconds, history}.

    ``settings``: batch_size, learning_rate, weight_decay, lambda1, lambda2, k,
    max_steps, eval_every_steps, patience, checkpoint_every_steps and
    optionally language_alpha (see the module's docstring). Resumes
    exactly from ``checkpoint_dir/last.pt`` when it holds the same run
    (``identity``).
    """
    started = time.time()
    device = next(model.parameters()).device
    main, critic = _optimisers(model, settings)
    checkpoint = Path(checkpoint_dir) / "last.pt"
    state, best = _resumed(checkpoint, identity, model, main, critic)

    def save():
        payload = {
            "model": model.state_dict(),
            "main": main.state_dict(),
            "critic": critic.state_dict() if critic is not None else None,
            "state": state,
            "best": best,
        }
        save_run_checkpoint(checkpoint, identity, payload)

    schedule = None
    if resamples(settings.get("language_alpha"), data.sources):
        sizes = {lang: data.labelled[lang][0].sentences for lang in data.sources}
        q = language_probabilities(sizes, settings["language_alpha"])
        log.info("labelled mini-batches of sources drawn with probabilities %s", q)
        schedule = labelled_schedule(data, settings, seed, state["step"])
    progress = Progress(log, "MAN-MoE", settings["max_steps"], start=state["step"])
    window = state.setdefault("window", [])
    while state["step"] < settings["max_steps"] and state["stale"] < settings["patience"]:
        model.train()
        step = state["step"]
        d_loss = math.nan
        if critic is not None:
            d_loss, d_accuracy = _train_discriminator(
                model, critic, data, settings, seed, step, device
            )
            window.append(d_accuracy)
        main.zero_grad(set_to_none=True)
        labelled = None if schedule is None else next(schedule)
        loss, parts = main_loss(model, data, settings, seed, step, device, labelled)
        loss.backward()
        main.step()
        state["step"] = step = step + 1
        if critic is None:
            progress.update(step, loss=loss.item())
        else:
            progress.update(step, loss=loss.item(), discriminator=d_loss)
        evaluated = step % settings["eval_every_steps"] == 0 or step == settings["max_steps"]
        if evaluated and _validate(model, data, state, window, d_loss, parts):
            best = copy.deepcopy(model.state_dict())
        if step % settings["checkpoint_every_steps"] == 0:
            save()
    model.load_state_dict(best)
    return {
        "best_step": state["best_step"],
        "best_dev": state["best"],
        "steps": state["step"],
        "seconds": time.time() - started,
        "history": state["history"],
    }
