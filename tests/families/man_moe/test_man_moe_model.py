"""MAN-MoE's network and Algorithm 1 on toy problems: the gate loss by hand, the
adversarial step signs, exact resume."""

import math

import pytest
import torch

from xlt.encoders.features import FeatureSplit
from xlt.families.man_moe.model import (
    ExpertMixture,
    ManMoE,
    gate_loss,
    mean_gate_weights,
    task_loss,
)
from xlt.families.man_moe.systems import VARIANTS
from xlt.families.man_moe.training import (
    TrainingData,
    discriminator_loss,
    draw,
    main_loss,
    padded,
    predict,
    train_man_moe,
)

SETTINGS = {
    "batch_size": 16,
    "learning_rate": 1e-3,
    "weight_decay": 1e-8,
    "lambda1": 0.0,
    "lambda2": 0.01,
    "k": 1,
    "max_steps": 8,
    "eval_every_steps": 2,
    "patience": 100,
    "checkpoint_every_steps": 2,
}


def test_gate_loss_is_the_nll_of_the_true_expert_by_hand():
    # softmax(0, ln 3) = (1/4, 3/4)
    logits = torch.tensor([[[0.0, math.log(3.0)], [0.0, math.log(3.0)]]])
    assert float(gate_loss(logits, 1)) == pytest.approx(-math.log(0.75))
    assert float(gate_loss(logits, 0)) == pytest.approx(math.log(4.0))
    # a padded token does not count: one real token with softmax (1/2, 1/2)
    mixed = torch.tensor([[[0.0, 0.0], [0.0, 50.0]]])
    mask = torch.tensor([[True, False]])
    assert float(gate_loss(mixed, 0, mask)) == pytest.approx(math.log(2.0))
    # sentence-level gates [B, E]: the mean over sentences
    sentences = torch.tensor([[0.0, math.log(3.0)], [math.log(3.0), 0.0]])
    assert float(gate_loss(sentences, 1)) == pytest.approx((-math.log(0.75) + math.log(4)) / 2)


def test_gate_weights_average_over_a_sentences_tokens_only():
    logits = torch.tensor([[[0.0, math.log(3.0)], [math.log(3.0), 0.0], [9.0, -9.0]]])
    mask = torch.tensor([[True, True, False]])
    assert mean_gate_weights(logits, mask)[0].tolist() == pytest.approx([0.5, 0.5])


def _split(sentences: list[list[list[float]]], labels: list[list[int]]) -> FeatureSplit:
    lengths = torch.tensor([len(s) for s in sentences])
    offsets = torch.zeros(len(sentences) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(lengths, 0)
    vectors = torch.tensor([w for s in sentences for w in s])
    return FeatureSplit(vectors, torch.tensor([x for s in labels for x in s]), offsets)


def test_the_stacked_experts_compute_each_experts_mlp_and_mix_them_by_the_gate():
    torch.manual_seed(0)
    mixture = ExpertMixture(6, 128, 4, experts=3, dropout=0.5, last=torch.nn.Tanh()).eval()
    x = torch.randn(2, 5, 6)
    mixed, logits = mixture(x)
    # expert e by hand: tanh(relu(x W1_e + b1_e) W2_e + b2_e)
    w1 = mixture.hidden_weight.reshape(6, 3, 128)
    b1 = mixture.hidden_bias.reshape(3, 128)
    experts = [
        torch.tanh(
            (x @ w1[:, e] + b1[e]).relu() @ mixture.output_weight[e] + mixture.output_bias[e]
        )
        for e in range(3)
    ]
    weights = mixture.gate(x).softmax(-1)
    expected = sum(weights[..., e : e + 1] * experts[e] for e in range(3))
    assert torch.allclose(logits, mixture.gate(x))
    assert torch.allclose(mixed, expected, atol=1e-6)
    # C's experts: the mixture of the experts' softmax distributions is one
    probs, _ = mixture(x, softmax_experts=True)
    assert torch.allclose(probs.sum(-1), torch.ones(2, 5), atol=1e-6)


def test_padding_keeps_each_sentence_and_masks_the_rest():
    split = _split([[[1.0], [2.0]], [[3.0]], [[4.0], [5.0], [6.0]]], [[1, 2], [3], [4, 5, 6]])
    batch = padded(split, [0, 2])
    assert batch.lengths.tolist() == [2, 3]
    assert batch.mask.tolist() == [[True, True, False], [True, True, True]]
    assert batch.vectors[..., 0].tolist() == [[1.0, 2.0, 0.0], [4.0, 5.0, 6.0]]
    assert batch.labels.tolist() == [[1, 2, 0], [4, 5, 6]]


def _language(shift: float, seed: int, sentences: int = 64, dim: int = 8) -> FeatureSplit:
    """Toy sentences of 4-7 words: label = sign of feature 1 (the same rule in every
    language); the language is visible in feature 0, shifted by ``shift``."""
    g = torch.Generator().manual_seed(seed)
    words, labels = [], []
    for _ in range(sentences):
        n = int(torch.randint(4, 8, (1,), generator=g))
        x = torch.randn(n, dim, generator=g)
        x[:, 0] += shift
        words.append(x.tolist())
        labels.append((x[:, 1] > 0).long().tolist())
    return _split(words, labels)


def _toy(sources=("xa", "xb"), target="xc") -> TrainingData:
    shifts = {"xa": -3.0, "xb": 3.0, "xc": 0.0}
    splits = {lang: _language(shifts[lang], i) for i, lang in enumerate(shifts)}
    dev = {lang: _language(shifts[lang], 10 + i, 16) for i, lang in enumerate(shifts)}
    return TrainingData(
        task="pos",
        sources=list(sources),
        languages=[*sources, target],
        labelled={s: (splits[s], dev[s]) for s in sources},
        unlabelled={lang: splits[lang] for lang in (*sources, target)},
    )


def _model(variant="man_moe", data=None, seed=0) -> ManMoE:
    data = data or _toy()
    torch.manual_seed(seed)
    return ManMoE(8, 17, len(data.sources), len(data.languages), VARIANTS[variant], dropout=0.1)


def test_variants_build_only_their_parts():
    full, man, plain = _model("man_moe"), _model("man"), _model("pooled")
    assert full.discriminator is not None and full.private is not None
    assert man.private is None and man.discriminator is not None
    assert plain.discriminator is None and plain.private is None
    # the main optimiser never updates D
    main = {id(p) for p in full.main_parameters()}
    assert not main & {id(p) for p in full.discriminator.parameters()}
    assert len(main) + len(list(full.discriminator.parameters())) == len(list(full.parameters()))
    batch = padded(_toy().labelled["xa"][0], [0, 1, 2])
    out = full(batch.vectors, batch.lengths, batch.mask)
    assert out.private_gate.shape == out.tagger_gate.shape == (3, batch.mask.shape[1], 2)
    # C mixes probabilities: each word's label distribution sums to one
    words = int(batch.lengths.sum())
    assert out.log_probs.exp().sum(-1)[batch.mask].tolist() == pytest.approx(
        [1.0] * words, abs=1e-5
    )
    assert plain(batch.vectors, batch.lengths, batch.mask).tagger_gate is None


def test_the_discriminators_loss_falls_when_it_trains():
    data = _toy()
    model = _model(data=data)
    before, accuracy = discriminator_loss(model, data, SETTINGS, 0, 0, "discriminator", "cpu")
    critic = torch.optim.Adam(model.discriminator.parameters(), lr=1e-3)
    model.train()
    for step in range(30):
        critic.zero_grad()
        discriminator_loss(model, data, SETTINGS, 0, step, "discriminator", "cpu")[0].backward()
        critic.step()
    after, trained = discriminator_loss(model, data, SETTINGS, 0, 99, "discriminator", "cpu")
    # three languages: chance is 3 x ln 3 = 3.30 summed over the languages
    assert before.item() == pytest.approx(3 * math.log(3), abs=0.3)
    assert after.item() < 0.5 * before.item() and trained > max(accuracy, 0.9)
    # D's steps leave F_s alone
    shared = [p.detach().clone() for p in model.shared.parameters()]
    critic.zero_grad()
    discriminator_loss(model, data, SETTINGS, 0, 0, "discriminator", "cpu")[0].backward()
    assert all(p.grad is None for p in model.shared.parameters())
    assert all(torch.equal(a, b) for a, b in zip(shared, model.shared.parameters(), strict=True))


def _watched_accuracy(variant_seed: int, lambda1: float, tmp_path) -> float:
    """D's mean accuracy on its training batches over steps 21-120 of a MAN run."""
    data = _toy()
    settings = {**SETTINGS, "lambda1": lambda1, "lambda2": 0.0, "max_steps": 120, "batch_size": 8}
    settings.update(eval_every_steps=20, checkpoint_every_steps=1000)
    model = _model("man", data, seed=variant_seed)
    run = train_man_moe(model, data, settings, variant_seed, tmp_path / f"{lambda1}", "run")
    return sum(h["discriminator_accuracy"] for h in run["history"][1:]) / 5


def test_training_against_the_discriminator_keeps_it_from_telling_languages_apart(tmp_path):
    seed = 0  # seed 1 passes too (a run takes ~10 s)
    # the languages differ by a shift of feature 0 that F_s passes on unless it is
    # trained against D: with lambda1 = 0, D (trained all the same) tells the three
    # languages apart; with lambda1 = 1 its accuracy falls towards chance (1/3)
    watching, adversarial = (_watched_accuracy(seed, x, tmp_path) for x in (0.0, 1.0))
    assert watching >= 0.95
    assert adversarial <= min(0.8, watching - 0.2)  # a min-max game: it oscillates


def test_a_run_resumed_from_its_checkpoint_ends_where_an_uninterrupted_one_does(tmp_path):
    data = _toy()
    settings = {**SETTINGS, "lambda1": 0.1}
    straight = _model(data=data, seed=3)
    torch.manual_seed(11)
    summary = train_man_moe(straight, data, settings, 5, tmp_path / "one", "run")
    killed = _model(data=data, seed=3)
    torch.manual_seed(11)
    train_man_moe(killed, data, {**settings, "max_steps": 4}, 5, tmp_path / "two", "run")
    resumed = _model(data=data, seed=99)  # other weights: the checkpoint replaces them
    torch.manual_seed(12345)  # so does the RNG state
    again = train_man_moe(resumed, data, settings, 5, tmp_path / "two", "run")
    assert again["history"] == summary["history"]
    for key, value in straight.state_dict().items():
        assert torch.equal(value, resumed.state_dict()[key]), key
    predicted, gates = predict(resumed, data.labelled["xa"][1])
    assert torch.equal(predicted, predict(straight, data.labelled["xa"][1])[0])
    assert gates.shape == (16, 2) and gates.sum(-1).tolist() == pytest.approx([1.0] * 16)


def test_one_batched_pass_sums_each_languages_losses_as_algorithm_1_does():
    # every language's mini-batch goes through the network in one padded batch; in
    # eval mode (no dropout) the loss is Algorithm 1's sum of per-language losses
    data = _toy()
    model = _model("man_moe", data)
    model.eval()
    settings = {**SETTINGS, "lambda1": 0.5, "lambda2": 0.3}
    loss, parts = main_loss(model, data, settings, 7, 3, "cpu")
    task = gates = adversary = 0.0
    for index, lang in enumerate(data.sources):
        train = data.labelled[lang][0]
        batch = padded(train, draw(train, 16, 7, 3, index, "labelled"))
        out = model(batch.vectors, batch.lengths, batch.mask)
        task += task_loss(out, batch.labels, batch.mask).item()
        gates += gate_loss(out.private_gate, index, batch.mask).item()
        gates += gate_loss(out.tagger_gate, index, batch.mask).item()
    for index, lang in enumerate(data.languages):
        split = data.unlabelled[lang]
        batch = padded(split, draw(split, 16, 7, 3, index, "adversary"))
        logits = model.discriminator(
            model.shared_features(batch.vectors, batch.lengths), batch.mask
        )
        target = torch.full((len(logits),), index)
        adversary += torch.nn.functional.cross_entropy(logits, target).item()
    assert parts == pytest.approx({"task": task, "gate": gates, "adversary": adversary}, rel=1e-5)
    assert loss.item() == pytest.approx(task + 0.3 * gates - 0.5 * adversary, rel=1e-5)


def test_the_expert_gate_trusts_the_source_closest_to_the_target_most(tmp_path):
    # three sources whose words differ by a shift of feature 0; the target's words
    # lie next to xa's. The gate loss teaches each source's words its own expert,
    # so the target's words, unseen in training, should be routed to xa's
    shifts = {"xa": -3.0, "xb": 0.0, "xd": 3.0, "xt": -2.5}
    splits = {lang: _language(shift, i) for i, (lang, shift) in enumerate(shifts.items())}
    sources = ["xa", "xb", "xd"]
    data = TrainingData(
        task="pos",
        sources=sources,
        languages=[*sources, "xt"],
        labelled={s: (splits[s], _language(shifts[s], 20, 16)) for s in sources},
        unlabelled=splits,
    )
    settings = {**SETTINGS, "lambda2": 1.0, "max_steps": 60, "eval_every_steps": 30}
    model = _model(data=data)
    train_man_moe(model, data, settings, 0, tmp_path, "gates")
    _, gates = predict(model, _language(shifts["xt"], 30, 32))
    weights = gates.mean(0)  # Figure 4: sentence means averaged over the target
    assert weights.sum().item() == pytest.approx(1.0, abs=1e-5)
    assert weights.argmax().item() == 0 and weights[0] > 0.5
