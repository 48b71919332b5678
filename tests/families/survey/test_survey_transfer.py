"""All-pairs transfer on a frozen encoder, on word vectors whose labels a linear
classifier can read in one language and not in another."""

import torch

from xlt import tasks
from xlt.encoders.features import FeatureSplit
from xlt.families.survey.transfer import all_pairs_scores

SETTINGS = {"epochs": 15, "batch_size": 32, "learning_rate": 0.05, "dropout": 0.0,
            "weight_decay": 0.0}  # fmt: skip


def split(seed, flip, n=300):
    """POS-like words: the label is the index of the largest of 3 coordinates
    (NOUN, VERB, ADJ); ``flip`` reverses the coordinates (another language whose
    vectors encode the same labels differently)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    ids = [tasks.labels("pos").index(tag) for tag in ("NOUN", "VERB", "ADJ")]
    y = torch.tensor(ids)[x.argmax(1)]
    vectors = x.flip(1) if flip else x
    return FeatureSplit(vectors, y, torch.arange(0, n + 1, 10))


def test_every_source_scores_every_target_and_transfer_follows_the_vectors():
    langs = {
        "aa": {"train": split(1, False), "dev": split(2, False), "test": split(3, False)},
        "bb": {"train": split(4, False), "dev": split(5, False), "test": split(6, False)},
        "cc": {"train": split(7, True), "dev": split(8, True), "test": split(9, True)},
    }
    rows = all_pairs_scores("pos", langs, SETTINGS, seed=1)
    assert [(r["source"], r["target"]) for r in rows] == [
        (s, t) for s in ("aa", "bb", "cc") for t in ("aa", "bb", "cc")
    ]
    score = {(r["source"], r["target"]): r["score"] for r in rows}
    assert all(r["task"] == "pos" and r["seed"] == 1 for r in rows)
    # same encoding: near-perfect; reversed coordinates swap NOUN and ADJ, keep VERB
    assert score[("aa", "aa")] > 95 and score[("aa", "bb")] > 95 and score[("cc", "cc")] > 95
    assert score[("aa", "cc")] < 50 and score[("cc", "aa")] < 50
