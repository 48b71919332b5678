"""Interpolated parameters and the geometry of the directions between models.

Models are state dicts of one architecture (``model.state_dict()``). Only
floating-point tensors are interpolated; integer buffers (position ids, token
type ids) are the same in every model and are taken from the first one.

* 1D (Goodfellow et al. 2015): theta(alpha) = alpha * theta_b + (1 - alpha) * theta_a,
  so alpha = 0 is theta_a and alpha = 1 is theta_b.
* 2D (Li et al. 2018, with the models' own directions instead of random ones):
  theta(a1, a2) = theta_bi + a1 * delta_src + a2 * delta_tgt, where
  delta_x = theta_x - theta_bi.

``only`` restricts the arithmetic to parameters whose name starts with one of
the given prefixes (say, the encoder's); every other tensor is the anchor's
(theta_a in 1D, theta_bi in 2D), which keeps one head for the whole line or
plane.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

State = dict[str, torch.Tensor]

# Wu et al. (2022, sec. 4): -0.5 to 1.5 by 0.1, and finer steps near either model.
PAPER_ALPHAS = sorted(
    {round(-0.5 + 0.1 * i, 3) for i in range(21)}
    | {round(0.025 * i, 3) for i in (1, 2, 3, 5, 6, 7)}
    | {round(1 - 0.025 * i, 3) for i in (1, 2, 3, 5, 6, 7)}
)


def alpha_grid(values: Iterable[float]) -> list[float]:
    """The configured alphas, sorted, repeats dropped, with 0 and 1 (the two
    models themselves) always among them."""
    return sorted({round(float(v), 6) for v in values} | {0.0, 1.0})


def _mixed(name: str, tensor: torch.Tensor, only: tuple[str, ...] | None) -> bool:
    if not torch.is_floating_point(tensor):
        return False
    return only is None or name.startswith(only)


def _check_same_keys(*states: State) -> None:
    keys = set(states[0])
    for other in states[1:]:
        if set(other) != keys:
            missing = sorted(keys ^ set(other))[:5]
            raise ValueError(f"the models differ in their parameters: {', '.join(missing)}")


def line(a: State, b: State, alpha: float, only: tuple[str, ...] | None = None) -> State:
    """alpha * b + (1 - alpha) * a; exactly ``a`` at 0 and ``b`` at 1."""
    _check_same_keys(a, b)
    out = {}
    for name, start in a.items():
        if not _mixed(name, start, only) or alpha == 0:
            out[name] = start.clone()
        elif alpha == 1:
            out[name] = b[name].clone()
        else:
            out[name] = torch.lerp(start, b[name], alpha)
    return out


def plane(
    bilingual: State,
    source: State,
    target: State,
    a1: float,
    a2: float,
    only: tuple[str, ...] | None = None,
) -> State:
    """theta_bi + a1 * (theta_src - theta_bi) + a2 * (theta_tgt - theta_bi); exactly
    the bilingual model at (0, 0)."""
    _check_same_keys(bilingual, source, target)
    out = {}
    for name, base in bilingual.items():
        if not _mixed(name, base, only) or (a1 == 0 and a2 == 0):
            out[name] = base.clone()
        else:
            out[name] = base + a1 * (source[name] - base) + a2 * (target[name] - base)
    return out


def directions(
    bilingual: State, source: State, target: State, only: tuple[str, ...] | None = None
) -> dict:
    """The norms of delta_src and delta_tgt, their ratio and the angle between them
    (degrees), over every interpolated parameter (Wu et al. 2022, App. B)."""
    _check_same_keys(bilingual, source, target)
    dot = src2 = tgt2 = 0.0
    for name, base in bilingual.items():
        if not _mixed(name, base, only):
            continue
        d_src = (source[name] - base).double().flatten()
        d_tgt = (target[name] - base).double().flatten()
        dot += float(d_src @ d_tgt)
        src2 += float(d_src @ d_src)
        tgt2 += float(d_tgt @ d_tgt)
    if src2 == 0 or tgt2 == 0:
        raise ValueError("a direction is zero: the source or target model is the bilingual one")
    src_norm, tgt_norm = math.sqrt(src2), math.sqrt(tgt2)
    cosine = max(-1.0, min(1.0, dot / (src_norm * tgt_norm)))
    return {
        "norm_src": src_norm,
        "norm_tgt": tgt_norm,
        "norm_ratio": src_norm / tgt_norm,
        "angle_degrees": math.degrees(math.acos(cosine)),
    }
