import pytest
import torch
from torch import nn

from xlt.encoders.dropout import Dropout, fast_dropout

P = 0.1
N = 1_000_000


def positive(n=N, seed=123):
    """Values bounded away from 0, so a zero output means a dropped element."""
    return torch.rand(n, generator=torch.Generator().manual_seed(seed)) + 0.5


def test_eval_mode_and_p_zero_are_the_identity():
    x = torch.randn(1000)
    assert Dropout(P).eval()(x) is x
    assert Dropout(0.0).train()(x) is x


def test_training_keeps_each_element_with_probability_one_minus_p():
    x = positive()
    torch.manual_seed(0)
    out = Dropout(P).train()(x)
    kept = out != 0
    torch.testing.assert_close(out[kept], x[kept] / (1 - P))
    # the kept count is Binomial(N, 1 - p): standard deviation sqrt(N p (1 - p))
    # = 300 elements; 5 of them is a bound a correct dropout exceeds with
    # probability ~6e-7 for any seed, while keeping with probability p, or
    # 1 - p +- 0.002, fails it.
    sigma = (P * (1 - P) / N) ** 0.5
    assert abs(kept.double().mean().item() - (1 - P)) < 5 * sigma


def test_the_gradient_is_the_mask_over_one_minus_p():
    x = positive(10_000).requires_grad_()
    upstream = torch.randn(10_000, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(0)
    out = Dropout(P).train()(x)
    out.backward(upstream)
    mask = (out != 0).float()
    torch.testing.assert_close(x.grad, upstream * mask / (1 - P))


def test_the_mask_comes_from_torchs_global_generator():
    x = positive(10_000)
    dropout = Dropout(P).train()
    torch.manual_seed(7)
    first, second = dropout(x), dropout(x)
    torch.manual_seed(7)
    assert torch.equal(dropout(x), first)  # same seed, same mask
    assert not torch.equal(first != 0, second != 0)  # the generator moved on


def test_inplace_gives_the_same_values():
    x = positive(10_000)
    torch.manual_seed(3)
    expected = Dropout(P).train()(x)
    y = x.clone()
    torch.manual_seed(3)
    out = Dropout(P, inplace=True).train()(y)
    assert out.data_ptr() == y.data_ptr()
    assert torch.equal(out, expected)


def test_p_one_gives_zeros():
    x = positive(1000).requires_grad_()
    out = Dropout(1.0).train()(x)
    assert torch.equal(out, torch.zeros(1000))
    out.sum().backward()
    assert torch.equal(x.grad, torch.zeros(1000))


def test_p_outside_zero_one_is_an_error_as_in_torch():
    with pytest.raises(ValueError):
        Dropout(1.5)


def test_half_precision_keeps_its_dtype():
    x = positive(10_000).to(torch.bfloat16)
    torch.manual_seed(0)
    out = Dropout(P).train()(x)
    assert out.dtype == torch.bfloat16
    kept = out != 0
    assert torch.equal(out[kept], x[kept] * torch.tensor(1 / (1 - P), dtype=torch.bfloat16))


def small_bert():
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=50,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=32,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.2,
    )
    torch.manual_seed(0)
    return BertModel(config)


def exact_dropouts(model):
    return [name for name, m in model.named_modules() if type(m) is nn.Dropout]


def test_fast_dropout_swaps_every_dropout_of_a_bert():
    model = small_bert()
    before = {name: m.p for name, m in model.named_modules() if type(m) is nn.Dropout}
    assert len(before) == 1 + 2 * 3  # embeddings; per layer: attention, its output, FFN output
    assert before["encoder.layer.0.attention.self.dropout"] == 0.2
    state = {k: v.clone() for k, v in model.state_dict().items()}
    ids = torch.randint(1, 50, (3, 16), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    mask[0, 10:] = 0
    model.eval()
    with torch.no_grad():
        expected = model(input_ids=ids, attention_mask=mask).last_hidden_state

    assert fast_dropout(model) is model
    assert exact_dropouts(model) == []
    after = {name: m.p for name, m in model.named_modules() if isinstance(m, Dropout)}
    assert after == before
    assert all(not m.training for m in model.modules())
    assert model.state_dict().keys() == state.keys()
    with torch.no_grad():
        assert torch.equal(model(input_ids=ids, attention_mask=mask).last_hidden_state, expected)

    # training: the attention reads its dropout's .p (sdpa's dropout_p, or
    # F.dropout in the eager function); the rest calls Dropout
    for implementation in ("sdpa", "eager"):
        model.config._attn_implementation = implementation
        model.train()
        torch.manual_seed(2)
        out = model(input_ids=ids, attention_mask=mask).last_hidden_state
        out.sum().backward()
        assert torch.isfinite(out).all()
        assert not torch.equal(out, expected)
    fast_dropout(model)  # a second pass finds nothing to swap
    assert after == {name: m.p for name, m in model.named_modules() if isinstance(m, Dropout)}


def test_a_shared_dropout_stays_shared():
    shared = nn.Dropout(0.3)
    model = fast_dropout(nn.Sequential(shared, nn.Linear(2, 2), shared))
    assert type(model[0]) is Dropout and model[0] is model[2] and model[0].p == 0.3
    assert type(fast_dropout(nn.Dropout(0.2))) is Dropout
