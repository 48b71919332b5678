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

import logging

import numpy as np
import pandas as pd

from xlt.core.progress import Progress
from xlt.core.regression import correlations, meta_regression
from xlt.families.zero_shot.family import source_languages
from xlt.families.zero_shot.tables import usable as learned_something
from xlt.languages.table import cosine_similarity, set_vectors
from xlt.languages.uriel import MODELS, SET_LABELS, size_feature

log = logging.getLogger(__name__)

MIN_TARGETS = 4  # leave-one-out regression fits on three
USED = "used"  # the variants table's name for the choice in use
# the columns of the variants tables that say which choice a row was made under
VARIANT_KEYS = ["variant", "codes", "size_measure", "missing"]
GROUP = ["experiment", "method", "task", "source"]


def similarities(languages: pd.DataFrame, source: str, targets, sets) -> pd.DataFrame:
    """Per target (rows) and feature set (columns, labelled as in Table 2):
    cosine similarity to the nearest language of ``source``; NaN where the
    target, or every language of the source, has no value in the set (a
    language without values is missing, never a zero vector)."""
    rows: dict[str, dict[str, float]] = {target: {} for target in targets}
    for s in sets:
        vectors = set_vectors(languages, s)
        for code in [*source_languages(source), *targets]:
            if code not in vectors:
                known = ", ".join(languages["code"])
                raise ValueError(f"language {code!r} is not in the language table (known: {known})")
        sources = [lang for lang in source_languages(source) if np.isfinite(vectors[lang]).any()]
        for target in targets:
            if not sources or not np.isfinite(vectors[target]).any():
                rows[target][SET_LABELS.get(s, s)] = float("nan")
                continue
            goal = np.nan_to_num(vectors[target])
            rows[target][SET_LABELS.get(s, s)] = max(
                cosine_similarity(goal, np.nan_to_num(vectors[lang])) for lang in sources
            )
    return pd.DataFrame.from_dict(rows, orient="index")


def _feature_frame(languages, source, block, sets, size_model, measure, where, notes):
    """The targets of ``block`` (one group's mean scores) with their similarity to
    ``source`` in every feature set, SIZE where ``size_model`` names the corpora it
    is read from, and their score; the notes name targets without values."""
    frame = similarities(languages, source, block.target, sets)
    if size_model:
        try:
            frame["SIZE"] = pd.Series(size_feature(list(frame.index), size_model, measure))
        except ValueError as error:
            notes.append(f"{where}: SIZE left out, {error}")
    frame["score"] = block.set_index("target").score
    for f in [f for f in frame.columns if f != "score"]:
        empty = sorted(frame.index[frame[f].isna()])
        if empty:
            notes.append(f"{where}: {', '.join(empty)} without values in {f}: missing there")
    return frame


def _correlation_rows(frame, features, unit: dict, where: str, notes: list) -> list[dict]:
    """Each feature's correlation with the score over the targets with a value."""
    rows = []
    for f in features:
        present = frame[[f, "score"]].dropna()
        if len(present) < MIN_TARGETS:
            notes.append(f"{where}: {f} left out, {len(present)} targets with values")
            continue
        table = correlations(present, "score", [f])
        rows += [{**unit, "feature": f, **row} for f, row in table.iterrows()]
    return rows


def _regression_row(frame, features, unit: dict, where: str, notes: list) -> dict | None:
    """The meta-regression over the targets with every value (None, and a note,
    when too few are left or no feature varies among them)."""
    complete = frame[[*features, "score"]].dropna()
    usable = [f for f in features if complete[f].nunique() > 1]
    if len(complete) < MIN_TARGETS or not usable:
        notes.append(f"{where}: no meta-regression, {len(complete)} targets with every value")
        return None
    fit = meta_regression(complete, "score", usable)
    return {
        **unit,
        "selected": "; ".join(f"{f} ({fit.weights[f]:.2f})" for f in fit.features),
        "pearson": fit.pearson,
        "spearman": fit.spearman,
        "mae": fit.mae,
        "languages": fit.languages,
    }


def analyse(
    scores: pd.DataFrame,
    languages: pd.DataFrame,
    sets,
    sizes=None,
    measures=None,
    missing: str = "pairwise",
) -> tuple:
    """(correlations, regressions, notes, samples): one row per (group, feature),
    per group, the reasons for what was left out, and one row per (group,
    target, feature) with the target's score and feature value (the points of
    the scatter plots).

    ``sizes`` maps an experiment to the pretraining corpora (``mbert``,
    ``xlmr``) its SIZE feature is read from (an experiment not in it has none),
    ``measures`` a corpus to the size it uses (default: the first of
    ``xlt.languages.uriel.MODELS``). A target without values in a set is
    missing for that feature (named in the notes): ``missing="pairwise"`` leaves
    it out of that feature's correlation only, ``"listwise"`` out of every
    correlation of its group. The meta-regression needs every feature, so it
    always leaves such targets out.
    """
    if missing not in ("pairwise", "listwise"):
        raise ValueError(f"missing must be pairwise or listwise, not {missing!r}")
    sizes, measures = dict(sizes or {}), dict(measures or {})
    correlation_rows, regression_rows, notes, samples = [], [], [], []
    kept = learned_something(scores)
    notes += [f"{r.experiment}: {r.task} ({r.method}, from {r.source}, seed {r.seed}) on "
              f"{r.target}: a failed run (one class predicted for everything), not a score"
              for r in scores.drop(kept.index).itertuples()]  # fmt: skip
    scores = kept
    mean = scores.groupby([*GROUP, "target"], sort=True).score.mean().reset_index()
    for (experiment, method, task, source), block in mean.groupby(GROUP, sort=True):
        block = block[~block.target.isin(source_languages(source))]
        where = f"{experiment}: {task} ({method}, from {source})"
        if len(block) < MIN_TARGETS:
            notes.append(
                f"{where}: {len(block)} target languages besides the source; "
                f"at least {MIN_TARGETS} are needed"
            )
            continue
        model = sizes.get(experiment)
        frame = _feature_frame(
            languages, source, block, sets, model, measures.get(model), where, notes
        )
        feature_columns = [f for f in frame.columns if f != "score"]
        if missing == "listwise":
            frame = frame.dropna()
        features = [f for f in feature_columns if frame[f].dropna().nunique() > 1]
        notes += [
            f"{where}: {f} left out, the same for every target ({frame[f].dropna().iloc[0]:.3f})"
            for f in feature_columns
            if f not in features and frame[f].notna().any()
        ]
        if not features:
            continue
        unit = {"experiment": experiment, "method": method, "task": task, "source": source}
        samples += [
            {**unit, "target": target, "feature": f, "value": row[f], "score": row.score}
            for target, row in frame.iterrows()
            for f in features
            if pd.notna(row[f])
        ]
        correlation_rows += _correlation_rows(frame, features, unit, where, notes)
        regression = _regression_row(frame, features, unit, where, notes)
        if regression is not None:
            regression_rows.append(regression)
    return (
        pd.DataFrame(correlation_rows),
        pd.DataFrame(regression_rows),
        notes,
        pd.DataFrame(samples, columns=[*GROUP, "target", "feature", "value", "score"]),
    )


def variants(
    scores: pd.DataFrame,
    languages: pd.DataFrame,
    sets,
    feature_variants: dict | None = None,
    sizes=None,
    measures=None,
    code_tables: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis under every defensible choice, one choice varied at a time
    from the one in use (``sets``, the language table's ISO codes, the size
    measures): each feature variant (``{name: [sets]}``), each table of other
    ISO codes (``code_tables``: ``{name: language table}``, see
    ``xlt.languages.uriel.recoded``), each other size measure of every
    pretraining corpus in ``sizes``; each of them with missing values left out
    pairwise and listwise. Returns (correlations, regressions) whose first
    columns, ``VARIANT_KEYS``, say which choice a row was made under:
    ``variant``, ``codes`` and ``size_measure`` name the feature variant, the
    code variant and the size measure, ``used`` for the ones in use
    (``languages.distance_features``, the table's codes, ``measures`` or each
    corpus' first measure)."""
    sizes, measures = dict(sizes or {}), dict(measures or {})
    # (feature variant, its sets, code variant, language table, size measures,
    #  the corpus whose measure the run varies or None)
    runs = [(USED, list(sets), USED, languages, measures, None)]
    runs += [(name, list(other), USED, languages, measures, None)
             for name, other in (feature_variants or {}).items()]  # fmt: skip
    runs += [(USED, list(sets), name, table, measures, None)
             for name, table in (code_tables or {}).items()]  # fmt: skip
    for model in dict.fromkeys(sizes.values()):
        used = measures.get(model, MODELS[model][1][0])
        runs += [(USED, list(sets), USED, languages, {**measures, model: other}, model)
                 for other in MODELS[model][1] if other != used]  # fmt: skip

    correlation_parts, regression_parts = [], []
    progress = Progress(log, "variants", 2 * len(runs))
    for run, (name, chosen, codes, table, current, varied) in enumerate(runs):
        for half, missing in enumerate(("pairwise", "listwise")):
            correlation, regression, _, _ = analyse(scores, table, chosen, sizes, current, missing)
            progress.update(2 * run + half + 1)
            for frame, parts in ((correlation, correlation_parts), (regression, regression_parts)):
                if frame.empty:
                    continue
                if varied is not None:  # only the experiments whose SIZE changed
                    frame = frame[frame.experiment.map(sizes.get) == varied]
                measure = USED if varied is None else current[varied]
                label = {"variant": name, "codes": codes, "size_measure": measure,
                         "missing": missing}  # fmt: skip
                parts.append(frame.assign(**label))

    def ordered(parts):
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        first = [c for c in VARIANT_KEYS if c in frame]
        return frame[first + [c for c in frame.columns if c not in first]]

    return ordered(correlation_parts), ordered(regression_parts)


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
