"""One interpolation job: the three models of a (task, pair, seed) loaded once,
every point of the job's grids built in memory, scored on the source and the
target dev sets, and appended to the grid's points file as it goes (``points``).

Kinds: ``source_line`` (alpha from theta_src to theta_bi), ``target_line``
(theta_tgt to theta_bi) and ``plane`` (theta_bi + a1 delta_src + a2 delta_tgt).
A line's point that is a point of the plane (or of the other line) is the same
model, and is scored once (``same_model_key``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from xlt.core.provenance import file_digest, fingerprint
from xlt.families.interpolation import geometry
from xlt.families.interpolation.points import evaluate_grid, point_key
from xlt.task_models import registry as models
from xlt.task_models.storage import HEAD_FILE, load_classifier

log = logging.getLogger(__name__)
KINDS = ("source_line", "target_line", "plane")


def _check_kind(kind: str) -> None:
    """ValueError naming the known kinds unless ``kind`` is one of them."""
    if kind not in KINDS:
        raise ValueError(f"unknown interpolation kind {kind!r} (known: {', '.join(KINDS)})")


def grid_points(kind: str, alphas: list[float], plane_alphas: list[float]) -> list[dict]:
    """The points of a kind: one per alpha on a line (0 and 1 always among them),
    one per (a1, a2) on the plane ((0, 0) always among them)."""
    _check_kind(kind)
    if kind != "plane":
        return [{"alpha": a} for a in geometry.alpha_grid(alphas)]
    values = sorted({round(float(v), 6) for v in plane_alphas} | {0.0})
    return [{"a1": a1, "a2": a2} for a1 in values for a2 in values]


def _state(model_dir, encoder_dir):
    model, tokenizer, _, info = load_classifier(model_dir, encoder_dir, "cpu")
    return model, tokenizer, info, {k: v.detach().clone() for k, v in model.state_dict().items()}


def same_model_key(kind: str, point: dict, only: tuple[str, ...] | None) -> tuple:
    """Which model a point is. With every parameter interpolated, a point is
    theta_bi + c_src delta_src + c_tgt delta_tgt: the source line's alpha is
    (1 - alpha, 0), the target line's (0, 1 - alpha), the plane's (a1, a2), so the
    lines' ends and every line point whose 1 - alpha is a plane value are points of
    the plane too (up to float rounding) and share its key. With ``only``, a line keeps its start
    model's other parameters and the plane the bilingual model's: no point is
    another kind's."""
    if only is not None:
        return (kind, point_key(point))
    if kind == "plane":
        coefficients = (point["a1"], point["a2"])
    elif kind == "source_line":
        coefficients = (1 - point["alpha"], 0.0)
    else:
        coefficients = (0.0, 1 - point["alpha"])
    return tuple(round(c, 6) + 0.0 for c in coefficients)  # + 0.0: no -0.0


def run_kinds(
    *,
    grids: dict[str, list[dict]],
    models_dirs: dict,
    encoder_dir,
    dev_sets: dict[str, list[dict]],
    only: tuple[str, ...] | None,
    device,
    paths: dict,
) -> tuple[dict[str, list[dict]], dict]:
    """Score every point of each grid ({kind: points}, in that order) on each dev set
    of ``dev_sets`` (``source``, ``target``: records), the rows of a kind kept in
    ``paths[kind]`` (``points.evaluate_grid``). ``models_dirs``: the ``source``,
    ``target`` and ``bilingual`` model directories, loaded once for every grid. A
    point that is the same model as a point already scored (``same_model_key``)
    takes its scores: the lines' ends and the lines' points on the plane are
    scored once, by the first grid that has them. Returns ({kind: rows}, the
    directions' geometry, ``geometry.directions``)."""
    model, tokenizer, info, bilingual = _state(models_dirs["bilingual"], encoder_dir)
    states = {"bilingual": bilingual}
    for name in ("source", "target"):
        other, _, other_info, states[name] = _state(models_dirs[name], encoder_dir)
        if other_info["task"] != info["task"] or set(states[name]) != set(bilingual):
            raise ValueError(f"{models_dirs[name]} is not a model of the bilingual one's kind")
        del other
    task_model = models.for_task(info["task"], tokenizer, info["max_length"], info.get("options"))
    inputs = {dev: task_model.prepare(records) for dev, records in dev_sets.items()}
    model = model.to(device)
    scored: dict[tuple, dict] = {}

    def mixed(kind: str, point: dict):
        if kind == "plane":
            return geometry.plane(
                states["bilingual"], states["source"], states["target"], point["a1"],
                point["a2"], only,
            )  # fmt: skip
        start = states["source" if kind == "source_line" else "target"]
        return geometry.line(start, states["bilingual"], point["alpha"], only)

    def evaluator(kind: str):
        def evaluate(point: dict) -> dict:
            key = same_model_key(kind, point, only)
            if key not in scored:
                model.load_state_dict(mixed(kind, point))
                scored[key] = {
                    dev: task_model.score(records, task_model.predict(model, inputs[dev], device))[
                        "score"
                    ]
                    for dev, records in dev_sets.items()
                }
            return dict(scored[key])

        return evaluate

    digests = {name: file_digest(Path(d) / HEAD_FILE) for name, d in models_dirs.items()}
    dev_digests = {dev: fingerprint(records) for dev, records in dev_sets.items()}
    results = {}
    for kind, points in grids.items():
        _check_kind(kind)
        grid_id = fingerprint(
            {
                "kind": kind,
                "only": list(only) if only else None,
                "models": digests,
                "dev": dev_digests,
            }
        )
        results[kind] = evaluate_grid(points, evaluator(kind), paths[kind], grid_id)
        for row in results[kind]:  # rows kept from a killed run too
            scored.setdefault(same_model_key(kind, row["point"], only), row["scores"])
    total = sum(len(points) for points in grids.values())
    if len(scored) < total:
        log.info("%d points, %d models: the others were the same model as a point of "
                 "another grid", total, len(scored))  # fmt: skip
    directions = geometry.directions(states["bilingual"], states["source"], states["target"], only)
    return results, directions
