"""Tables of the factorization experiment (Ponti et al. 2021): Table 1 (mean ±
std over seeds of the average over held-out pairs), per-language scores
(Figure 2), Table 2 (similar vs different subsets) and the correlation of BMA
entropy with performance (Figure 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from xlt.core.fileio import read_json
from xlt.core.stats import format_cell, mean_std, refuse_duplicates
from xlt.families.factorization.methods import DISPLAY, TABLE_ORDER

KEYS = ["method", "subset", "partition", "seed"]


def collect_heldout(paths) -> pd.DataFrame:
    """One row per (method, subset, partition, seed, held-out pair); a pair
    scored twice for the same run is an error."""
    rows = []
    for path in paths:
        run = read_json(path)
        for pair in run["pairs"]:
            rows.append({**{k: run[k] for k in KEYS}, **pair, "_file": str(path)})
    if not rows:
        raise ValueError("no held-out scores to aggregate")
    table = pd.DataFrame(rows)
    # results written before the flag: every model predicted more than one class
    table["degenerate"] = table.get("degenerate", pd.Series(False, index=table.index))
    table["degenerate"] = table["degenerate"].fillna(False).astype(bool)
    refuse_duplicates(table, KEYS + ["task", "language"], origin="_file")
    table = table.drop(columns="_file")
    for column in ("sources", "nearest", "similarity", "iterations", "converged"):
        if column in table and table[column].map(lambda v: isinstance(v, list)).any():
            table[column] = table[column].map(lambda v: "+".join(v) if isinstance(v, list) else v)
    order = {m: i for i, m in enumerate(TABLE_ORDER)}
    table["_order"] = table["method"].map(order)
    table = table.sort_values(["_order", "subset", "task", "language", "partition", "seed"])
    return table.drop(columns="_order").reset_index(drop=True)


TRAINING = ["steps", "best_step", "stopped_early", "converged"]


def collect_training(paths) -> pd.DataFrame:
    """One row per generator run (method, subset, partition, seed): how its SVI
    ended (``xlt.families.factorization.svi``). A summary written before the
    convergence check has ``converged`` empty."""
    rows = []
    for path in paths:
        run = read_json(path)
        training = run.get("training", {})
        rows.append({**{k: run[k] for k in KEYS}, **{k: training.get(k) for k in TRAINING}})
    return pd.DataFrame(rows, columns=[*KEYS, *TRAINING])


def scored(scores: pd.DataFrame) -> pd.DataFrame:
    """The rows that are scores: a model that predicted one class for a held-out
    pair's whole test set (``degenerate``) is a failed run, left out of every mean."""
    if "degenerate" not in scores:
        return scores
    return scores[~scores.degenerate.astype(bool)]


def seed_means(scores: pd.DataFrame, subset: str = "all") -> pd.DataFrame:
    """Per (method, task, seed): the average over every held-out pair of every
    partition, failed runs left out."""
    scores = scored(scores)
    block = scores[scores.subset == subset]
    return block.groupby(["method", "task", "seed"], sort=False)["score"].mean().reset_index()


def table1(scores: pd.DataFrame) -> pd.DataFrame:
    """Rows task, columns method: mean and sample std (ddof=1) over seeds."""
    return mean_std(seed_means(scores), ["task", "method"])


def per_language(scores: pd.DataFrame) -> pd.DataFrame:
    """Figure 2: per (method, task, language) mean and std over seeds of the
    pair's score (each pair is held out in one partition per seed, or several)."""
    block = scored(scores)
    block = block[block.subset == "all"]
    per_seed = block.groupby(["method", "task", "language", "seed"])["score"].mean()
    return mean_std(per_seed.reset_index(), ["method", "task", "language"])


def table2(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (method, subset, task): mean over pairs and seeds of the subsets' runs."""
    block = scored(scores)
    block = block[block.subset != "all"].copy()
    if block.empty:
        return pd.DataFrame(columns=["method", "size", "kind", "task", "mean", "std", "seeds"])
    block["kind"] = block.subset.str.extract(r"^(similar|different)")[0]
    block["size"] = block.subset.str.extract(r"(\d+)$")[0].astype(int)
    per_seed = block.groupby(["method", "size", "kind", "task", "seed"])["score"].mean()
    return mean_std(per_seed.reset_index(), ["method", "size", "kind", "task"])


def entropy_correlation(scores: pd.DataFrame) -> pd.DataFrame:
    """Figure 3: Pearson's r (two-tailed p) between a pair's mean BMA entropy
    and its score, both averaged over seeds, per PF method: over all pairs
    (tasks pooled, as in the paper) and per task (the maximum entropy, ln of
    the number of classes, differs between tasks, so pooling can mix the two)."""
    columns = ["method", "tasks", "pairs", "pearson_r", "p_value"]
    if "entropy_mean" not in scores:
        return pd.DataFrame(columns=columns)
    block = scored(scores)
    block = block[(block.subset == "all") & block.entropy_mean.notna()]
    rows = []
    for method, rows_ in block.groupby("method", sort=False):
        pairs = rows_.groupby(["task", "language"])[["entropy_mean", "score"]].mean()
        pairs = pairs.reset_index()
        scopes = [("pooled", pairs)] + list(pairs.groupby("task", sort=True))
        for scope, part in scopes:
            if len(part) >= 3 and part.entropy_mean.std() > 0 and part.score.std() > 0:
                r, p = stats.pearsonr(part.entropy_mean, part.score)
            else:
                r, p = np.nan, np.nan
            rows.append(
                {"method": method, "tasks": scope, "pairs": len(part), "pearson_r": r, "p_value": p}
            )
    return pd.DataFrame(rows, columns=columns)


def _methods(frame: pd.DataFrame) -> list[str]:
    present = set(frame.method)
    return [m for m in TABLE_ORDER if m in present]


def _table1_lines(scores: pd.DataFrame) -> list[str]:
    summary = table1(scores)
    methods = _methods(summary)
    lines = [
        "### Table 1: average over held-out pairs (mean ± std over seeds)",
        "",
        "| task | " + " | ".join(DISPLAY[m] for m in methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    cells = {(r.task, r.method): format_cell(r.mean, r.std) for r in summary.itertuples()}
    for task in sorted(summary.task.unique()):
        lines.append(f"| {task} | " + " | ".join(cells.get((task, m), "") for m in methods) + " |")
    seeds = sorted(summary.seeds.unique())
    return lines + ["", f"Seeds per cell: {', '.join(map(str, seeds))}.", ""]


def _per_language_lines(scores: pd.DataFrame) -> list[str]:
    methods = _methods(table1(scores))
    languages = per_language(scores)
    lines = []
    for task in sorted(languages.task.unique()):
        block = languages[languages.task == task]
        lines += [
            f"### Per language: {task} (Figure 2)",
            "",
            "| language | " + " | ".join(DISPLAY[m] for m in methods) + " |",
            "|---|" + "---|" * len(methods),
        ]
        cells = {(r.language, r.method): format_cell(r.mean, r.std) for r in block.itertuples()}
        for lang in sorted(block.language.unique()):
            row = [cells.get((lang, m), "") for m in methods]
            lines.append(f"| {lang} | " + " | ".join(row) + " |")
        lines.append("")
    return lines


def _table2_lines(scores: pd.DataFrame) -> list[str]:
    subsets = table2(scores)
    if subsets.empty:
        return []
    sizes = sorted(subsets["size"].unique())
    columns = [(size, kind) for size in sizes for kind in ("similar", "different")]
    lines = [
        "### Table 2: similar vs different languages (mean over pairs and seeds)",
        "",
        "| method | task | " + " | ".join(f"{kind} {size}" for size, kind in columns) + " |",
        "|---|---|" + "---|" * (2 * len(sizes)),
    ]
    cells = {
        (r.method, r.task, r.size, r.kind): format_cell(r.mean, r.std) for r in subsets.itertuples()
    }
    for method in _methods(subsets):
        for task in sorted(subsets.task.unique()):
            row = [cells.get((method, task, size, kind), "") for size, kind in columns]
            lines.append(f"| {DISPLAY[method]} | {task} | " + " | ".join(row) + " |")
    return lines + [""]


def _entropy_lines(scores: pd.DataFrame) -> list[str]:
    correlation = entropy_correlation(scores)
    if correlation.empty:
        return []
    lines = [
        "### Entropy of the BMA predictive distribution vs score (Figure 3)",
        "",
        "| method | tasks | pairs | Pearson r | p (two-tailed) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {DISPLAY[r.method]} | {r.tasks} | {r.pairs} | {r.pearson_r:.3f} | {r.p_value:.3g} |"
        for r in correlation.itertuples()
    ]
    return lines + [""]


def _failed_lines(scores: pd.DataFrame) -> list[str]:
    failed = scores[scores.degenerate.astype(bool)] if "degenerate" in scores else scores[:0]
    if not len(failed):
        return []
    return [
        f"**Failed runs, left out of every table above**: {len(failed)} held-out pairs "
        "whose model predicted one class for the whole test set (degenerate = True in "
        "factorization_scores.csv): "
        + ", ".join(
            f"{DISPLAY[r.method]} on {r.task}/{r.language} "
            f"({r.subset}, partition {r.partition}, seed {r.seed})"
            for r in failed.itertuples()
        ),
        "",
    ]


def markdown(scores: pd.DataFrame) -> str:
    """The summary in Markdown: Table 1, per-language scores, and Table 2 and the
    entropy correlation when the scores have them, then the failed runs."""
    lines = ["## Factorization experiment: held-out task-language pairs", ""]
    for part in (_table1_lines, _per_language_lines, _table2_lines, _entropy_lines, _failed_lines):
        lines += part(scores)
    return "\n".join(lines)
