"""The interpolation figures draw a panel per task and dev set from tidy tables."""

import pandas as pd

from xlt.families.interpolation import plots
from xlt.families.interpolation.analysis import line_summary, normalise, seed_variance

STYLE = {"dpi": 50, "style": "default"}


def points():
    rows = []
    for task in ("pos", "ner"):
        for seed in (1, 2):
            for kind in ("source_line", "target_line"):
                for dev in ("source", "target"):
                    for alpha in (0.0, 0.5, 1.0):
                        score = 80 + 10 * alpha * (dev == "target") + seed
                        rows.append({"task": task, "source": "en", "target": "de",
                                     "seed": seed, "kind": kind, "dev": dev,
                                     "alpha": alpha, "score": score})  # fmt: skip
            for dev in ("source", "target"):
                for a1 in (0.0, 1.0):
                    for a2 in (0.0, 1.0):
                        rows.append({"task": task, "source": "en", "target": "de",
                                     "seed": seed, "kind": "plane", "dev": dev, "a1": a1,
                                     "a2": a2, "score": 70 + 5 * a1 + 3 * a2})  # fmt: skip
    return pd.DataFrame(rows)


def test_every_figure_has_its_panels():
    table = points()
    assert len(plots.lines(line_summary(table, by=[]), STYLE).axes) == 1
    per_task = plots.lines(line_summary(table, by=["task"]), STYLE, by="task")
    assert [ax.get_title() for ax in per_task.axes] == ["ner", "pos"]
    assert len(plots.variance(seed_variance(table), STYLE).axes[0].lines) == 4
    plane = normalise(table)
    plane = plane[plane.kind == "plane"]
    figure = plots.contours(plane, STYLE)
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    assert titles == ["ner en→de, source dev", "pos en→de, source dev",
                      "ner en→de, target dev", "pos en→de, target dev"]  # fmt: skip
    geometry = pd.DataFrame(
        {"task": ["pos", "ner"], "angle_degrees": [55.0, 60.0], "norm_ratio": [1.0, 1.2]}
    )
    assert len(plots.norm_angle(geometry, STYLE).axes[0].collections) == 2
