import json
import math

import numpy as np
import pandas as pd
import pytest

from xlt.core.stats import format_cell
from xlt.families.zero_shot.tables import (
    add_distance,
    collect,
    mark_evaluation_split,
    markdown_tables,
    summarize,
)


def scores_frame(rows):
    columns = ["method", "task", "metric", "source", "target", "seed", "score"]
    return pd.DataFrame(rows, columns=columns)


def test_mean_and_sample_std_over_seeds():
    scores = scores_frame(
        [
            ("zero_shot", "pos", "accuracy", "qaa", "qab", 1, 80.0),
            ("zero_shot", "pos", "accuracy", "qaa", "qab", 2, 90.0),
            ("zero_shot", "pos", "accuracy", "qaa", "qab", 3, 100.0),
            ("zero_shot", "pos", "accuracy", "qaa", "qac", 1, 50.0),
        ]
    )
    summary = summarize(scores).set_index("target")
    assert summary.loc["qab", "mean"] == 90.0
    assert summary.loc["qab", "std"] == pytest.approx(10.0)  # sqrt(((-10)^2 + 0 + 10^2) / 2)
    assert summary.loc["qab", "seeds"] == 3
    assert math.isnan(summary.loc["qac", "std"])  # one seed: no spread to report
    table = markdown_tables(summarize(scores))
    assert "| qab | 90.00 ± 10.00 |" in table
    assert "| qac | 50.00 |" in table
    assert "### pos (accuracy, mean ± std over seeds)" in table


def test_format_cell():
    assert format_cell(65.004, 1.234) == "65.00 ± 1.23"
    assert format_cell(65.0, float("nan")) == "65.00"


def test_distance_uses_the_nearest_source_language():
    languages = pd.DataFrame(
        {
            "code": ["qaa", "qab", "qac"],
            "syntax:A": [1.0, 0.0, 1.0],
            "syntax:B": [0.0, 1.0, 1.0],
        }
    )
    scores = scores_frame(
        [
            ("zero_shot", "pos", "accuracy", "qaa", "qac", 1, 50.0),
            ("zero_shot", "pos", "accuracy", "qaa+qab", "qab", 1, 50.0),
        ]
    )
    result = add_distance(scores, languages, ["syntax"])
    # cos([1,0],[1,1]) = 1/sqrt(2); qab is itself a source of the second set
    assert result.distance.tolist() == pytest.approx([1 - 1 / np.sqrt(2), 0.0])


def metrics_file(path, seed, score):
    record = {
        "method": "zero_shot",
        "task": "pos",
        "metric": "accuracy",
        "source": "qaa",
        "target": "qab",
        "seed": seed,
        "score": score,
        "source_dev_score": 95.0,
        "sentences": 300,
    }
    path.write_text(json.dumps(record))
    return path


def test_collect_reads_one_row_per_metrics_file(tmp_path):
    paths = [metrics_file(tmp_path / f"{seed}.json", seed, 80.0 + seed) for seed in (2, 1)]
    table = collect(paths, "exp")
    assert table.seed.tolist() == [1, 2] and table.score.tolist() == [81.0, 82.0]
    assert set(table.experiment) == {"exp"} and "file" not in table


def test_collect_refuses_the_same_run_twice(tmp_path):
    # e.g. a source set listed twice: the same seed would count as two, std 0
    first = metrics_file(tmp_path / "a.json", 1, 80.0)
    again = metrics_file(tmp_path / "b.json", 1, 80.0)
    with pytest.raises(ValueError, match="1 result\\(s\\) appear more than once") as error:
        collect([first, again], "exp")
    assert f"target=qab, seed=1: {first}, {again}" in str(error.value)


def test_a_source_scored_on_its_selection_split_is_marked_in_the_table():
    scores = scores_frame(
        [
            ("zero_shot", "ner", "span_f1", "en", "en", 1, 80.0),
            ("zero_shot", "ner", "span_f1", "en", "de", 1, 60.0),
            ("zero_shot", "pos", "accuracy", "en", "en", 1, 95.0),
            ("zero_shot", "ner", "span_f1", "en+de", "de", 1, 70.0),
        ]
    )
    marked = mark_evaluation_split(scores, {"ner": "dev", "pos": "test"})
    assert marked.evaluated_on.tolist() == ["dev", "dev", "test", "dev"]
    # NER targets are scored on dev; only a source language's own dev selected its model
    assert marked.scored_on_selection_split.tolist() == [True, False, False, True]
    table = markdown_tables(summarize(marked))
    assert "| en | 80.00 † |  |" in table and "| de | 60.00 | 70.00 † |" in table
    assert "| en | 95.00 |" in table
    assert table.count("† scored on the dev split, which also selected the model") == 1
    with pytest.raises(ValueError, match="no evaluation split given for task\\(s\\) pos"):
        mark_evaluation_split(scores, {"ner": "test"})


def test_the_transfer_gap_is_each_targets_drop_from_the_source_language():
    import pandas as pd

    from xlt.families.zero_shot.tables import gap_markdown, transfer_gap

    summary = pd.DataFrame(
        {
            "method": "zero_shot",
            "task": ["pos"] * 3 + ["ner"] * 2,
            "metric": ["accuracy"] * 3 + ["span_f1"] * 2,
            "source": "en",
            "target": ["en", "de", "ja", "de", "ja"],  # ner: the source is not scored
            "mean": [95.0, 87.5, 50.25, 70.0, 30.0],
            "std": float("nan"),
            "seeds": 1,
        }
    )
    gap = transfer_gap(summary).set_index("target")
    assert list(gap.task.unique()) == ["pos"]
    assert gap.loc["de", "drop"] == -7.5 and gap.loc["ja", "drop"] == -44.75
    assert gap.loc["en", "drop"] == 0 and gap.loc["ja", "source_score"] == 95.0
    assert "| pos | zero_shot | en | 95.00 | -7.50 | -44.75 |" in gap_markdown(gap.reset_index())


def test_a_run_that_predicts_one_class_is_a_failure_not_a_score(tmp_path):
    from xlt.families.zero_shot.tables import failed_section

    good = metrics_file(tmp_path / "1.json", 1, 80.0)
    failed = metrics_file(tmp_path / "2.json", 2, 0.0)
    failed.write_text(json.dumps({**json.loads(failed.read_text()), "degenerate": True}))
    table = collect([good, failed], "exp")
    assert table.degenerate.tolist() == [False, True]
    summary = summarize(table).set_index("target")
    assert summary.loc["qab", "mean"] == 80.0 and summary.loc["qab", "seeds"] == 1
    section = failed_section(table)
    assert "### Failed runs" in section
    assert "- pos (zero_shot, from qaa, seed 2) on qab: accuracy 0.00" in section
    assert failed_section(table[~table.degenerate]) == ""
