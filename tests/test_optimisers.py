"""The training optimisers: torch's Adam and AdamW, step for step, without the
import of torch's compiler (xlt.core.optimisers)."""

import subprocess
import sys

import pytest
import torch

from conftest import ROOT
from xlt.core import optimisers


def _model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))


def _groups(model):
    """Two groups with their own learning rate and weight decay, as the training
    code builds for a head apart from the encoder."""
    first, second = model[0], model[2]
    return [
        {"params": list(first.parameters()), "lr": 0.01, "weight_decay": 0.1},
        {"params": list(second.parameters()), "lr": 0.003},
    ]


def _train(model, optimiser, steps, seed=1):
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        inputs = torch.randn(4, 6, generator=generator)
        model(inputs).square().mean().backward()
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("kernel", [{"fused": True}, {"foreach": True}, {"foreach": False}])
def test_steps_are_torchs_bit_for_bit(name, kernel):
    reference, ours = _model(), _model()
    torch_optimiser = getattr(torch.optim, name)(_groups(reference), weight_decay=0.01, **kernel)
    our_optimiser = getattr(optimisers, name)(_groups(ours), weight_decay=0.01, **kernel)
    _train(reference, torch_optimiser, steps=7)
    _train(ours, our_optimiser, steps=7)
    for a, b in zip(reference.parameters(), ours.parameters(), strict=True):
        assert torch.equal(a, b)
    assert isinstance(our_optimiser, getattr(torch.optim, name))


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_checkpoints_are_interchangeable_with_torchs(name):
    """A checkpoint written with torch's class resumes in ours, and back: the same
    parameters as one uninterrupted run."""
    uninterrupted = _model()
    optimiser = getattr(torch.optim, name)(uninterrupted.parameters(), lr=0.01)
    _train(uninterrupted, optimiser, steps=3, seed=1)
    _train(uninterrupted, optimiser, steps=3, seed=2)

    first = _model()
    torch_optimiser = getattr(torch.optim, name)(first.parameters(), lr=0.01)
    _train(first, torch_optimiser, steps=3, seed=1)
    second = _model()
    second.load_state_dict(first.state_dict())
    our_optimiser = getattr(optimisers, name)(second.parameters(), lr=0.01)
    our_optimiser.load_state_dict(torch_optimiser.state_dict())
    _train(second, our_optimiser, steps=3, seed=2)
    for a, b in zip(uninterrupted.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)
    assert our_optimiser.state_dict()["state"][0]["step"].item() == 6

    back = getattr(torch.optim, name)(_model().parameters(), lr=0.01)
    back.load_state_dict(our_optimiser.state_dict())
    assert back.state_dict()["param_groups"] == our_optimiser.state_dict()["param_groups"]


def test_a_training_loop_leaves_torchs_compiler_unimported():
    """Optimiser, schedule, clipping, checkpoint round trip: torch._dynamo stays
    out of the process (torch's own classes import it, about 1.5 s)."""
    program = """
import sys
import torch
from xlt.core.optimisers import Adam, AdamW

model = torch.nn.Linear(3, 2)
for make in (Adam, AdamW):
    optimiser = make(model.parameters(), lr=0.1, fused=True)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: 1 / (step + 1))
    for _ in range(2):
        model(torch.ones(1, 3)).sum().backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad(set_to_none=True)
    optimiser.load_state_dict(optimiser.state_dict())
print("torch._dynamo" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "workflow_scripts"), "OMP_NUM_THREADS": "1"},
    )
    assert done.stdout.strip() == "False"
