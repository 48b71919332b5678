"""MAN-MoE on sentence classification (C on attention-pooled words) and with raw
text for the discriminator: the pooling by hand, per-sentence features, the
losses of Algorithm 1 on per-sentence labels, a toy problem it learns."""

import math

import pytest
import torch

from xlt.data.corpus import CorpusFormatError, read_raw_sentences
from xlt.encoders.features import (
    FeatureSplit,
    concatenate,
    feature_split,
    load_features,
    save_features,
    split_score,
    unlabelled_split,
)
from xlt.families.man_moe.model import AttentionPooling, ManMoE, gate_loss, task_loss
from xlt.families.man_moe.runner import training_data
from xlt.families.man_moe.runs import Run
from xlt.families.man_moe.systems import VARIANTS
from xlt.families.man_moe.training import (
    TrainingData,
    draw,
    main_loss,
    padded,
    predict,
    train_man_moe,
)

SETTINGS = {
    "batch_size": 16,
    "learning_rate": 1e-2,
    "weight_decay": 1e-8,
    "lambda1": 0.0,
    "lambda2": 0.01,
    "k": 1,
    "max_steps": 80,
    "eval_every_steps": 40,
    "patience": 100,
    "checkpoint_every_steps": 40,
}


def test_attention_pooling_mixes_a_sentences_words_by_their_softmax_scores():
    pool = AttentionPooling(2)
    with torch.no_grad():
        pool.query.copy_(torch.tensor([1.0, 0.0]))
    features = torch.tensor([[[0.0, 2.0], [math.log(3.0), 4.0], [50.0, 9.0]]])
    mask = torch.tensor([[True, True, False]])  # the third word is padding
    # scores 0 and ln 3 -> weights 1/4 and 3/4
    expected = [0.25 * 0.0 + 0.75 * math.log(3.0), 0.25 * 2.0 + 0.75 * 4.0]
    assert pool(features, mask)[0].tolist() == pytest.approx(expected)


def _sentences(labels: list[int], lengths: list[int], dim: int = 3) -> FeatureSplit:
    offsets = torch.zeros(len(lengths) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(torch.tensor(lengths), 0)
    vectors = torch.arange(sum(lengths) * dim, dtype=torch.float).reshape(-1, dim)
    return FeatureSplit(vectors, torch.tensor(labels), offsets, per_sentence=True)


def test_a_split_of_sentence_labels_keeps_one_label_per_sentence():
    split = _sentences([0, 1, 1], [2, 3, 1])
    chosen = split.select([2, 0])
    assert chosen.labels.tolist() == [1, 0] and chosen.offsets.tolist() == [0, 1, 3]
    assert chosen.vectors[0].tolist() == split.vectors[5].tolist()
    both = concatenate([split, chosen])
    assert both.per_sentence and both.labels.tolist() == [0, 1, 1, 1, 0]
    assert both.offsets.tolist() == [0, 2, 5, 6, 7, 9]
    batch = padded(split, [0, 1])
    assert batch.labels.tolist() == [0, 1] and batch.mask.sum(1).tolist() == [2, 3]
    with pytest.raises(ValueError, match="per-word and per-sentence"):
        concatenate([split, FeatureSplit(split.vectors, split.labels, split.offsets)])


def test_a_sentence_tasks_score_is_its_accuracy_by_hand():
    # sentiment labels in tag-set order: negative 0, positive 1; 3 of 4 right
    split = _sentences([0, 1, 1, 0], [1, 1, 1, 1])
    assert split_score("sentiment", split, torch.tensor([0, 1, 0, 0])) == pytest.approx(75.0)


def test_sentiment_records_become_words_of_their_text_and_one_label_each(tmp_path):
    records = [
        {"text": "bih gombe  byrig .", "label": "negative"},
        {"text": "Deno hinib", "label": "positive"},
    ]
    label_ids = {"negative": 0, "positive": 1}
    split = feature_split(torch.ones(6, 4), records, label_ids, "sentiment")
    assert split.per_sentence and split.labels.tolist() == [0, 1]
    assert split.offsets.tolist() == [0, 4, 6]
    with pytest.raises(ValueError, match="5 vectors for 6 words"):
        feature_split(torch.ones(5, 4), records, label_ids, "sentiment")
    with pytest.raises(ValueError, match="sentence 2: label 'neutral'"):
        feature_split(torch.ones(6, 4), [records[0], {**records[1], "label": "neutral"}],
                      label_ids, "sentiment")  # fmt: skip
    save_features(tmp_path / "f.pt", {"train": split}, {})
    loaded = load_features(tmp_path / "f.pt")[0]["train"]
    assert loaded.per_sentence and loaded.labels.tolist() == [0, 1]


def test_raw_text_is_its_non_blank_lines_split_at_whitespace(tmp_path):
    path = tmp_path / "qab.txt"
    path.write_text("a b  c\n\n   \nd\te .\nf\n", encoding="utf-8")
    assert read_raw_sentences(path) == [["a", "b", "c"], ["d", "e", "."], ["f"]]
    assert read_raw_sentences(path, 2) == [["a", "b", "c"], ["d", "e", "."]]
    split = unlabelled_split(torch.zeros(7, 2), read_raw_sentences(path))
    assert split.offsets.tolist() == [0, 3, 6, 7] and split.labels.tolist() == [0] * 7
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"empty.txt: holds no sentence"):
        read_raw_sentences(empty)


def test_the_discriminator_reads_a_languages_raw_text_where_it_has_one():
    def split(n):
        return _sentences([0] * n, [1] * n)

    features = {
        "xa": {"train": split(3), "dev": split(1), "test": split(1)},
        "xb": {"train": split(4), "dev": split(1), "test": split(1), "text": split(9)},
        "xt": {"train": split(5), "dev": split(1), "test": split(2), "text": split(7)},
    }
    data = training_data("sentiment", Run("man_moe", "xt", ("xa", "xb")), features)
    assert {lang: s.sentences for lang, s in data.unlabelled.items()} == {
        "xa": 3, "xb": 9, "xt": 7,
    }  # fmt: skip
    assert data.labelled["xb"][0].sentences == 4


def _language(shift: float, seed: int, sentences: int = 96, dim: int = 8) -> FeatureSplit:
    """Toy sentences of 3-8 words whose label is whether their words' feature 1
    sums above 0 (the same rule in every language); feature 0 shifted by ``shift``
    tells the language."""
    g = torch.Generator().manual_seed(seed)
    rows, labels, lengths = [], [], []
    for _ in range(sentences):
        n = int(torch.randint(3, 9, (1,), generator=g))
        x = torch.randn(n, dim, generator=g)
        x[:, 0] += shift
        rows.append(x)
        labels.append(int(x[:, 1].sum() > 0))
        lengths.append(n)
    offsets = torch.zeros(sentences + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(torch.tensor(lengths), 0)
    return FeatureSplit(torch.cat(rows), torch.tensor(labels), offsets, per_sentence=True)


def _toy() -> TrainingData:
    shifts = {"xa": -3.0, "xb": 3.0, "xc": 0.0}
    splits = {lang: _language(s, i) for i, (lang, s) in enumerate(shifts.items())}
    return TrainingData(
        task="sentiment",
        sources=["xa", "xb"],
        languages=["xa", "xb", "xc"],
        labelled={s: (splits[s], _language(shifts[s], 10 + i, 32)) for i, s in enumerate("ab")
                  for s in [f"x{s}"]},
        unlabelled=splits,
    )  # fmt: skip


def _model(data: TrainingData, variant: str = "man_moe") -> ManMoE:
    torch.manual_seed(0)
    variant = VARIANTS[variant]
    return ManMoE(8, 2, 2, 3, variant, dropout=0.1, pooled=True)


def test_one_batched_pass_sums_the_sentence_losses_of_each_language():
    # C classifies each sentence, so its loss and its gate's are per sentence; F_p's
    # gate stays per word
    data = _toy()
    model = _model(data).eval()
    settings = {**SETTINGS, "lambda1": 0.5, "lambda2": 0.3}
    loss, parts = main_loss(model, data, settings, 7, 3, "cpu")
    task = gates = 0.0
    for index, lang in enumerate(data.sources):
        train = data.labelled[lang][0]
        batch = padded(train, draw(train, 16, 7, 3, index, "labelled"))
        out = model(batch.vectors, batch.lengths, batch.mask)
        assert out.log_probs.shape == (16, 2) and out.tagger_gate.shape == (16, 2)
        task += task_loss(out, batch.labels, batch.mask).item()
        gates += gate_loss(out.private_gate, index, batch.mask).item()
        gates += gate_loss(out.tagger_gate, index).item()
    assert (parts["task"], parts["gate"]) == pytest.approx((task, gates), rel=1e-5)
    assert loss.item() == pytest.approx(task + 0.3 * gates - 0.5 * parts["adversary"], rel=1e-5)


def test_the_pooled_model_learns_a_sentence_rule_shared_by_its_sources(tmp_path):
    data = _toy()
    target = _language(0.0, 30, 64)
    untrained, _ = predict(_model(data), target)
    model = _model(data)
    summary = train_man_moe(model, data, SETTINGS, 0, tmp_path, "sentences")
    predicted, gates = predict(model, target)
    assert predicted.shape == (64,) and gates.shape == (64, 2)
    before = split_score("sentiment", target, untrained)
    after = split_score("sentiment", target, predicted)
    assert after >= 85.0 and after > before + 20, (before, after, summary["history"])


def test_a_targets_checkpoints_are_keyed_by_the_digest_of_its_vectors(tmp_path):
    from xlt.families.man_moe.runner import run_identity, run_target

    features = {
        lang: {"train": _language(s, i), "dev": _language(s, 10 + i, 8),
               "test": _language(s, 20 + i, 8)}
        for i, (lang, s) in enumerate({"xa": -3.0, "xb": 3.0, "xt": 0.0}.items())
    }  # fmt: skip
    settings = {**SETTINGS, "max_steps": 2, "eval_every_steps": 2, "checkpoint_every_steps": 2,
                "hidden": 16, "filters": 4, "dropout": 0.1}  # fmt: skip
    run = Run("man_moe", "xt", ("xa", "xb"))
    rows = run_target("sentiment", "xt", [run], features, settings, 3, "cpu", tmp_path,
                      digest="vectors-1")  # fmt: skip
    assert rows[0]["steps"] == 2 and rows[0]["system"] == "man_moe"
    # per test sentence the counts the score sums and the gate weights, for the
    # findings' bootstrap: 8 sentences, one label each, two source experts
    counts, gates = rows[0]["sentence_counts"], rows[0]["sentence_gates"]
    assert len(counts) == 8 and all(c[1] == c[2] == 1 for c in counts)
    assert 100 * sum(c[0] for c in counts) / 8 == pytest.approx(rows[0]["score"])
    assert len(gates) == 8 and all(sum(g) == pytest.approx(1, abs=1e-3) for g in gates)
    saved = torch.load(tmp_path / run.name / "last.pt", weights_only=False)
    assert saved["identity"] == run_identity("sentiment", "xt", run, 3, settings, None, "vectors-1")
    assert saved["identity"].endswith("/data-vectors-1")


def test_the_systems_of_a_target_share_no_state(tmp_path):
    # Identical pooled and man_moe scores were reported once (35.0036 test, 34.12 source
    # dev, three runs): both systems had predicted the majority class everywhere, which
    # the runs now flag as failed. Trained after pooled or alone, man_moe gives the same
    # row, so nothing of one system carries over into the next.
    from xlt.families.man_moe.runner import run_target

    features = {
        lang: {"train": _language(s, i), "dev": _language(s, 10 + i, 16),
               "test": _language(s, 20 + i, 32)}
        for i, (lang, s) in enumerate({"xa": -3.0, "xb": 3.0, "xt": 0.0}.items())
    }  # fmt: skip
    settings = {**SETTINGS, "hidden": 16, "filters": 4, "dropout": 0.1}
    pooled, man_moe = Run("pooled", "xt", ("xa", "xb")), Run("man_moe", "xt", ("xa", "xb"))
    both = run_target("sentiment", "xt", [pooled, man_moe], features, settings, 3, "cpu",
                      tmp_path / "both")  # fmt: skip
    alone = run_target("sentiment", "xt", [man_moe], features, settings, 3, "cpu",
                       tmp_path / "alone")  # fmt: skip
    keys = ("score", "source_dev", "best_step", "sentence_counts", "sentence_gates")
    assert {k: both[1][k] for k in keys} == {k: alone[0][k] for k in keys}
    assert both[0]["sentence_counts"] != both[1]["sentence_counts"]
    assert not (both[0]["degenerate"] or both[1]["degenerate"])
    first = torch.load(tmp_path / "both" / "pooled" / "last.pt", weights_only=False)
    second = torch.load(tmp_path / "both" / "man_moe" / "last.pt", weights_only=False)
    assert first["identity"] != second["identity"]
