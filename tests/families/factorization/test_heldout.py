"""The factorization experiment's choices and tables, with hand-checked values."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import torch

from xlt.encoders.features import (
    FeatureSplit,
    concatenate,
    load_features,
    save_features,
    split_score,
)
from xlt.families.factorization.heads import LinearHead, train_linear_head
from xlt.families.factorization.heldout import bea_labels, cut_to_sentences, nearest_language
from xlt.families.factorization.partitions import read_partition
from xlt.families.factorization.tables import (
    collect_heldout,
    entropy_correlation,
    per_language,
    table1,
    table2,
)
from xlt.languages.table import build_language_table


def _split(sentence_lengths, dim=3, labels=None):
    words = sum(sentence_lengths)
    offsets = torch.tensor(np.concatenate([[0], np.cumsum(sentence_lengths)]), dtype=torch.long)
    vectors = torch.arange(words * dim, dtype=torch.float32).view(words, dim)
    labels = torch.tensor(labels if labels is not None else list(range(words)), dtype=torch.long)
    return FeatureSplit(vectors, labels, offsets)


def test_select_and_concatenate_keep_sentences_whole():
    split = _split([2, 3, 1])
    chosen = split.select([2, 0])
    assert chosen.offsets.tolist() == [0, 1, 3]
    assert chosen.labels.tolist() == [5, 0, 1]
    both = concatenate([split, chosen])
    assert both.offsets.tolist() == [0, 2, 5, 6, 7, 9]
    assert both.sentence_labels(both.labels)[-1] == [0, 1]


def test_select_repeats_and_empty():
    split = _split([2, 3, 1])
    again = split.select([1, 1])
    assert again.offsets.tolist() == [0, 3, 6]
    assert again.labels.tolist() == [2, 3, 4, 2, 3, 4]
    assert torch.equal(again.vectors[3:], split.vectors[2:5])
    none = split.select([])
    assert none.offsets.tolist() == [0] and len(none.labels) == 0


def test_features_round_trip_in_float16(tmp_path):
    split = _split([2, 1])
    save_features(tmp_path / "f.pt", {"train": split}, {"dim": 3})
    loaded, info = load_features(tmp_path / "f.pt")
    assert info == {"dim": 3}
    assert torch.equal(loaded["train"].labels, split.labels)
    assert torch.allclose(loaded["train"].vectors, split.vectors)


def test_cut_to_sentences_is_seeded_and_never_grows():
    split = _split([1] * 10)
    a = cut_to_sentences(split, 4, seed=3)
    assert a.sentences == 4
    assert torch.equal(a.labels, cut_to_sentences(split, 4, seed=3).labels)
    assert cut_to_sentences(split, 50, seed=3) is split


def _table():
    def record(code, syntax, family="F"):
        return {
            "code": code,
            "name": code,
            "family": family,
            "area": "",
            "kind": "synthetic",
            "features": {"syntax": dict(enumerate(syntax))},
        }

    return build_language_table(
        [
            record("xa", [1, 0, 0]),
            record("xb", [1, 1, 0]),  # cosine with xa: 1/sqrt(2)
            record("xc", [0, 1, 1]),  # cosine with xa: 0
            record("xd", [0, 0, 0]),  # no features: cosine 0 with everything
        ]
    )


def test_nearest_language_by_cosine():
    table = _table()
    nearest, similarity = nearest_language("xa", ["xc", "xb"], table, ["syntax"])
    assert nearest == "xb"
    assert similarity == pytest.approx(1 / math.sqrt(2))
    # a tie (both 0) goes to the first candidate in sorted order
    assert nearest_language("xd", ["xc", "xb"], table, ["syntax"])[0] == "xb"
    with pytest.raises(ValueError, match="no seen language"):
        nearest_language("xa", [], table, ["syntax"])


def test_read_partition_checks_the_file():
    partitions = {
        "tasks": ["ner", "pos"],
        "languages": ["xa", "xb"],
        "available": [["ner", "xa"], ["ner", "xb"], ["pos", "xa"], ["pos", "xb"]],
        "partitions": [
            {
                "index": 1,
                "seen": [["ner", "xa"], ["pos", "xb"]],
                "heldout": [["ner", "xb"], ["pos", "xa"]],
            },
            # both of xa's pairs held out: xa is seen in no task
            {
                "index": 2,
                "seen": [["ner", "xb"], ["pos", "xb"]],
                "heldout": [["ner", "xa"], ["pos", "xa"]],
            },
        ],
    }
    seen, heldout = read_partition(partitions, 1)
    assert seen == [("ner", "xa"), ("pos", "xb")] and heldout == [("ner", "xb"), ("pos", "xa")]
    with pytest.raises(ValueError):
        read_partition(partitions, 2)
    with pytest.raises(ValueError, match="no partition 3"):
        read_partition(partitions, 3)


def test_linear_head_learns_a_separable_task_and_selects_on_dev():
    torch.manual_seed(0)
    x = torch.randn(600, 4)
    y = (x[:, 0] > 0).long()  # two POS tags: ADJ (0) and ADP (1)
    offsets = torch.arange(0, 601, 6)
    train = FeatureSplit(x[:500], y[:500], offsets[: 500 // 6 + 1].clone())
    train.offsets[-1] = 500
    dev = FeatureSplit(x[500:], y[500:], torch.arange(0, 101, 10))
    settings = {
        "epochs": 5,
        "batch_size": 32,
        "learning_rate": 0.05,
        "dropout": 0.0,
        "weight_decay": 0,
    }
    head, summary = train_linear_head("pos", train, [dev], settings, seed=0)
    assert summary["best_dev_score"] == max(h["dev_score"] for h in summary["history"])
    assert split_score("pos", dev, head.predict_proba(dev.vectors).argmax(-1)) > 95


def test_bea_outvotes_a_confused_majority():
    """Two reliable heads and three that all mislabel the same way: majority
    vote follows the three, BEA's confusion estimates recover the truth."""
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, size=2000)

    class Fixed(LinearHead):
        def __init__(self, labels):
            super().__init__(1, 3)
            self.labels = torch.from_numpy(labels)

        def predict_proba(self, vectors):
            return torch.nn.functional.one_hot(self.labels, 3).float()

    def noisy(accuracy, mapping):
        out = np.where(rng.random(len(truth)) < accuracy, truth, rng.integers(0, 3, len(truth)))
        return np.array([mapping[v] for v in out])

    identity, shifted = [0, 1, 2], [1, 2, 0]
    heads = {
        "a": Fixed(noisy(0.9, identity)),
        "b": Fixed(noisy(0.9, identity)),
        "c": Fixed(noisy(0.5, shifted)),
        "d": Fixed(noisy(0.5, [2, 0, 1])),
        "e": Fixed(noisy(0.4, [1, 0, 2])),
    }
    votes = [heads[name].predict_proba(None).argmax(-1) for name in sorted(heads)]
    predicted, fit = bea_labels(votes, 3)
    assert fit.converged
    assert (predicted.numpy() == truth).mean() > 0.95


def _runs(tmp_path):
    """Two methods, one task, two held-out languages, two seeds; hand-made scores."""
    paths = []
    scores = {
        ("jm", 1): {"xa": 50.0, "xb": 70.0},
        ("jm", 2): {"xa": 60.0, "xb": 80.0},
        ("pf_lr", 1): {"xa": 40.0, "xb": 90.0},
        ("pf_lr", 2): {"xa": 40.0, "xb": 70.0},
    }
    entropy = {"xa": 1.5, "xb": 0.5}
    for (method, seed), by_lang in scores.items():
        pairs = []
        for lang, score in by_lang.items():
            pair = {"task": "pos", "language": lang, "metric": "accuracy", "score": score}
            if method == "pf_lr":
                pair["entropy_mean"] = entropy[lang] + seed / 10
            pairs.append(pair)
        path = tmp_path / f"{method}{seed}.json"
        run = {"method": method, "subset": "all", "partition": 1, "seed": seed, "pairs": pairs}
        path.write_text(json.dumps(run))
        paths.append(path)
    return paths


def test_table1_is_mean_and_sample_std_over_seeds_of_pair_averages(tmp_path):
    scores = collect_heldout(_runs(tmp_path))
    summary = table1(scores).set_index("method")
    # jm: seed means 60 and 70 -> 65 ± 7.07; pf_lr: 65 and 55 -> 60 ± 7.07
    assert summary.loc["jm", "mean"] == pytest.approx(65.0)
    assert summary.loc["jm", "std"] == pytest.approx(math.sqrt(50))
    assert summary.loc["pf_lr", "mean"] == pytest.approx(60.0)
    languages = per_language(scores).set_index(["method", "language"])
    assert languages.loc[("pf_lr", "xb"), "mean"] == pytest.approx(80.0)
    assert languages.loc[("pf_lr", "xa"), "std"] == pytest.approx(0.0)
    assert table2(scores).empty


def test_entropy_correlation_is_pearson_over_pairs(tmp_path):
    scores = collect_heldout(_runs(tmp_path))
    extra = scores[scores.method == "pf_lr"].copy()
    extra["language"] = extra["language"].map({"xa": "xc", "xb": "xd"})
    extra["entropy_mean"] += 0.2
    extra["score"] += [1.0, 2.0, 3.0, 4.0]
    scores = pd.concat([scores, extra], ignore_index=True)
    result = entropy_correlation(scores)
    assert set(result.tasks) == {"pooled", "pos"}
    result = result[result.tasks == "pooled"].set_index("method")
    pairs = scores[scores.method == "pf_lr"].groupby(["task", "language"])
    means = pairs[["entropy_mean", "score"]].mean()
    expected = np.corrcoef(means.entropy_mean, means.score)[0, 1]
    assert result.loc["pf_lr", "pairs"] == 4
    assert result.loc["pf_lr", "pearson_r"] == pytest.approx(expected)
    assert result.loc["pf_lr", "pearson_r"] < -0.9
    assert "jm" not in result.index


def test_markdown_has_table1_and_the_entropy_rows_per_scope(tmp_path):
    from xlt.families.factorization.tables import markdown

    text = markdown(collect_heldout(_runs(tmp_path)))
    assert "| task | JM | PF-lr |" in text
    assert "| pos | 65.00 ± 7.07 | 60.00 ± 7.07 |" in text
    assert "| method | tasks | pairs | Pearson r | p (two-tailed) |" in text
    assert "| PF-lr | pooled | 2 | nan | nan |" in text


def test_a_failed_pair_is_flagged_and_left_out_of_every_mean(tmp_path):
    from xlt.families.factorization.heldout import pair_result
    from xlt.families.factorization.tables import markdown

    paths = _runs(tmp_path)
    run = json.loads(paths[0].read_text())  # jm, seed 1: xa 50, xb 70
    # xb's model tagged every word NOUN: accuracy 25, but no score
    run["pairs"][1].update(score=25.0, degenerate=True)
    paths[0].write_text(json.dumps(run))
    scores = collect_heldout(paths)
    assert scores.degenerate.sum() == 1
    summary = table1(scores).set_index("method")
    # jm: seed 1 averages xa alone (50), seed 2 60 and 80 (70): 60 ± 14.14
    assert summary.loc["jm", "mean"] == pytest.approx(60.0)
    assert summary.loc["jm", "std"] == pytest.approx(math.sqrt(200))
    languages = per_language(scores).set_index(["method", "language"])
    assert languages.loc[("jm", "xb"), "mean"] == pytest.approx(80.0)  # seed 2 only
    text = markdown(scores)
    assert "**Failed runs, left out of every table above**: 1 held-out pairs" in text
    assert "JM on pos/xb (all, partition 1, seed 1)" in text
    # the record of a pair says so
    split = FeatureSplit(torch.zeros(4, 2), torch.tensor([0, 1, 2, 0]), torch.tensor([0, 4]))
    one_class = pair_result("pos", "xb", split, torch.zeros(4, dtype=torch.long))
    assert one_class["degenerate"] and one_class["score"] == pytest.approx(50.0)
    assert not pair_result("pos", "xb", split, torch.tensor([0, 1, 1, 0]))["degenerate"]


def test_fine_tuned_test_vectors_and_heads_match_the_classifier(tmp_path):
    """A fine-tuned classifier's own encoder encodes a held-out test split: the
    vectors equal the frozen cache's (up to its float16) when the encoder is the
    same, and its saved head predicts what the token classifier predicts."""
    from conftest import tiny_encoder
    from xlt.data.corpus import write_task_corpus
    from xlt.encoders.features import encode_words, feature_split
    from xlt.encoders.loading import load_encoder
    from xlt.encoders.with_head import TokenClassifier, predict
    from xlt.families.factorization.heads import classifier_head
    from xlt.families.factorization.heldout import HeldoutVectors
    from xlt.task_models.storage import save_classifier
    from xlt.tasks import labels as task_labels

    records = [
        {"words": ["la", "kat", "sel", "."], "labels": ["DET", "NOUN", "VERB", "PUNCT"]},
        {"words": ["Ana", "nim", "ruvi"], "labels": ["PROPN", "VERB", "NOUN"]},
    ]
    write_task_corpus(tmp_path / "data" / "pos" / "qaa" / "test.jsonl", records)
    texts = [" ".join(r["words"]) for r in records]
    tiny_encoder(texts, tmp_path / "encoder", vocab_size=60, hidden_size=8)
    tokenizer, encoder = load_encoder(tmp_path / "encoder")
    label_ids = {label: i for i, label in enumerate(task_labels("pos"))}
    cached = feature_split(
        encode_words(encoder, tokenizer, [r["words"] for r in records], 16, "cpu"),
        records,
        label_ids,
    )
    save_features(tmp_path / "features" / "pos" / "qaa.pt", {"test": cached}, {})
    vectors = HeldoutVectors(
        str(tmp_path / "features" / "{task}" / "{lang}.pt"),
        str(tmp_path / "data" / "{task}" / "{lang}" / "{split}.jsonl"),
        16,
        "cpu",
    )
    encoded = vectors.get("pos", "qaa", tmp_path / "encoder")
    from_cache = vectors.get("pos", "qaa")
    assert torch.equal(encoded.vectors, cached.vectors)
    assert torch.allclose(from_cache.vectors, cached.vectors, atol=1e-2)
    for split in (encoded, from_cache):
        assert split.offsets.tolist() == [0, 4, 7]
        assert [task_labels("pos")[i] for i in split.labels] == [
            "DET", "NOUN", "VERB", "PUNCT", "PROPN", "VERB", "NOUN"
        ]  # fmt: skip

    torch.manual_seed(0)
    model = TokenClassifier(encoder, len(label_ids), 0.0)
    save_classifier(model, tokenizer, task_labels("pos"), {"fine_tune": True}, tmp_path / "clf")
    head = classifier_head(tmp_path / "clf")
    by_head = head.predict_proba(vectors.get("pos", "qaa", tmp_path / "clf" / "encoder").vectors)
    expected = predict(model, tokenizer, [r["words"] for r in records], 16, "cpu")
    assert by_head.argmax(-1).tolist() == [i for sentence in expected for i in sentence]


def test_a_run_scored_twice_is_refused_naming_both_files(tmp_path):
    paths = _runs(tmp_path)
    copy = tmp_path / "copy_of_jm1.json"
    copy.write_text(paths[0].read_text())
    with pytest.raises(ValueError) as error:
        collect_heldout([*paths, copy])
    message = str(error.value)
    assert message.startswith("2 result(s) appear more than once")
    assert f"seed=1, task=pos, language=xa: {paths[0]}, {copy}" in message


def test_training_summaries_say_how_each_svi_ended(tmp_path):
    import json

    from xlt.families.factorization.tables import collect_training

    run = {"method": "pf_lr", "subset": "all", "partition": 2, "seed": 1,
           "training": {"steps": 1000, "best_step": 800, "stopped_early": False,
                        "converged": True, "history": []}}  # fmt: skip
    older = {**run, "partition": 1, "training": {"steps": 500, "best_step": 500,
                                                  "stopped_early": False}}  # fmt: skip
    paths = []
    for i, summary in enumerate((run, older)):
        paths.append(tmp_path / f"train{i}.json")
        paths[-1].write_text(json.dumps(summary))
    table = collect_training(paths)
    assert table.values.tolist() == [
        ["pf_lr", "all", 2, 1, 1000, 800, False, True],
        ["pf_lr", "all", 1, 1, 500, 500, False, None],
    ]
