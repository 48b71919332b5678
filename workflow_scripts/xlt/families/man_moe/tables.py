"""The MAN-MoE results table (the paper's Tables 2-4: every system per target,
mean ± std over seeds) and the expert-gate weights of Figure 4."""

from __future__ import annotations

import json

import pandas as pd

from xlt.core.stats import format_cell, mean_std, refuse_duplicates
from xlt.families.man_moe.systems import VARIANTS

COLUMNS = ["task", "target", "system", "sources", "seed", "score", "source_dev", "best_step"]


def collect(paths) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per trained model, one row per (model, source expert) gate weight)
    from the jobs' result files."""
    rows, gates = [], []
    for path in paths:
        for row in json.loads(open(path, encoding="utf-8").read())["runs"]:
            failed = bool(row.get("degenerate", False))
            rows.append({**{key: row[key] for key in COLUMNS}, "degenerate": failed,
                         "_file": str(path)})  # fmt: skip
            for source, weight in row["gates"].items():
                gates.append({**{k: row[k] for k in COLUMNS[:5]}, "expert": source,
                              "weight": weight, "degenerate": failed})  # fmt: skip
    scores = pd.DataFrame(rows, columns=[*COLUMNS, "degenerate", "_file"])
    refuse_duplicates(scores, COLUMNS[:5], origin="_file")
    scores = scores.drop(columns="_file")
    weights = pd.DataFrame(gates, columns=[*COLUMNS[:5], "expert", "weight", "degenerate"])
    return scores, weights


# degenerate: the row's model predicted one class for everything (a failed run,
# which the findings leave out)
SENTENCE_COLUMNS = [*COLUMNS[:5], "sentence", "hits", "predicted", "gold", "degenerate"]
SENTENCE_GATE_COLUMNS = [*COLUMNS[:5], "sentence", "expert", "weight", "degenerate"]


def collect_sentences(paths, gate_system: str = "man_moe") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per model and test sentence the counts its score sums, per test sentence the
    gate weight of each source expert of ``gate_system``'s models) from the jobs'
    result files; results written before the counts were kept give no rows."""
    counts, gates = [], []
    for path in paths:
        for row in json.loads(open(path, encoding="utf-8").read())["runs"]:
            key = [row[k] for k in COLUMNS[:5]]
            failed = bool(row.get("degenerate", False))
            for number, (hits, predicted, gold) in enumerate(row.get("sentence_counts", [])):
                counts.append([*key, number, hits, predicted, gold, failed])
            if row["system"] != gate_system:
                continue
            experts = list(row["gates"])
            for number, weights in enumerate(row.get("sentence_gates", [])):
                gates += [[*key, number, e, w, failed]
                          for e, w in zip(experts, weights, strict=True)]  # fmt: skip
    return (
        pd.DataFrame(counts, columns=SENTENCE_COLUMNS),
        pd.DataFrame(gates, columns=SENTENCE_GATE_COLUMNS),
    )


def system_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (task, target, system, seed) one score: one_to_one's mean over its single
    sources (``one_to_one``) and its best source (``one_to_one_best``), the
    other systems as trained. Failed runs (``degenerate``) are no scores and are
    left out."""
    if "degenerate" in scores:
        scores = scores[~scores.degenerate.astype(bool)]
    single = scores[scores.system == "one_to_one"]
    keys = ["task", "target", "seed"]
    parts = [scores[scores.system != "one_to_one"][[*keys, "system", "score"]]]
    if len(single):
        parts.append(single.groupby(keys, as_index=False).score.mean().assign(system="one_to_one"))
        parts.append(
            single.groupby(keys, as_index=False).score.max().assign(system="one_to_one_best")
        )
    return pd.concat(parts, ignore_index=True)


def _order(systems) -> list[str]:
    known = ["one_to_one", "one_to_one_best", *[s for s in VARIANTS if s != "one_to_one"]]
    return [s for s in known if s in set(systems)]


def results_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean ± std over seeds per (task, system) and target, and the targets' average."""
    per_seed = system_scores(scores)
    if per_seed.empty:  # every run failed
        return pd.DataFrame(columns=["task", "system", "avg"])
    average = per_seed.groupby(["task", "system", "seed"], as_index=False).score.mean()
    per_seed = pd.concat([per_seed, average.assign(target="avg")], ignore_index=True)
    cells = mean_std(per_seed, ["task", "system", "target"])
    cells["cell"] = [format_cell(m, s) for m, s in zip(cells["mean"], cells["std"], strict=True)]
    table = cells.pivot(index=["task", "system"], columns="target", values="cell")
    targets = [t for t in table.columns if t != "avg"] + ["avg"]
    rows = [(task, s) for task in sorted({t for t, _ in table.index})
            for s in _order(table.loc[task].index)]  # fmt: skip
    return table.loc[rows, targets].reset_index()


def gate_table(weights: pd.DataFrame, system: str = "man_moe") -> pd.DataFrame:
    """Figure 4: per (task, target) the mean gate weight of each source expert over
    the target's test sentences and the seeds, failed runs left out."""
    chosen = weights[weights.system == system]
    if "degenerate" in chosen:
        chosen = chosen[~chosen.degenerate.astype(bool)]
    return chosen.groupby(["task", "target", "expert"], as_index=False).weight.mean()


def markdown(scores: pd.DataFrame, gates: pd.DataFrame) -> str:
    """The results table per task and the gate weights, as Markdown."""
    out = ["## MAN-MoE: systems per target (mean ± std over seeds)", ""]
    table = results_table(scores)
    for task, rows in table.groupby("task", sort=True):
        columns = [c for c in rows.columns if c not in ("task",)]
        out += [f"### {task}", "", "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns)]  # fmt: skip
        out += ["| " + " | ".join(str(r[c]) for c in columns) + " |" for _, r in rows.iterrows()]
        out.append("")
    out.append(f"Seeds per cell: {scores.seed.nunique()}. one_to_one: mean over single sources; "
               "one_to_one_best: the best single source.")  # fmt: skip
    failed = scores[scores.degenerate.astype(bool)] if "degenerate" in scores else scores[:0]
    if len(failed):
        out += ["", f"**Failed runs, left out of the table**: {len(failed)} models predicted one "
                "class for all of their target's test set (degenerate = True in "
                "man_moe_scores.csv): " + ", ".join(
                    f"{r.system} from {r.sources} for {r.target} ({r.task}, seed {r.seed})"
                    for r in failed.itertuples())]  # fmt: skip
    if len(gates):
        out += ["", "## Expert-gate weights of MAN-MoE's private extractor (Figure 4)", ""]
        grid = gates.pivot(index=["task", "target"], columns="expert", values="weight")
        columns = list(grid.columns)
        out += [
            "| task | target | " + " | ".join(columns) + " |",
            "|" + "---|" * (len(columns) + 2),
        ]
        for (task, target), row in grid.iterrows():
            cells = ["" if pd.isna(row[c]) else f"{row[c]:.3f}" for c in columns]
            out.append(f"| {task} | {target} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
