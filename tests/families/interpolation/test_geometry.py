"""Interpolation arithmetic, the alpha grids and the directions' geometry, on
small hand-made state dicts."""

import math

import pytest
import torch

from xlt.families.interpolation.geometry import (
    PAPER_ALPHAS,
    alpha_grid,
    directions,
    line,
    plane,
)


def state(weight, bias, head):
    return {
        "encoder.weight": torch.tensor(weight, dtype=torch.float32),
        "encoder.bias": torch.tensor(bias, dtype=torch.float32),
        "encoder.position_ids": torch.arange(3),
        "head.weight": torch.tensor(head, dtype=torch.float32),
    }


SRC = state([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5], [1.0])
BI = state([[0.0, 0.0], [0.0, 0.0]], [0.0, 0.0], [3.0])
TGT = state([[2.0, 2.0], [-3.0, 0.0]], [0.5, 0.5], [7.0])


def same(a, b):
    return set(a) == set(b) and all(torch.equal(a[k], b[k]) for k in a)


def test_the_line_reproduces_its_endpoints_exactly_and_mixes_linearly():
    assert same(line(SRC, BI, 0.0), SRC) and same(line(SRC, BI, 1.0), BI)
    quarter = line(SRC, BI, 0.25)  # 0.25 * bilingual + 0.75 * source
    assert torch.allclose(quarter["encoder.weight"], torch.tensor([[0.75, 1.5], [2.25, 3.0]]))
    assert torch.allclose(quarter["head.weight"], torch.tensor([1.5]))
    beyond = line(SRC, BI, -0.5)  # outside the segment: 1.5 * source - 0.5 * bilingual
    assert torch.allclose(beyond["head.weight"], torch.tensor([0.0]))
    assert torch.equal(quarter["encoder.position_ids"], torch.arange(3))  # integers untouched


def test_encoder_only_interpolation_keeps_the_anchors_head():
    half = line(SRC, BI, 0.5, only=("encoder.",))
    assert torch.allclose(half["encoder.bias"], torch.tensor([0.25, -0.25]))
    assert torch.equal(half["head.weight"], SRC["head.weight"])


def test_the_plane_is_the_bilingual_model_at_the_origin():
    assert same(plane(BI, SRC, TGT, 0.0, 0.0), BI)
    assert torch.allclose(plane(BI, SRC, TGT, 1.0, 0.0)["head.weight"], SRC["head.weight"])
    assert torch.allclose(plane(BI, SRC, TGT, 0.0, 1.0)["encoder.bias"], TGT["encoder.bias"])
    mixed = plane(BI, SRC, TGT, 0.5, -1.0)  # 3 + 0.5 * (1 - 3) - (7 - 3)
    assert torch.allclose(mixed["head.weight"], torch.tensor([-2.0]))


def test_norm_ratio_and_angle_by_hand():
    # delta_src = (1, 2, 3, 4, 0.5, -0.5, -2), delta_tgt = (2, 2, -3, 0, 0.5, 0.5, 4)
    found = directions(BI, SRC, TGT)
    src, tgt = math.sqrt(1 + 4 + 9 + 16 + 0.25 + 0.25 + 4), math.sqrt(4 + 4 + 9 + 0.25 + 0.25 + 16)
    dot = 2 + 4 - 9 + 0 + 0.25 - 0.25 - 8
    assert found["norm_src"] == pytest.approx(src) and found["norm_tgt"] == pytest.approx(tgt)
    assert found["norm_ratio"] == pytest.approx(src / tgt)
    assert found["angle_degrees"] == pytest.approx(math.degrees(math.acos(dot / (src * tgt))))
    # a right angle and equal norms: delta_src = (1, 0), delta_tgt = (0, 1)
    origin = {"w": torch.zeros(2)}
    right = directions(origin, {"w": torch.tensor([1.0, 0.0])}, {"w": torch.tensor([0.0, 1.0])})
    assert right["norm_ratio"] == pytest.approx(1.0) and right["angle_degrees"] == pytest.approx(90)


def test_alpha_grids_always_hold_both_models():
    assert alpha_grid([0.5, 0.25, 0.5]) == [0.0, 0.25, 0.5, 1.0]
    assert len(PAPER_ALPHAS) == 21 + 12 and PAPER_ALPHAS[0] == -0.5 and PAPER_ALPHAS[-1] == 1.5
    assert {0.0, 0.025, 0.175, 0.825, 0.975, 1.0} <= set(PAPER_ALPHAS)
    assert alpha_grid(PAPER_ALPHAS) == PAPER_ALPHAS


def test_models_of_other_shapes_are_refused():
    with pytest.raises(ValueError, match="differ in their parameters: extra"):
        line(SRC, {**BI, "extra": torch.zeros(1)}, 0.5)
    with pytest.raises(ValueError, match="a direction is zero"):
        directions(BI, BI, TGT)
