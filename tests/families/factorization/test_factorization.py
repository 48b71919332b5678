"""The factorization model: closed-form KL and log-determinant against dense
computations, sampling moments, and zero-shot prediction of held-out pairs
on a small synthetic task-language grid."""

import math

import numpy as np
import pytest
import torch
from torch.distributions import LowRankMultivariateNormal, MultivariateNormal, Normal, kl_divergence

from conftest import tiny_encoder
from xlt import tasks
from xlt.encoders.features import FeatureSplit, TextSplit, WordEncoder
from xlt.encoders.loading import load_encoder
from xlt.families.factorization.model import FactorizationModel, LatentGaussians, entropy
from xlt.families.factorization.svi import evaluate_pairs, train_by_svi


@pytest.mark.parametrize("rank", [0, 1, 4])
def test_kl_matches_torch_distributions(rank):
    gen = torch.Generator().manual_seed(rank)
    q = LatentGaussians(3, 6, rank, generator=gen)
    with torch.no_grad():
        q.mean.normal_(0, 1.5, generator=gen)
        q.rho.uniform_(-2, 2, generator=gen)
    prior = MultivariateNormal(torch.zeros(6), torch.eye(6))
    if rank:
        ours = LowRankMultivariateNormal(q.mean, q.factor, q.diagonal())
        expected = sum(
            kl_divergence(MultivariateNormal(q.mean[i], q.covariance()[i]), prior) for i in range(3)
        )
        # torch's own low-rank distribution agrees with the dense one, too
        dense_kl = kl_divergence(
            ours, LowRankMultivariateNormal(torch.zeros(6), torch.zeros(6, 1), torch.ones(6))
        ).sum()
        assert torch.allclose(dense_kl, expected, rtol=1e-4)
    else:
        expected = kl_divergence(Normal(q.mean, q.diagonal().sqrt()), Normal(0.0, 1.0)).sum()
    assert torch.allclose(q.kl_to_standard_normal(), expected, rtol=1e-4, atol=1e-5)


def test_low_rank_log_determinant_matches_dense():
    gen = torch.Generator().manual_seed(0)
    q = LatentGaussians(4, 12, rank=10, generator=gen)
    dense = torch.logdet(q.covariance().double()).float()
    assert torch.allclose(q.log_det(), dense, rtol=1e-4)


def test_hand_checked_kl_of_a_diagonal_gaussian():
    q = LatentGaussians(1, 2, rank=0)
    with torch.no_grad():
        q.mean.copy_(torch.tensor([[1.0, 0.0]]))
        # softplus(rho) = 2 for both dimensions
        q.rho.fill_(math.log(math.e**2 - 1))
    # 0.5 * (m'm + tr S - h - ln det S) = 0.5 * (1 + 4 - 2 - 2 ln 2)
    assert q.kl_to_standard_normal().item() == pytest.approx(0.5 * (3 - 2 * math.log(2)), rel=1e-5)


def test_samples_have_the_posterior_covariance():
    torch.manual_seed(0)
    q = LatentGaussians(1, 3, rank=2)
    draws = q.sample(200_000)[:, 0].detach()
    empirical = torch.cov(draws.T)
    assert torch.allclose(draws.mean(0), q.mean[0].detach(), atol=0.02)
    assert torch.allclose(empirical, q.covariance()[0].detach(), atol=0.03)


def test_entropy_values():
    p = torch.tensor([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])
    assert entropy(p).tolist() == pytest.approx([0.0, math.log(3), math.log(2)])


def _grid(seed=0, e=6, c=3, words=1500):
    """Every language shifts the encoder's vectors by its own offset; every
    task labels the unshifted vector by its own class prototypes. The
    classifier of (task, language) thus combines a task factor (weights) and a
    language factor (the offset it must undo)."""
    rng = np.random.default_rng(seed)
    tasks = ["t0", "t1"]
    langs = ["a", "b", "c", "d", "e", "f"]
    prototypes = {t: rng.normal(size=(c, e)) for t in tasks}
    offsets = {lang: rng.normal(scale=1.5, size=e) for lang in langs}
    data = {}
    for t in tasks:
        for lang in langs:
            splits = []
            for n in (words, 300):
                x = rng.normal(size=(n, e))
                y = (x @ prototypes[t].T).argmax(1)
                shifted = torch.from_numpy((x + offsets[lang]).astype(np.float32))
                sentences = torch.arange(0, n + 1, 10)
                splits.append(FeatureSplit(shifted, torch.from_numpy(y), sentences))
            data[(t, lang)] = tuple(splits)
    return data


def test_factorization_predicts_held_out_pairs_above_chance(monkeypatch, tmp_path):
    from xlt.families.factorization import svi

    # Synthetic tasks: 3 classes scored by accuracy.
    monkeypatch.setattr(svi.tasks, "labels", lambda task: ["x", "y", "z"])
    monkeypatch.setattr(
        svi.tasks,
        "score",
        lambda task, gold, pred: {
            "score": 100
            * np.mean(
                [
                    g == p
                    for gs, ps in zip(gold, pred, strict=True)
                    for g, p in zip(gs, ps, strict=True)
                ]
            )
        },
    )
    data = _grid()
    heldout = [("t0", "a"), ("t1", "b"), ("t0", "c"), ("t1", "d"), ("t0", "e"), ("t1", "f")]
    seen = {pair: splits for pair, splits in data.items() if pair not in heldout}
    torch.manual_seed(0)
    model = FactorizationModel(
        ["t0", "t1"],
        ["a", "b", "c", "d", "e", "f"],
        feature_dim=6,
        num_classes=3,
        latent_dim=8,
        rank=2,
        hidden_sizes=[32, 32],
    )
    settings = {
        "batch_size": 8,
        "learning_rate": 3e-3,
        "mc_samples": 3,
        "max_steps": 1500,
        "eval_every_steps": 250,
        "patience": 4,
        "checkpoint_every_steps": 100,
    }
    summary = train_by_svi(
        model, seen, settings, seed=1, checkpoint_dir=tmp_path / "ck", identity="test"
    )
    assert summary["best_seen_dev_score"] > 80
    scores = evaluate_pairs(model, {p: data[p] for p in heldout}, 1)
    # chance is about 33 %; a model ignoring the language factor cannot do well
    assert np.mean(list(scores.values())) > 50, scores


def test_svi_resumes_from_a_checkpoint_to_the_uninterrupted_result(monkeypatch, tmp_path):
    from xlt.families.factorization import svi

    monkeypatch.setattr(svi.tasks, "labels", lambda task: ["x", "y", "z"])
    monkeypatch.setattr(svi, "split_score", lambda task, split, pred: float(pred.sum()))
    data = {pair: splits for pair, splits in _grid(words=200).items() if pair[1] in "ab"}
    settings = {
        "batch_size": 4,
        "learning_rate": 1e-2,
        "mc_samples": 2,
        "max_steps": 60,
        "eval_every_steps": 20,
        "patience": 10,
        "checkpoint_every_steps": 10,
    }

    def fresh_model():
        torch.manual_seed(0)
        return FactorizationModel(
            ["t0", "t1"],
            ["a", "b"],
            feature_dim=6,
            num_classes=3,
            latent_dim=4,
            rank=2,
            hidden_sizes=[8],
        )

    reference = fresh_model()
    expected = train_by_svi(reference, data, settings, 3, tmp_path / "ref", "run")

    class Killed(Exception):
        pass

    model, calls = fresh_model(), {"n": 0}
    real_loss = FactorizationModel.loss

    def dying_loss(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 35:  # after the checkpoint of step 30
            raise Killed
        return real_loss(self, *args, **kwargs)

    monkeypatch.setattr(FactorizationModel, "loss", dying_loss)
    with pytest.raises(Killed):
        train_by_svi(model, data, settings, 3, tmp_path / "ck", "run")
    monkeypatch.setattr(FactorizationModel, "loss", real_loss)
    resumed = fresh_model()  # a new process: nothing in memory survives
    summary = train_by_svi(resumed, data, settings, 3, tmp_path / "ck", "run")
    assert summary["resumed_from_step"] == 30
    assert summary["history"] == expected["history"]
    for name, value in reference.state_dict().items():
        assert torch.equal(value, resumed.state_dict()[name]), name


def _text_grid(tmp_path):
    """POS and NER sentences in two toy languages (b spells every word with a
    trailing 'o') and a tiny encoder that has never seen them trained."""
    rng = np.random.default_rng(0)
    nouns, verbs = ["kat", "dom", "ruvi", "selo"], ["sel", "nim", "bero"]
    names = ["Ana", "Tomo"]

    def sentence(lang):
        words = ["la", rng.choice(nouns), rng.choice(verbs), rng.choice(names), "."]
        if lang == "b":
            words = [w + "o" if w != "." else w for w in words]
        return [str(w) for w in words]

    pos_tags, ner_tags = ["DET", "NOUN", "VERB", "PROPN", "PUNCT"], ["O", "O", "O", "B-PER", "O"]
    pos_ids = [tasks.labels("pos").index(t) for t in pos_tags]
    ner_ids = [tasks.labels("ner").index(t) for t in ner_tags]
    data, texts = {}, []
    for lang in ("a", "b"):
        for task, ids in (("pos", pos_ids), ("ner", ner_ids)):
            splits = []
            for n in (40, 10):
                words = [sentence(lang) for _ in range(n)]
                texts += [" ".join(w) for w in words]
                splits.append(TextSplit(words, [list(ids) for _ in words]))
            data[task, lang] = tuple(splits)
    tiny_encoder(texts, tmp_path / "encoder", vocab_size=100, hidden_size=16)
    return data, tmp_path / "encoder"


def test_fine_tuned_svi_trains_the_encoder_and_resumes_exactly(monkeypatch, tmp_path):
    """PF with the encoder fine-tuned jointly (§4.2): the encoder's weights
    move, a seen pair is learnt, and a run killed after a checkpoint resumes to
    the uninterrupted run's model, encoder and history."""
    data, encoder_dir = _text_grid(tmp_path)
    settings = {
        "batch_size": 4,
        "learning_rate": 1e-2,
        "encoder_learning_rate": 1e-3,
        "mc_samples": 2,
        "max_steps": 40,
        "eval_every_steps": 10,
        "patience": 10,
        "checkpoint_every_steps": 5,
    }

    def fresh():
        torch.manual_seed(0)
        tokenizer, network = load_encoder(encoder_dir)
        model = FactorizationModel(
            ["ner", "pos"],
            ["a", "b"],
            feature_dim=16,
            num_classes=17,
            latent_dim=4,
            rank=2,
            hidden_sizes=[16],
        )
        return model, WordEncoder(network, tokenizer, 32, "cpu")

    model, encoder = fresh()
    expected = train_by_svi(model, data, settings, 3, tmp_path / "ref", "run", encoder)
    assert expected["best_seen_dev_score"] > 50  # 17 POS tags and a 5-tag NER grid
    _, pretrained = load_encoder(encoder_dir)
    moved = [
        name
        for name, value in encoder.encoder.state_dict().items()
        if not torch.equal(value, pretrained.state_dict()[name])
    ]
    assert "embeddings.word_embeddings.weight" in moved

    class Killed(Exception):
        pass

    calls = {"n": 0}
    real_loss = FactorizationModel.loss

    def dying_loss(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 23:  # after the checkpoint of step 20
            raise Killed
        return real_loss(self, *args, **kwargs)

    killed_model, killed_encoder = fresh()
    monkeypatch.setattr(FactorizationModel, "loss", dying_loss)
    with pytest.raises(Killed):
        train_by_svi(killed_model, data, settings, 3, tmp_path / "ck", "run", killed_encoder)
    monkeypatch.setattr(FactorizationModel, "loss", real_loss)
    resumed_model, resumed_encoder = fresh()  # a new process
    summary = train_by_svi(
        resumed_model, data, settings, 3, tmp_path / "ck", "run", resumed_encoder
    )
    assert summary["resumed_from_step"] == 20
    assert summary["history"] == expected["history"]
    for reference, resumed in [(model, resumed_model), (encoder.encoder, resumed_encoder.encoder)]:
        for name, value in reference.state_dict().items():
            assert torch.equal(value, resumed.state_dict()[name]), name


@pytest.mark.parametrize(
    ("devs", "stopped_early", "converged"),
    [
        ([40.0, 50.0, 55.0, 60.0], False, False),  # still gaining 5 points over 2 validations
        ([40.0, 50.0, 50.5, 50.8], False, True),  # +0.8 over the best before the last two
        ([40.0, 52.0, 51.0, 52.9], False, True),  # +0.9 over 52.0
        ([40.0, 50.0], False, False),  # too short to tell
        ([40.0, 50.0, 60.0], True, True),  # patience ran out: it had stopped improving
    ],
)
def test_svi_convergence_check(devs, stopped_early, converged):
    from xlt.families.factorization.svi import has_converged

    history = [{"step": 100 * (i + 1), "dev": dev} for i, dev in enumerate(devs)]
    assert has_converged(history, stopped_early) is converged
