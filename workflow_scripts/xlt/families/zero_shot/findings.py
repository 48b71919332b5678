"""Lauscher et al. 2020's zero-shot claims (metadata/claims.yaml) on a run's
``tables/transfer_features.csv`` (per task and target: the zero-shot score and
each feature's value) and ``tables/meta_regression.csv``. The unit is the
target language."""

from __future__ import annotations

import numpy as np

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables

FEATURES = "transfer_features.csv"
REGRESSION = "meta_regression.csv"
GROUP = ["experiment", "method", "task", "source"]
LOW_LEVEL = ("pos", "dep")
SYNTAX = "syntax"  # the claims' label; URIEL's sets are labelled SYN


def feature_name(label: str) -> str:
    """A feature's label as the claims name it: SYN and the synthetic benchmark's
    ``syntax`` are both ``syntax``; others in lower case."""
    return SYNTAX if label in ("SYN", "syntax") else label.lower()


def _samples(tables: Tables):
    samples = tables.get(FEATURES)
    if samples is None or samples.empty:
        return None
    return samples.assign(name=samples.feature.map(feature_name))


def _scope(experiment: str, method: str, task: str, source: str) -> str:
    return f"{task} ({experiment}: {method}, from {source})"


def correlation_with(feature: str, why_absent: str):
    """The evaluator of Pearson r between ``feature`` and the score, per task."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        samples = _samples(tables)
        if samples is None:
            return [findings.not_tested(claim, f"no tables/{FEATURES} (fewer than 4 targets?)")]
        chosen = samples[samples.name.eq(feature)]
        if chosen.empty:
            return [findings.not_tested(claim, why_absent)]
        rows = []
        for key, block in chosen.groupby(GROUP, sort=True):
            r, low, high, p = findings.pearson_interval(block.value, block.score)
            rows.append(findings.decide(claim, _scope(*key), r, low, high,
                                        len(block), p_value=p, detail="Pearson r"))  # fmt: skip
        return rows

    return evaluate


def _strongest(block) -> tuple[str, str, float, float, int]:
    """(best feature, runner-up, r of best minus runner-up's interval) by bootstrap
    over the targets, both features' r recomputed on each resample."""
    wide = block.pivot(index="target", columns="name", values="value")
    score = block.groupby("target").score.first().reindex(wide.index).to_numpy(float)
    values = wide.to_numpy(float)

    def r(column, idx):
        x, y = values[idx, column], score[idx]
        return np.nan if np.ptp(x) == 0 or np.ptp(y) == 0 else np.corrcoef(x, y)[0, 1]

    full = [r(c, np.arange(len(score))) for c in range(values.shape[1])]
    order = np.argsort(full)[::-1]
    best, second = int(order[0]), int(order[1])
    _, low, high = findings.bootstrap(len(score), lambda idx: r(best, idx) - r(second, idx))
    return wide.columns[best], wide.columns[second], low, high, len(score)


def syn_strongest_low_level(claim: Claim, tables: Tables) -> list[Finding]:
    """syn_strongest_low_level: the best-correlated feature on POS and DEP."""
    samples = _samples(tables)
    if samples is None:
        return [findings.not_tested(claim, f"no tables/{FEATURES}")]
    rows = []
    for key, block in samples.groupby(GROUP, sort=True):
        if key[2] not in LOW_LEVEL:
            continue
        scope = _scope(*key)
        if block.name.nunique() < 2 or SYNTAX not in set(block.name):
            varying = ", ".join(sorted(set(block.name)))
            rows.append(findings.not_tested(
                claim, f"needs syntax and another feature that varies over the targets "
                f"(have: {varying})", scope))  # fmt: skip
            continue
        best, second, low, high, n = _strongest(block)
        overlaps = not (low > 0)
        result, reason = findings.verdict_label(claim.expected, best, overlaps)
        if n < findings.MIN_POINTS:
            result, reason = findings.INCONCLUSIVE, f"too few points ({n})"
        detail = f"{best} first, {second} second; r difference interval [{low:.2f}, {high:.2f}]"
        rows.append(findings.finding(claim, scope, result, reason, n=n, detail=detail))
    return rows or [findings.not_tested(claim, "no low-level task (pos, dep) in the analysis")]


def meta_regression_first_feature(claim: Claim, tables: Tables) -> list[Finding]:
    """meta_regression_first_feature: the first selected feature on POS and DEP."""
    table = tables.get(REGRESSION)
    if table is None or table.empty:
        return [findings.not_tested(claim, f"no tables/{REGRESSION}")]
    samples = _samples(tables)
    rows = []
    for _, row in table.iterrows():
        if row.task not in LOW_LEVEL:
            continue
        scope = _scope(row.experiment, row.method, row.task, row.source)
        candidates = set()
        if samples is not None:
            same = samples.task.eq(row.task) & samples.method.eq(row.method)
            same &= samples.experiment.eq(row.experiment)
            candidates = set(samples[same & samples.source.eq(row.source)].name)
        if len(candidates) < 2:
            named = ", ".join(sorted(candidates)) or "none"
            reason = f"only {len(candidates)} feature(s) vary over the targets ({named})"
            rows.append(findings.not_tested(claim, f"{reason}: no choice to test", scope))
            continue
        first = feature_name(str(row.selected).split(";")[0].split(" (")[0].strip())
        result, reason = findings.verdict_label(claim.expected, first, False)
        reason += "; a greedy selection, no interval"
        if row.languages < findings.MIN_POINTS:
            result, reason = findings.INCONCLUSIVE, f"too few points ({row.languages})"
        rows.append(findings.finding(
            claim, scope, result, reason,
            value=row.pearson, n=row.languages,
            detail=f"selected {row.selected}; leave-one-out Pearson"))  # fmt: skip
    return rows or [findings.not_tested(claim, "no low-level task (pos, dep) in the regression")]


def comparisons(tables: Tables) -> list[tuple[str, object]]:
    """Tables 2 and 3 of the paper beside the run's, for the experiments whose
    paper model ``zero_shot.sizes`` names; none otherwise."""
    from xlt.families.zero_shot import paper

    models = dict((tables.config.get("zero_shot") or {}).get("sizes") or {})
    correlations, regression = tables.get("transfer_correlations.csv"), tables.get(REGRESSION)
    if not models or correlations is None or correlations.empty:
        return []
    table2 = paper.table2(correlations, models)
    if table2.empty:
        return []
    found = [
        ("Table 2: correlations beside the paper's", table2),
        ("Table 2: mean absolute difference per feature", paper.feature_gaps(table2)),
    ]
    if regression is not None and not regression.empty:
        found.append(
            ("Table 3: meta-regression beside the paper's", paper.table3(regression, models))
        )
    variants = tables.get("transfer_variants.csv")
    if variants is not None and not variants.empty:
        gaps = paper.variant_gaps(variants, models)
        if not gaps.empty:
            found.append(("Table 2 under each feature variant: mean absolute difference", gaps))
    selections = tables.get("transfer_variants_regression.csv")
    if selections is not None and not selections.empty:
        chosen = paper.variant_selections(selections, models)
        if not chosen.empty:
            found.append(("Table 3 under each feature variant", chosen))
    return found


CLAIMS = {
    "transfer_falls_with_distance": correlation_with(
        SYNTAX, "no syntax feature among languages.distance_features / the analysis' sets"
    ),
    "size_matters_for_high_level": correlation_with(
        "size",
        "no SIZE feature: pretraining corpus sizes are known only for mBERT and XLM-R "
        "(the embedded encoder pretrains every language on the same amount of text)",
    ),
    "syn_strongest_low_level": syn_strongest_low_level,
    "meta_regression_first_feature": meta_regression_first_feature,
}
