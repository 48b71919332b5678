"""MAN-MoE's results table and gate weights against hand-computed values."""

import json

import pytest

from xlt.families.man_moe.tables import (
    collect,
    collect_sentences,
    gate_table,
    markdown,
    results_table,
)


def _row(system, sources, seed, score, gates=None):
    return {
        "task": "ner", "target": "qad", "system": system, "sources": sources, "seed": seed,
        "score": score, "source_dev": 50.0, "best_step": 100, "steps": 200, "seconds": 1.0,
        "gates": gates or {},
    }  # fmt: skip


@pytest.fixture
def results(tmp_path):
    paths = []
    for seed, (a, b, full, gates) in {
        1: (10.0, 30.0, 40.0, {"qab": 0.2, "qac": 0.8}),
        2: (20.0, 50.0, 44.0, {"qab": 0.4, "qac": 0.6}),
    }.items():
        path = tmp_path / f"seed{seed}.json"
        runs = [
            _row("one_to_one", "qab", seed, a),
            _row("one_to_one", "qac", seed, b),
            _row("man_moe", "qab+qac", seed, full, gates),
        ]
        path.write_text(json.dumps({"runs": runs}))
        paths.append(path)
    return paths


def test_single_sources_are_averaged_and_their_best_kept_per_seed(results):
    scores, weights = collect(results)
    table = results_table(scores).set_index("system")
    # one_to_one: seed means 20 and 35; best source: 30 and 50; std with ddof=1
    assert table.loc["one_to_one", "qad"] == "27.50 ± 10.61"
    assert table.loc["one_to_one_best", "qad"] == "40.00 ± 14.14"
    assert table.loc["man_moe", "qad"] == "42.00 ± 2.83"
    assert list(table.index) == ["one_to_one", "one_to_one_best", "man_moe"]
    assert table.loc["man_moe", "avg"] == "42.00 ± 2.83"  # one target: its own average


def test_gate_weights_average_over_seeds_per_expert(results):
    _, weights = collect(results)
    gates = gate_table(weights).set_index("expert").weight
    assert gates.to_dict() == pytest.approx({"qab": 0.3, "qac": 0.7})
    text = markdown(*collect(results)[:1], gate_table(weights))
    assert "| ner | qad | 0.300 | 0.700 |" in text


def test_a_run_counted_twice_is_refused_naming_both_files(results, tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_text(results[0].read_text())
    with pytest.raises(ValueError, match=r"seed=1: .*seed1.json, .*copy.json"):
        collect([*results, copy])


def test_per_sentence_counts_and_gates_are_long_tables(tmp_path):
    man_moe = {**_row("man_moe", "qab+qac", 1, 50.0, {"qab": 0.3, "qac": 0.7}),
               "sentence_counts": [[1, 1, 2], [0, 1, 0]],
               "sentence_gates": [[0.2, 0.8], [0.4, 0.6]]}  # fmt: skip
    single = {**_row("one_to_one", "qab", 1, 20.0), "sentence_counts": [[0, 0, 2], [0, 0, 0]]}
    old = _row("one_to_one", "qac", 1, 30.0)  # written before counts were kept: no rows
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"runs": [man_moe, single, old]}))
    counts, gates = collect_sentences([path])
    ours = counts[counts.system == "man_moe"][["sentence", "hits", "predicted", "gold"]]
    assert ours.values.tolist() == [[0, 1, 1, 2], [1, 0, 1, 0]]
    assert len(counts) == 4
    assert gates[["sentence", "expert", "weight"]].values.tolist() == [
        [0, "qab", 0.2], [0, "qac", 0.8], [1, "qab", 0.4], [1, "qac", 0.6]]  # fmt: skip


def test_a_failed_run_is_flagged_and_left_out_of_the_means(tmp_path):
    # seed 2's MAN-MoE predicted "O" everywhere: F1 0 is no score
    runs = [
        _row("man_moe", "qab+qac", 1, 40.0, {"qab": 0.2, "qac": 0.8}),
        {**_row("man_moe", "qab+qac", 2, 0.0, {"qab": 0.5, "qac": 0.5}), "degenerate": True,
         "sentence_counts": [[0, 0, 2]], "sentence_gates": [[0.5, 0.5]]},
    ]  # fmt: skip
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"runs": runs}))
    scores, weights = collect([path])
    assert scores.degenerate.tolist() == [False, True]
    table = results_table(scores).set_index("system")
    assert table.loc["man_moe", "qad"] == "40.00"  # seed 1 alone, not the mean with 0
    assert gate_table(weights).set_index("expert").weight.to_dict() == {"qab": 0.2, "qac": 0.8}
    text = markdown(scores, gate_table(weights))
    assert "**Failed runs, left out of the table**: 1 models" in text
    assert "man_moe from qab+qac for qad (ner, seed 2)" in text
    counts, gates = collect_sentences([path])
    assert counts.degenerate.tolist() == [True]
    assert gates.degenerate.tolist() == [True, True]


def test_a_table_of_failed_runs_only_says_so(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"runs": [{**_row("man", "qab+qac", 1, 0.0), "degenerate": True}]}))
    scores, weights = collect([path])
    assert results_table(scores).empty
    text = markdown(scores, gate_table(weights))
    assert "**Failed runs, left out of the table**: 1 models" in text


def test_the_gate_figure_of_a_run_whose_models_all_failed_says_so():
    import pandas as pd
    import yaml

    from xlt.core.paths import PROJECT
    from xlt.families.man_moe.plots import gate_heatmaps

    style = yaml.safe_load((PROJECT / "config.yaml").read_text())["figures"]
    empty = pd.DataFrame(columns=["task", "target", "expert", "weight"])
    fig = gate_heatmaps(empty, style)
    (text,) = [t.get_text() for t in fig.axes[0].texts]
    assert text.startswith("No gate weights: every MAN-MoE model of this run")
