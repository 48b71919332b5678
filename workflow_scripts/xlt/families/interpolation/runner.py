"""One interpolation job: the three models of a (task, pair, seed) loaded once,
every point of one grid built in memory, scored on the source and the target
dev sets, and appended to the job's points file as it goes (``points``).

Kinds: ``source_line`` (alpha from theta_src to theta_bi), ``target_line``
(theta_tgt to theta_bi) and ``plane`` (theta_bi + a1 delta_src + a2 delta_tgt).
"""

from __future__ import annotations

import logging
from pathlib import Path

from xlt.core.provenance import file_digest, fingerprint
from xlt.families.interpolation import geometry
from xlt.families.interpolation.points import evaluate_grid
from xlt.task_models import registry as models
from xlt.task_models.storage import HEAD_FILE, load_classifier

log = logging.getLogger(__name__)
KINDS = ("source_line", "target_line", "plane")


def grid_points(kind: str, alphas: list[float], plane_alphas: list[float]) -> list[dict]:
    """The points of a kind: one per alpha on a line (0 and 1 always among them),
    one per (a1, a2) on the plane ((0, 0) always among them)."""
    if kind not in KINDS:
        raise ValueError(f"unknown interpolation kind {kind!r} (known: {', '.join(KINDS)})")
    if kind != "plane":
        return [{"alpha": a} for a in geometry.alpha_grid(alphas)]
    values = sorted({round(float(v), 6) for v in plane_alphas} | {0.0})
    return [{"a1": a1, "a2": a2} for a1 in values for a2 in values]


def _state(model_dir, encoder_dir):
    model, tokenizer, _, info = load_classifier(model_dir, encoder_dir, "cpu")
    return model, tokenizer, info, {k: v.detach().clone() for k, v in model.state_dict().items()}


def run_kind(
    *,
    kind: str,
    models_dirs: dict,
    encoder_dir,
    dev_sets: dict[str, list[dict]],
    points: list[dict],
    only: tuple[str, ...] | None,
    device,
    path,
) -> tuple[list[dict], dict]:
    """Score every point of ``kind`` on each dev set of ``dev_sets`` (``source``,
    ``target``: records). ``models_dirs``: the ``source``, ``target`` and
    ``bilingual`` model directories. Returns the rows (as ``grid.evaluate_grid``
    returns them) and the directions' geometry (``geometry.directions``)."""
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

    def evaluate(point: dict) -> dict:
        if kind == "plane":
            a1, a2 = point["a1"], point["a2"]
            mixed = geometry.plane(
                states["bilingual"], states["source"], states["target"], a1, a2, only
            )
        else:
            start = states["source" if kind == "source_line" else "target"]
            mixed = geometry.line(start, states["bilingual"], point["alpha"], only)
        model.load_state_dict(mixed)
        return {
            dev: task_model.score(records, task_model.predict(model, inputs[dev], device))["score"]
            for dev, records in dev_sets.items()
        }

    grid_id = fingerprint(
        {
            "kind": kind,
            "only": list(only) if only else None,
            "models": {name: file_digest(Path(d) / HEAD_FILE) for name, d in models_dirs.items()},
            "dev": {dev: fingerprint(records) for dev, records in dev_sets.items()},
        }
    )
    rows = evaluate_grid(points, evaluate, path, grid_id)
    return rows, geometry.directions(states["bilingual"], states["source"], states["target"], only)
