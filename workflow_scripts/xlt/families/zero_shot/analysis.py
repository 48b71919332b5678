"""What explains zero-shot transfer (Lauscher et al. 2020, sec. 3.3): each target's
similarity to the source per feature set, correlated with its score (Table 2),
and the leave-one-out meta-regression over them (Table 3).

Input is a tidy scores table (the family's ``tables/scores.csv``, or a
published one with the same columns) and the language table. Per (experiment,
method, task, source) the targets other than the source are one sample: their
scores (mean over seeds) and, per feature set, the cosine similarity of their
vector to the source's (SYN, PHON, INV, FAM, GEO for the URIEL sets; the
synthetic benchmark's sets keep their names; a source set counts its nearest
member, as the distance column does), and SIZE, the target's share of the
encoder's pretraining corpus z-normalised over the sample
(``xlt.languages.uriel.size_feature``: Wikipedia for mBERT, CC-100 for XLM-R)
where the experiment's encoder is one of those.

A group with fewer than ``MIN_TARGETS`` targets, and a feature that is the
same for every target of a group, is left out with the reason in the notes
(correlation and regression are undefined for them).
"""

from __future__ import annotations

import pandas as pd

from xlt.core.regression import correlations, meta_regression
from xlt.families.zero_shot import source_languages
from xlt.languages.table import cosine_similarity, feature_vector
from xlt.languages.uriel import SET_LABELS, size_feature

MIN_TARGETS = 4  # leave-one-out regression fits on three
GROUP = ["experiment", "method", "task", "source"]


def similarities(languages: pd.DataFrame, source: str, targets, sets) -> pd.DataFrame:
    """Per target (rows) and feature set (columns, labelled as in Table 2):
    cosine similarity to the nearest language of ``source``."""
    rows = {}
    for target in targets:
        rows[target] = {
            SET_LABELS.get(s, s): max(
                cosine_similarity(
                    feature_vector(languages, target, [s]), feature_vector(languages, lang, [s])
                )
                for lang in source_languages(source)
            )
            for s in sets
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def analyse(
    scores: pd.DataFrame, languages: pd.DataFrame, sets, sizes=None, measures=None
) -> tuple:
    """(correlations, regressions, notes, samples): one row per (group, feature),
    per group, the reasons for what was left out, and one row per (group,
    target, feature) with the target's score and feature value (the points of
    the scatter plots).

    ``sizes`` maps an experiment to the pretraining corpora (``mbert``,
    ``xlmr``) its SIZE feature is read from (an experiment not in it has none),
    ``measures`` a corpus to the size it uses (default: the first of
    ``xlt.languages.uriel.MODELS``).
    """
    sizes, measures = dict(sizes or {}), dict(measures or {})
    mean = scores.groupby([*GROUP, "target"], sort=True).score.mean().reset_index()
    correlation_rows, regression_rows, notes, samples = [], [], [], []
    for (experiment, method, task, source), block in mean.groupby(GROUP, sort=True):
        block = block[~block.target.isin(source_languages(source))]
        where = f"{experiment}: {task} ({method}, from {source})"
        if len(block) < MIN_TARGETS:
            notes.append(
                f"{where}: {len(block)} target languages besides the source; "
                f"at least {MIN_TARGETS} are needed"
            )
            continue
        frame = similarities(languages, source, block.target, sets)
        if sizes.get(experiment):
            try:
                model = sizes[experiment]
                size = size_feature(list(frame.index), model, measures.get(model))
                frame["SIZE"] = pd.Series(size)
            except ValueError as error:
                notes.append(f"{where}: SIZE left out, {error}")
        frame["score"] = block.set_index("target").score
        features = [f for f in frame.columns if f != "score" and frame[f].nunique() > 1]
        notes += [
            f"{where}: {f} left out, the same for every target ({frame[f].iloc[0]:.3f})"
            for f in frame.columns
            if f != "score" and f not in features
        ]
        if not features:
            continue
        unit = {"experiment": experiment, "method": method, "task": task, "source": source}
        samples += [
            {**unit, "target": target, "feature": f, "value": row[f], "score": row.score}
            for target, row in frame.iterrows()
            for f in features
        ]
        table = correlations(frame, "score", features)
        correlation_rows += [{**unit, "feature": f, **row} for f, row in table.iterrows()]
        fit = meta_regression(frame, "score", features)
        regression_rows.append(
            {
                **unit,
                "selected": "; ".join(f"{f} ({fit.weights[f]:.2f})" for f in fit.features),
                "pearson": fit.pearson,
                "spearman": fit.spearman,
                "mae": fit.mae,
                "languages": fit.languages,
            }
        )
    return (
        pd.DataFrame(correlation_rows),
        pd.DataFrame(regression_rows),
        notes,
        pd.DataFrame(samples, columns=[*GROUP, "target", "feature", "value", "score"]),
    )


def markdown(correlation: pd.DataFrame, regression: pd.DataFrame, notes: list[str]) -> str:
    """Table 2 (Pearson and Spearman per feature) and Table 3 (selected features with
    their normalised weights; leave-one-out Pearson, Spearman, MAE) as Markdown."""
    parts = ["## What explains transfer (Lauscher et al. 2020, Tables 2 and 3)", ""]
    if not correlation.empty:
        features = list(dict.fromkeys(correlation.feature))
        header = ["experiment", "task", "method", "source", *(f"{f} P / S" for f in features)]
        parts += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for (experiment, method, task, source), block in correlation.groupby(GROUP, sort=True):
            cells = block.set_index("feature")
            row = [experiment, task, method, source] + [
                f"{cells.loc[f, 'pearson']:.2f} / {cells.loc[f, 'spearman']:.2f}"
                if f in cells.index
                else "–"
                for f in features
            ]
            parts.append("| " + " | ".join(row) + " |")
        parts += [
            "",
            "| experiment | task | method | source | selected features (weights) | P | S | MAE "
            "| languages |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in regression.itertuples():
            parts.append(
                f"| {r.experiment} | {r.task} | {r.method} | {r.source} | {r.selected} "
                f"| {r.pearson:.2f} "
                f"| {r.spearman:.2f} | {r.mae:.2f} | {r.languages} |"
            )
    if notes:
        parts += ([""] if parts[-1] else []) + ["### Left out", ""]
        parts += [f"- {note}" for note in notes]
    return "\n".join(parts) + "\n"
