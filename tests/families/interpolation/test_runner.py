"""An interpolation job on toy source, target and bilingual models: the line's
ends and the plane's origin score exactly as the models themselves."""

import random

import pytest

from conftest import TOY_SETTINGS, tiny_encoder, train_toy
from xlt.families.interpolation import geometry
from xlt.families.interpolation.runner import grid_points, run_kinds, same_model_key
from xlt.task_models import registry as models
from xlt.task_models.storage import load_classifier

SETTINGS = {**TOY_SETTINGS, "epochs": 4, "batch_size": 8}


def sentences(rng, prefix, verb_final, n):
    order = ["DET", "NOUN", "VERB", "DET", "NOUN"]
    if verb_final:
        order = ["DET", "NOUN", "DET", "NOUN", "VERB"]
    out = []
    for _ in range(n):
        forms = {"DET": "la", "NOUN": rng.choice(["kat", "dom", "ruvi"])}
        forms["VERB"] = rng.choice(["sel", "nim"])
        out.append({"words": [prefix + forms[t] for t in order], "labels": list(order)})
    return out


@pytest.fixture(scope="module")
def trio(tmp_path_factory):
    root = tmp_path_factory.mktemp("trio")
    rng = random.Random(0)
    src, tgt = sentences(rng, "", False, 80), sentences(rng, "zu", True, 80)
    encoder = tiny_encoder([" ".join(s["words"]) for s in src + tgt], root / "encoder")
    data = {"source": (src[:60], src[60:]), "target": (tgt[:60], tgt[60:])}
    data["bilingual"] = (src[:60] + tgt[:60], src[60:] + tgt[60:])
    dirs = {}
    for name, (train, dev) in data.items():
        toy = {"train": train, "dev": dev, "encoder": encoder}
        train_toy("pos", toy, root / name, SETTINGS, 16)
        dirs[name] = root / name / "model"
    return {"dirs": dirs, "encoder": encoder, "dev": {"source": src[60:], "target": tgt[60:]}}


def own_scores(model_dir, dev_sets):
    model, tokenizer, _, info = load_classifier(model_dir, None, "cpu")
    task_model = models.for_task("pos", tokenizer, info["max_length"], None)
    scores = {}
    for dev, records in dev_sets.items():
        predicted = task_model.predict(model, task_model.prepare(records), "cpu")
        scores[dev] = task_model.score(records, predicted)["score"]
    return scores


def run(trio, kind, points, path):
    rows, _ = run_kinds(
        grids={kind: points},
        models_dirs=trio["dirs"],
        encoder_dir=trio["encoder"],
        dev_sets=trio["dev"],
        only=None,
        device="cpu",
        paths={kind: path},
    )
    return rows[kind]


def test_the_ends_of_the_line_are_the_models_themselves(trio, tmp_path):
    rows = run(trio, "source_line", grid_points("source_line", [0.5], []), tmp_path / "l.jsonl")
    assert [r["point"]["alpha"] for r in rows] == [0.0, 0.5, 1.0]
    assert rows[0]["scores"] == own_scores(trio["dirs"]["source"], trio["dev"])
    assert rows[-1]["scores"] == own_scores(trio["dirs"]["bilingual"], trio["dev"])
    # the toy's known answer: the target improves towards the bilingual model
    assert rows[-1]["scores"]["target"] > rows[0]["scores"]["target"] + 20
    target_line = run(trio, "target_line", [{"alpha": 0.0}], tmp_path / "t.jsonl")
    assert target_line[0]["scores"] == own_scores(trio["dirs"]["target"], trio["dev"])


def test_the_planes_origin_is_the_bilingual_model(trio, tmp_path):
    points = grid_points("plane", [], [1.0])
    assert points == [{"a1": a1, "a2": a2} for a1 in (0.0, 1.0) for a2 in (0.0, 1.0)]
    rows = {
        (r["point"]["a1"], r["point"]["a2"]): r["scores"]
        for r in run(trio, "plane", points, tmp_path / "p.jsonl")
    }
    assert rows[0.0, 0.0] == own_scores(trio["dirs"]["bilingual"], trio["dev"])
    assert rows[1.0, 0.0] == own_scores(trio["dirs"]["source"], trio["dev"])


def test_a_plane_point_that_is_a_lines_point_is_scored_once(trio, tmp_path, monkeypatch):
    built = []
    plane = geometry.plane
    monkeypatch.setattr(geometry, "plane", lambda *a, **k: built.append(a[3:5]) or plane(*a, **k))
    grids = {kind: grid_points(kind, [0.5], [1.0]) for kind in ("source_line", "target_line")}
    grids["plane"] = grid_points("plane", [0.5], [1.0])
    common = {"models_dirs": trio["dirs"], "encoder_dir": trio["encoder"], "device": "cpu"}
    paths = {kind: tmp_path / f"{kind}.jsonl" for kind in grids}
    rows, _ = run_kinds(grids=grids, dev_sets=trio["dev"], only=None, paths=paths, **common)
    # (0, 0), (1, 0) and (0, 1) are the lines' ends: only (1, 1) is the plane's own
    assert built == [(1.0, 1.0)]
    plane_rows = {(r["point"]["a1"], r["point"]["a2"]): r["scores"] for r in rows["plane"]}
    assert plane_rows[1.0, 0.0] == own_scores(trio["dirs"]["source"], trio["dev"])
    assert plane_rows[0.0, 1.0] == own_scores(trio["dirs"]["target"], trio["dev"])
    assert (
        plane_rows[0.0, 0.0]
        == rows["source_line"][-1]["scores"]
        == rows["target_line"][-1]["scores"]
    )
    # every point is in its own grid's file, reused or not
    assert len(paths["plane"].read_text().splitlines()) == 4


def test_only_some_parameters_mixed_no_point_is_another_kinds():
    # a line keeps its start model's other parameters, the plane the bilingual one's
    assert same_model_key("source_line", {"alpha": 0.5}, None) == (0.5, 0.0)
    assert same_model_key("target_line", {"alpha": 1.5}, None) == (0.0, -0.5)
    assert same_model_key("plane", {"a1": 0.0, "a2": -0.0}, None) == (0.0, 0.0)
    only = ("classifier",)
    assert same_model_key("source_line", {"alpha": 1.0}, only) != same_model_key(
        "plane", {"a1": 0.0, "a2": 0.0}, only
    )


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown interpolation kind 'diagonal'"):
        grid_points("diagonal", [0.5], [])
