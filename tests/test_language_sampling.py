"""Multilingual sampling q_i proportional to p_i^alpha (``xlt.core.sampling``) and
its four call sites: zero-shot fine-tuning on several sources, the factorization
family's JM, MAN-MoE's labelled sources and the embedded encoder's masked-LM
pretraining. At each site no alpha (None, or the config key absent) builds today's
batches; any alpha, 1 included, draws one language per batch from q and so changes
the batches the site actually trains on (alpha 1: q = p, in proportion to size)."""

import copy
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch

from xlt import tasks
from xlt.config import ConfigError, validate_config
from xlt.core.sampling import (
    epoch_batches_count,
    language_batches,
    language_probabilities,
    resamples,
)
from xlt.encoders.features import FeatureSplit
from xlt.encoders.windows import length_batches
from xlt.families.man_moe import family as man_moe_family

SIZES = {"a": 900, "b": 100}


# ---------------------------------------------------------------------------
# q by hand


@pytest.mark.parametrize(
    ("alpha", "expected"),
    [
        (1.0, {"a": 0.9, "b": 0.1}),  # proportional to size
        (0.5, {"a": 0.75, "b": 0.25}),  # sqrt(0.9) : sqrt(0.1) = 30 : 10
        (0.0, {"a": 0.5, "b": 0.5}),  # uniform
    ],
)
def test_probabilities_by_hand(alpha, expected):
    q = language_probabilities(SIZES, alpha)
    assert list(q) == ["a", "b"]
    assert q == pytest.approx(expected, abs=1e-12)


def test_probabilities_of_three_languages_by_hand():
    # p = 1/6, 2/6, 3/6; alpha 2: p^2 proportional to 1, 4, 9
    q = language_probabilities({"x": 1, "y": 2, "z": 3}, 2)
    assert q == pytest.approx({"x": 1 / 14, "y": 4 / 14, "z": 9 / 14}, abs=1e-12)


@pytest.mark.parametrize(
    ("sizes", "alpha", "message"),
    [
        ({}, 1.0, "no languages to sample from"),
        ({"a": 5, "b": 0}, 0.5, "language 'b' has no training examples"),
        (SIZES, -0.5, "alpha must be a finite number >= 0, not -0.5"),
        (SIZES, math.nan, "alpha must be a finite number >= 0, not nan"),
        (SIZES, "half", "alpha must be a finite number >= 0, not 'half'"),
    ],
)
def test_probabilities_refuse_what_cannot_be_sampled(sizes, alpha, message):
    with pytest.raises(ValueError, match=message):
        language_probabilities(sizes, alpha)


def test_sampler_checks_its_arguments_at_the_call():
    indices = {"a": range(5), "b": []}
    with pytest.raises(ValueError, match="language 'b' has no training examples"):
        language_batches(indices, 0.5, 4, 0)  # not only once iterated
    with pytest.raises(ValueError, match="batch_size must be at least 1, not 0"):
        language_batches({"a": range(5)}, 0.5, 0, 0)
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        language_batches({"a": range(5)}, -1, 4, 0)
    with pytest.raises(ValueError, match="num_batches must be >= 0, not -1"):
        language_batches({"a": range(5)}, 0.5, 4, 0, -1)


def test_resampling_needs_an_alpha_and_two_languages():
    # no alpha: the caller's own batches, whatever the languages
    assert not resamples(None, ["a", "b"])
    assert not resamples(None, {"a": [0], "b": [1]})
    assert not resamples(None, ["a"])
    # any alpha, 1 included, with two languages or more: one language per batch
    assert resamples(1.0, ["a", "b"])
    assert resamples(1, {"a": [0], "b": [1]})  # YAML's integer 1 too
    assert resamples(0.5, ["a", "b"]) and resamples(0, {"a": [0], "b": [1]})
    assert resamples(2.0, ["a", "b", "c"])
    # one language: nothing to sample
    assert not resamples(0.5, ["a"])
    assert not resamples(1.0, ["a"])
    with pytest.raises(ValueError, match="alpha"):
        resamples(-1, ["a", "b"])
    with pytest.raises(ValueError, match="alpha"):
        resamples(-1, ["a"])  # checked even with one language


def test_alpha_one_samples_in_proportion_to_size():
    """alpha 1 is q = p (by hand: 900 and 100 examples -> 0.9 and 0.1), every batch
    of one language (the call sites' tests: not their concatenated, shuffled batches)."""
    assert language_probabilities(SIZES, 1.0) == pytest.approx({"a": 0.9, "b": 0.1}, abs=1e-12)
    assert language_probabilities(SIZES, 1) == pytest.approx({"a": 0.9, "b": 0.1}, abs=1e-12)
    indices = {"a": range(900), "b": range(900, 1000)}
    batches = list(language_batches(indices, 1.0, 10, 3, 5000))
    for lang, ids in batches:
        assert set(ids) <= set(indices[lang]) and len(ids) == 10  # 10 divides both sizes
    # b is drawn Binomial(5000, 0.1): sd 21.2, within 4 of them
    assert abs(Counter(lang for lang, _ in batches)["b"] - 500) <= 4 * math.sqrt(5000 * 0.09)


# ---------------------------------------------------------------------------
# the sampler


@pytest.mark.parametrize("alpha", [1.0, 0.5, 0.0])
def test_batch_languages_follow_q_within_binomial_noise(alpha):
    indices = {"a": range(900), "b": range(900, 1000), "c": range(1000, 1010)}
    n = 20000
    q = language_probabilities({k: len(v) for k, v in indices.items()}, alpha)
    counts = Counter(lang for lang, _ in language_batches(indices, alpha, 4, 7, n))
    for lang, qi in q.items():
        # a language's count is Binomial(n, q_i): within 4 standard deviations
        # (a correct sampler misses with a chance below 1e-4; the seed is fixed)
        sd = math.sqrt(n * qi * (1 - qi))
        assert abs(counts[lang] - n * qi) <= 4 * sd, (lang, counts[lang], n * qi, sd)


def test_up_sampling_is_visible_against_proportional_sampling():
    indices = {"a": range(900), "b": range(900, 1000)}
    shares = {
        alpha: Counter(lang for lang, _ in language_batches(indices, alpha, 8, 1, 4000))["b"] / 4000
        for alpha in (1.0, 0.5, 0.0)
    }
    # 0.1, 0.25, 0.5 expected; the standard deviation is at most 0.008
    assert shares[1.0] < 0.13 < 0.2 < shares[0.5] < 0.3 < 0.45 < shares[0.0] < 0.55


def test_sampler_is_deterministic_and_prefix_stable():
    indices = {"a": range(50), "b": range(50, 60), "c": [100, 200, 300]}
    first = list(language_batches(indices, 0.3, 8, [1, 2], 60))
    assert first == list(language_batches(indices, 0.3, 8, [1, 2], 60))
    assert first != list(language_batches(indices, 0.3, 8, [1, 3], 60))
    assert list(language_batches(indices, 0.3, 8, [1, 2], 25)) == first[:25]


def test_an_epochs_worth_is_ceil_of_examples_over_batch_size():
    indices = {"a": range(40), "b": range(40, 47)}
    assert epoch_batches_count(indices, 4) == 12
    assert len(list(language_batches(indices, 0.5, 4, 0))) == 12


def test_examples_of_a_language_do_not_repeat_before_its_pool_is_exhausted():
    indices = {"a": list(range(10)), "b": list(range(100, 137))}
    batches = list(language_batches(indices, 0.0, 4, 5, 300))
    for lang, pool in indices.items():
        own = [ids for drawn, ids in batches if drawn == lang]
        assert len(own) > 3 * math.ceil(len(pool) / 4)  # several passes each
        # a pass: ceil(n / 4) batches, the last one short, together every example once
        per_pass = math.ceil(len(pool) / 4)
        for start in range(0, len(own) - per_pass + 1, per_pass):
            one_pass = own[start : start + per_pass]
            assert sorted(i for ids in one_pass for i in ids) == pool
            assert [len(ids) for ids in one_pass[:-1]] == [4] * (per_pass - 1)
        # the passes are shuffled afresh
        assert own[0] != own[per_pass] or own[1] != own[per_pass + 1]
        # what was drawn of the last, unfinished pass repeats nothing
        rest = [i for ids in own[len(own) - len(own) % per_pass :] for i in ids]
        assert len(rest) == len(set(rest))


# ---------------------------------------------------------------------------
# helpers of the call-site tests


def batch_language(batch, groups) -> str:
    """The one language of a batch (every index in the same group)."""
    owners = {lang for i in batch for lang, ids in groups.items() if i in ids}
    assert len(owners) == 1, owners
    return owners.pop()


def share_of_examples(batches, members) -> float:
    """The share of the batches' examples that are in ``members``."""
    drawn = [int(i) for batch in batches for i in batch]
    return sum(i in members for i in drawn) / len(drawn)


def split(words_per_sentence: list[int], dim: int = 8, seed: int = 0) -> FeatureSplit:
    """A FeatureSplit of random word vectors and random POS labels."""
    g = torch.Generator().manual_seed(seed)
    offsets = torch.zeros(len(words_per_sentence) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(torch.tensor(words_per_sentence), 0)
    words = int(offsets[-1])
    labels = torch.randint(len(tasks.labels("pos")), (words,), generator=g)
    return FeatureSplit(torch.randn(words, dim, generator=g), labels, offsets)


# ---------------------------------------------------------------------------
# 1. zero-shot fine-tuning on several sources (xlt.task_models.training)

LENGTHS = [int(n) for n in np.random.default_rng(0).integers(5, 40, 100)]
GROUPS = {"a.jsonl": range(90), "b.jsonl": range(90, 100)}


def test_zero_shot_batches_without_an_alpha_are_todays():
    from xlt.task_models.training import epoch_batches

    for epoch in range(3):
        today = length_batches(LENGTHS, 8, np.random.default_rng([3, epoch]))
        assert epoch_batches(3, epoch, LENGTHS, 8) == today
        assert epoch_batches(3, epoch, LENGTHS, 8, GROUPS) == today
        assert epoch_batches(3, epoch, LENGTHS, 8, GROUPS, None) == today


def test_zero_shot_batches_with_alpha_one_hold_one_language_each():
    from xlt.task_models.training import epoch_batches

    drawn = []
    for epoch in range(20):
        today = length_batches(LENGTHS, 8, np.random.default_rng([3, epoch]))
        batches = epoch_batches(3, epoch, LENGTHS, 8, GROUPS, 1.0)
        assert len(batches) == len(today) == math.ceil(100 / 8)  # same steps per epoch
        assert batches != today
        sampled = language_batches(GROUPS, 1.0, 8, [3, epoch], len(today))
        assert batches == [ids for _, ids in sampled]
        drawn += batches
    languages = Counter(batch_language(b, GROUPS) for b in drawn)
    # q = p = 0.9 / 0.1 (90 and 10 units); 260 batches: sd of b's share 0.019
    assert language_probabilities({k: len(v) for k, v in GROUPS.items()}, 1.0) == pytest.approx(
        {"a.jsonl": 0.9, "b.jsonl": 0.1}, abs=1e-12
    )
    assert 0.02 < languages["b.jsonl"] / len(drawn) < 0.18


def test_zero_shot_batches_with_alpha_below_one_up_sample_the_small_source():
    from xlt.task_models.training import epoch_batches

    today = [b for e in range(20) for b in epoch_batches(3, e, LENGTHS, 8)]
    drawn = [b for e in range(20) for b in epoch_batches(3, e, LENGTHS, 8, GROUPS, 0.0)]
    assert len(drawn) == len(today) == 20 * math.ceil(100 / 8)  # same steps per epoch
    languages = Counter(batch_language(b, GROUPS) for b in drawn)
    # today: b's 10 of 100 units; alpha 0: half the batches (sd of the share 0.03)
    assert share_of_examples(today, GROUPS["b.jsonl"]) == pytest.approx(0.1)
    assert 0.4 < languages["b.jsonl"] / len(drawn) < 0.6
    assert epoch_batches(3, 0, LENGTHS, 8, GROUPS, 0.0) == epoch_batches(
        3, 0, LENGTHS, 8, GROUPS, 0.0
    )


class Windows:
    """A task model whose records make ``n`` units each."""

    @staticmethod
    def units(records):
        return [(r["id"], k) for r in records for k in range(r["n"])]


def test_units_are_made_language_by_language():
    from xlt.task_models.training import language_units

    records = [{"id": i, "n": 1 + i % 3} for i in range(6)]
    units, groups = language_units(Windows, records, ["x", "x", "x", "y", "y", "y"])
    assert units == Windows.units(records)  # each language's records together: today's order
    assert groups == {"x": range(0, 6), "y": range(6, 12)}
    with pytest.raises(ValueError, match="5 languages given for 6 records"):
        language_units(Windows, records, ["x"] * 5)


def corpus_files(root: Path, sizes: dict[str, int]) -> dict[str, Path]:
    """A POS corpus per language (``sizes`` records each) and an encoder config."""
    from xlt.data.corpus import write_task_corpus

    paths = {}
    for lang, n in sizes.items():
        paths[lang] = root / lang / "train.jsonl"
        paths[lang].parent.mkdir(parents=True)
        records = [{"words": [f"{lang}{i}", "."], "labels": ["NOUN", "PUNCT"]} for i in range(n)]
        write_task_corpus(paths[lang], records)
    (root / "encoder").mkdir()
    (root / "encoder" / "config.json").write_text("{}")
    return paths


@pytest.mark.parametrize(
    "settings",
    [{}, {"language_alpha": None}, {"language_alpha": 1.0}, {"language_alpha": 0.5}],
    ids=["absent", "none", "one", "half"],
)
def test_zero_shot_training_gives_each_record_its_corpus_as_language(
    tmp_path, monkeypatch, settings
):
    from xlt.task_models import training

    paths = corpus_files(tmp_path, {"a": 9, "b": 3})
    seen = {}
    monkeypatch.setattr(training, "train_task_model", lambda **fit: seen.update(fit) or {})

    def run(keep=None):
        training.train_from_corpora(
            "pos", [paths["a"], paths["b"]], [paths["b"]], tmp_path / "encoder",
            settings, seed=1, out_dir=tmp_path / "out",
            checkpoint_dir=tmp_path / "ckpt", threads=1, max_length=16, keep=keep,
        )  # fmt: skip
        return seen["train_languages"], seen["train_records"]

    languages, records = run()
    if settings.get("language_alpha") is None:
        assert languages is None  # today's path: one concatenated corpus
        assert len(records) == 12
    else:
        assert languages == [str(paths["a"])] * 9 + [str(paths["b"])] * 3
        languages, records = run(keep=lambda train: train[::2])  # a cut keeps the languages
        assert [r["words"][0][0] for r in records] == [Path(p).parent.name for p in languages]
        assert len(records) == 6


def test_fine_tuning_without_an_alpha_is_todays_and_an_alpha_changes_it(tmp_path):
    """A few steps of the real loop: no alpha (key absent or None) with languages
    gives today's weights bit for bit; alpha 1 and alpha 0 draw other batches (and
    record their q)."""
    from conftest import TOY_SETTINGS, tiny_encoder
    from xlt.task_models.training import fit_task_model

    records = [
        {"words": [w, "la", "."], "labels": ["NOUN", "DET", "PUNCT"]}
        for w in ["kat", "dom", "ruvi", "selo", "parka", "miv"] * 5
    ]
    languages = ["a"] * 24 + ["b"] * 6
    encoder = tiny_encoder([" ".join(r["words"]) for r in records], tmp_path / "enc")
    settings = {**TOY_SETTINGS, "epochs": 1, "batch_size": 4}

    def fit(name, extra, with_languages=True):
        fitted = fit_task_model(
            task="pos", train_records=records, dev_records=None, encoder_dir=encoder,
            settings={**settings, **extra}, fine_tune=True, max_length=16,
            seed=1, checkpoint_dir=tmp_path / f"ckpt-{name}",
            train_languages=languages if with_languages else None,
        )  # fmt: skip
        return fitted.model.state_dict(), fitted.summary

    today, summary = fit("today", {}, with_languages=False)
    for name, extra in (("absent", {}), ("none", {"language_alpha": None})):
        same, same_summary = fit(name, extra)
        assert all(torch.equal(today[k], same[k]) for k in today), name
        assert "language_probabilities" not in same_summary
    one, one_summary = fit("alpha1", {"language_alpha": 1.0})
    other, other_summary = fit("alpha0", {"language_alpha": 0.0})
    # one window per record: 24 and 6 units, p = 0.8 / 0.2
    assert one_summary["language_probabilities"] == pytest.approx({"a": 0.8, "b": 0.2})
    assert other_summary["language_probabilities"] == pytest.approx({"a": 0.5, "b": 0.5})
    steps = math.ceil(30 / 4)
    assert one_summary["total_steps"] == other_summary["total_steps"] == summary["total_steps"]
    assert summary["total_steps"] == steps
    assert not all(torch.equal(today[k], one[k]) for k in today)
    assert not all(torch.equal(today[k], other[k]) for k in today)


# ---------------------------------------------------------------------------
# 2. the factorization family's JM (frozen: linear heads; fine-tuned: as above)


def test_jm_head_batches_without_an_alpha_are_todays_and_alpha_one_samples():
    from xlt.families.factorization.heads import head_batches

    groups = {"xa": range(0, 90), "xb": range(90, 100)}
    for epoch in range(3):
        order = torch.from_numpy(np.random.default_rng([4, epoch]).permutation(100))
        today = [order[s : s + 16] for s in range(0, 100, 16)]
        for batches in (
            head_batches(100, 16, 4, epoch),
            head_batches(100, 16, 4, epoch, groups),
            head_batches(100, 16, 4, epoch, groups, None),
        ):
            assert len(batches) == len(today)
            assert all(torch.equal(a, b) for a, b in zip(batches, today, strict=True))
        # alpha 1: as many batches, each of one language drawn with q = p = 0.9 / 0.1
        drawn = head_batches(100, 16, 4, epoch, groups, 1.0)
        sampled = language_batches(groups, 1.0, 16, [4, epoch], len(today))
        assert [b.tolist() for b in drawn] == [ids for _, ids in sampled]
        assert all(b.dtype == torch.long for b in drawn)
        for b in drawn:
            batch_language(b.tolist(), groups)
        assert [b.tolist() for b in drawn] != [b.tolist() for b in today]


def test_jm_head_batches_with_alpha_below_one_up_sample_the_small_language():
    from xlt.families.factorization.heads import head_batches

    groups = {"xa": range(0, 900), "xb": range(900, 1000)}
    drawn = [b.tolist() for e in range(10) for b in head_batches(1000, 16, 4, e, groups, 0.5)]
    assert len(drawn) == 10 * math.ceil(1000 / 16)
    languages = Counter(batch_language(b, groups) for b in drawn)
    # q = 0.75 / 0.25 (p = 0.9 / 0.1); 630 batches: sd of the share 0.017
    assert 0.19 < languages["xb"] / len(drawn) < 0.31


def test_frozen_jm_trains_on_batches_sampled_by_its_alpha_and_ls_on_todays(monkeypatch):
    from xlt.families.factorization import heads
    from xlt.families.factorization import training as fact

    features = {
        "xa": {"train": split([5] * 40, seed=1), "dev": split([5] * 4, seed=2)},
        "xb": {"train": split([5] * 4, seed=3), "dev": split([5] * 4, seed=4)},
        "xz": {"train": split([5] * 20, seed=5), "dev": split([5] * 4, seed=6)},
    }
    monkeypatch.setattr(fact, "load_features", lambda path: (features[path], {}))
    calls, original = [], heads.head_batches

    def recorded(rows, batch_size, seed, epoch, groups=None, alpha=None):
        batches = original(rows, batch_size, seed, epoch, groups, alpha)
        calls.append((groups, alpha, [b.tolist() for b in batches]))
        return batches

    monkeypatch.setattr(heads, "head_batches", recorded)
    settings = {"epochs": 3, "batch_size": 8, "learning_rate": 0.01, "dropout": 0.0,
                "weight_decay": 0.0}  # fmt: skip
    seen = [("pos", "xa"), ("pos", "xb")]

    def train(method, **alpha):
        calls.clear()
        fact.train_pooled_frozen(
            method, seen, 1, task_names=["pos"], largest_source="xz", cut_tasks=[],
            settings=settings, features="{lang}", **alpha,
        )  # fmt: skip
        return list(calls)

    groups = {"xa": range(0, 200), "xb": range(200, 220)}
    assert [(g, a) for g, a, _ in train("jm", jm_language_alpha=0.0)] == [(groups, 0.0)] * 3
    drawn = [b for _, _, batches in calls for b in batches]
    assert 0.3 < Counter(batch_language(b, groups) for b in drawn)["xb"] / len(drawn)
    for alpha in ({}, {"jm_language_alpha": None}):  # no alpha: today's batches
        today = train("jm", **alpha)
        assert [(g, a) for g, a, _ in today] == [(groups, None)] * 3
        assert share_of_examples([b for _, _, bs in today for b in bs], groups["xb"]) == 20 / 220
        mixed = [b for _, _, bs in today for b in bs if len({i in groups["xb"] for i in b}) == 2]
        assert mixed  # today's batches mix the languages
    # alpha 1 samples too: every batch one language
    one = train("jm", jm_language_alpha=1.0)
    assert [(g, a) for g, a, _ in one] == [(groups, 1.0)] * 3
    assert all(batch_language(b, groups) for _, _, bs in one for b in bs)
    assert [bs for _, _, bs in one] != [bs for _, _, bs in today]
    ls = train("ls", jm_language_alpha=0.0)
    assert [(g, a) for g, a, _ in ls] == [(None, None)] * 3  # one language


def test_fine_tuned_jm_hands_its_alpha_to_the_fine_tuning(tmp_path, monkeypatch):
    from xlt.families.factorization import training as fact

    for lang in ("xa", "xb"):
        for part in ("train", "dev"):
            path = tmp_path / "pos" / lang / f"{part}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("{}\n")
    (tmp_path / "encoder").mkdir()
    (tmp_path / "encoder" / "config.json").write_text("{}")
    seen = {}

    def train_from_corpora(task, train_paths, dev_paths, *, out_dir, **options):
        seen.update(options, train_paths=train_paths)
        Path(out_dir).mkdir(parents=True)
        return {}, {}

    monkeypatch.setattr(fact, "train_from_corpora", train_from_corpora)

    def train(name, **alpha):
        seen.clear()
        fact.train_pooled_fine_tuned(
            "jm", [("pos", "xa"), ("pos", "xb")], 1, task_names=["pos"], largest_source="xz",
            cut_tasks=[], training={"epochs": 1, "language_alpha": 1.0}, jm_frozen_layers=1,
            corpus=str(tmp_path / "{task}" / "{lang}" / "{split}.jsonl"), **alpha,
            encoder_dir=tmp_path / "encoder", max_length=16, checkpoints=tmp_path / f"ckpt-{name}",
            threads=1, out_dir=tmp_path / f"model-{name}",
        )  # fmt: skip
        return seen

    seen = train("alpha", jm_language_alpha=0.3)
    assert seen["settings"]["language_alpha"] == 0.3  # JM's own alpha, not the training block's
    assert seen["train_paths"] == [
        str(tmp_path / "pos" / lang / "train.jsonl") for lang in ("xa", "xb")
    ]
    # without its own alpha JM keeps today's batches, whatever the training block says
    for name, alpha in (("absent", {}), ("none", {"jm_language_alpha": None})):
        assert train(name, **alpha)["settings"].get("language_alpha") is None, name


# ---------------------------------------------------------------------------
# 3. MAN-MoE's labelled sources

MM_SETTINGS = {
    "batch_size": 4,
    "learning_rate": 1e-3,
    "weight_decay": 1e-8,
    "lambda1": 0.0,
    "lambda2": 0.01,
    "k": 1,
    "max_steps": 6,
    "eval_every_steps": 3,
    "patience": 100,
    "checkpoint_every_steps": 3,
}


def sentence_split(sentences: int, seed: int, dim: int = 8) -> FeatureSplit:
    """A FeatureSplit of random 4-word sentences with a random sentiment label each."""
    words = split([4] * sentences, dim, seed)
    labels = torch.randint(2, (sentences,), generator=torch.Generator().manual_seed(seed))
    return FeatureSplit(words.vectors, labels, words.offsets, per_sentence=True)


def man_moe_data(big: int = 40, small: int = 8, task: str = "pos"):
    from xlt.families.man_moe.training import TrainingData

    make = split if task == "pos" else lambda lengths, seed: sentence_split(len(lengths), seed)
    sizes = {"xa": big, "xb": small, "xc": 8}
    splits = {lang: make([4] * n, seed=i) for i, (lang, n) in enumerate(sizes.items())}
    dev = {lang: make([4] * 4, seed=10 + i) for i, lang in enumerate(sizes)}
    return TrainingData(
        task=task,
        sources=["xa", "xb"],
        languages=["xa", "xb", "xc"],
        labelled={s: (splits[s], dev[s]) for s in ("xa", "xb")},
        unlabelled=splits,
    )


def test_man_moe_schedule_draws_k_batches_a_step_by_q():
    from xlt.families.man_moe.training import labelled_schedule

    data = man_moe_data(big=90, small=10)
    settings = {**MM_SETTINGS, "language_alpha": 0.0, "max_steps": 300}
    steps = list(labelled_schedule(data, settings, 0))
    assert len(steps) == 300 and all(len(step) == 2 for step in steps)  # K = 2 sources
    counts = Counter(lang for step in steps for lang, _ in step)
    # today: one batch of each source a step, whatever its size; alpha 0: uniform
    # draws (600 batches, sd of the share 0.02); alpha 1 gives xb 10%
    assert 0.42 < counts["xb"] / 600 < 0.58
    proportional = {**settings, "language_alpha": 1.0}  # q = p = 0.9 / 0.1
    counts = Counter(lang for step in labelled_schedule(data, proportional, 0) for lang, _ in step)
    assert 0.06 < counts["xb"] / 600 < 0.14
    # a resumed run draws the same steps (one stream per run, fast-forwarded)
    assert list(labelled_schedule(data, settings, 0, start=120)) == steps[120:]


def test_man_moe_drawn_batch_knows_each_rows_language_and_mini_batch():
    from xlt.families.man_moe.training import drawn_batch

    data = man_moe_data()
    train = {lang: data.labelled[lang][0] for lang in data.sources}
    batch, owner, group = drawn_batch(
        train, data.sources, [("xb", [3, 1]), ("xb", [0]), ("xa", [2])]
    )
    assert owner.tolist() == [1, 1, 1, 0] and group.tolist() == [0, 0, 1, 2]
    assert torch.equal(batch.vectors[0, :4], train["xb"].select([1]).vectors)


@pytest.mark.parametrize("task", ["pos", "sentiment"])  # a gate per word; C pooled
def test_man_moe_without_an_alpha_is_todays_and_an_alpha_trains_otherwise(tmp_path, task):
    from xlt.families.man_moe.model import ManMoE
    from xlt.families.man_moe.systems import VARIANTS
    from xlt.families.man_moe.training import train_man_moe

    data = man_moe_data(task=task)
    labels, pooled = len(tasks.labels(task)), task == "sentiment"

    def trained(settings, name):
        torch.manual_seed(0)
        model = ManMoE(8, labels, 2, 3, VARIANTS["man_moe"], dropout=0.1, pooled=pooled)
        summary = train_man_moe(model, data, settings, 0, tmp_path / name, name)
        return model.state_dict(), summary["history"]

    assert "language_alpha" not in MM_SETTINGS
    today, history = trained(MM_SETTINGS, "today")
    same, same_history = trained({**MM_SETTINGS, "language_alpha": None}, "none")
    one, _ = trained({**MM_SETTINGS, "language_alpha": 1.0}, "alpha1")
    other, _ = trained({**MM_SETTINGS, "language_alpha": 0.0}, "alpha0")
    assert all(torch.equal(today[k], same[k]) for k in today) and history == same_history
    assert not all(torch.equal(today[k], one[k]) for k in today)
    assert not all(torch.equal(today[k], other[k]) for k in today)


# ---------------------------------------------------------------------------
# 4. the embedded encoder's masked-LM pretraining

PRETRAIN = {"seed": 0, "batch_size": 8, "epochs": 1, "learning_rate": 1e-3,
            "mask_probability": 0.15}  # fmt: skip


def test_pretraining_batches_without_an_alpha_are_todays_and_alpha_one_samples():
    from xlt.encoders.embedded import language_groups, pretraining_batches

    groups = language_groups(["a"] * 90 + ["b"] * 10)
    assert groups == {"a": list(range(90)), "b": list(range(90, 100))}
    assert "language_alpha" not in PRETRAIN
    for epoch in range(3):
        today = length_batches(LENGTHS, 8, np.random.default_rng([0, epoch]))
        assert pretraining_batches(LENGTHS, PRETRAIN, epoch) == today
        assert pretraining_batches(LENGTHS, PRETRAIN, epoch, groups) == today
        assert (
            pretraining_batches(LENGTHS, {**PRETRAIN, "language_alpha": None}, epoch, groups)
            == today
        )
        # alpha 1: as many batches, each of one language drawn with q = p = 0.9 / 0.1
        drawn = pretraining_batches(LENGTHS, {**PRETRAIN, "language_alpha": 1.0}, epoch, groups)
        sampled = language_batches(groups, 1.0, 8, [0, epoch], len(today))
        assert drawn == [ids for _, ids in sampled] != today
        assert all(batch_language(b, groups) for b in drawn)


def test_pretraining_batches_with_alpha_below_one_up_sample_the_small_language():
    from xlt.encoders.embedded import language_groups, pretraining_batches

    groups = language_groups(["a"] * 90 + ["b"] * 10)
    pretrain = {**PRETRAIN, "language_alpha": 0.0}
    drawn = [b for e in range(20) for b in pretraining_batches(LENGTHS, pretrain, e, groups)]
    assert len(drawn) == 20 * math.ceil(100 / 8)
    languages = Counter(batch_language(b, groups) for b in drawn)
    assert 0.4 < languages["b"] / len(drawn) < 0.6  # today 10% of the sentences


def test_pretraining_without_an_alpha_is_todays_and_an_alpha_changes_it(tmp_path):
    from safetensors.torch import load_file

    from xlt.encoders.embedded import build_embedded_encoder

    texts = [f"la kat{i % 7} dom ruvi ." for i in range(36)] + [f"xo miv{i} pe" for i in range(8)]
    languages = ["a"] * 36 + ["b"] * 8
    settings = {"vocab_size": 120, "hidden_size": 16, "num_layers": 1, "num_heads": 2,
                "intermediate_size": 32, "max_position": 32}  # fmt: skip

    def build(name, extra, with_languages=True):
        summary = build_embedded_encoder(
            texts, {**settings, "pretrain": {**PRETRAIN, **extra}}, tmp_path / name,
            languages=languages if with_languages else None,
        )  # fmt: skip
        return load_file(tmp_path / name / "model.safetensors"), summary

    today, summary = build("today", {}, with_languages=False)
    for name, extra in (("absent", {}), ("none", {"language_alpha": None})):
        same, same_summary = build(name, extra)
        assert all(torch.equal(today[k], same[k]) for k in today), name
        assert same_summary["last_loss"] == summary["last_loss"]
        assert "language_probabilities" not in same_summary
    one, one_summary = build("alpha1", {"language_alpha": 1.0})
    other, other_summary = build("alpha0", {"language_alpha": 0.0})
    # 36 and 8 sentences: q = p = 36/44, 8/44
    assert one_summary["language_probabilities"] == pytest.approx({"a": 36 / 44, "b": 8 / 44})
    assert other_summary["language_probabilities"] == pytest.approx({"a": 0.5, "b": 0.5})
    assert one_summary["steps"] == other_summary["steps"] == summary["steps"]
    assert not all(torch.equal(today[k], one[k]) for k in today)
    assert not all(torch.equal(today[k], other[k]) for k in today)


# ---------------------------------------------------------------------------
# the config keys


ALPHA_KEYS = (
    (("training",), "language_alpha"),
    (("encoder", "embedded", "pretrain"), "language_alpha"),
    (("factorization",), "jm_language_alpha"),
    (("man_moe", "training"), "language_alpha"),
)


def config_block(config: dict, keys: tuple) -> dict:
    """The block of ``config`` at ``keys`` (made empty where the config has none)."""
    for key in keys:
        config = config.setdefault(key, {})
    return config


def test_config_keys_have_no_default_and_refuse_a_negative_alpha(default_config):
    config = validate_config(default_config)
    # no alpha unless the user sets one: every site keeps today's batches
    for keys, name in ALPHA_KEYS:
        block = config
        for key in keys:
            block = block[key]
        assert name not in block, (keys, name)
    # what rules/man_moe.smk hands the job (its settings param)
    assert "language_alpha" not in man_moe_family.settings(config, "ner")
    for keys, name in ALPHA_KEYS:
        config = copy.deepcopy(default_config)
        config_block(config, keys)[name] = 0.5
        assert config_block(validate_config(config), keys)[name] == 0.5
        if keys == ("man_moe", "training"):
            assert man_moe_family.settings(validate_config(config), "ner")[name] == 0.5
        config_block(config, keys)[name] = -0.5
        key = r"\.".join([*keys, name])
        with pytest.raises(ConfigError, match=rf"{key}': -0.5 is less than the minimum of 0"):
            validate_config(config)
