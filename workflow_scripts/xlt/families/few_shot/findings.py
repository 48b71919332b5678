"""Lauscher et al. 2020's few-shot claims (metadata/claims.yaml) on a run's
``tables/few_shot_scores.csv`` (every point, k = 0 rows being the zero-shot
models it continues). Scores are first averaged over a point's runs."""

from __future__ import annotations

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables
from xlt.families.few_shot.tables import ZERO_SHOT

SCORES = "few_shot_scores.csv"


def _scores(tables: Tables):
    scores = tables.get(SCORES)
    if scores is None or scores.empty:
        return None
    keys = ["task", "source", "target", "seed", "strategy", "k"]
    return scores.groupby(keys, as_index=False).score.mean()


def gain_grows_with_k(claim: Claim, tables: Tables) -> list[Finding]:
    """few_shot_gain_grows_with_k: score at the largest k minus the smallest, per task."""
    scores = _scores(tables)
    if scores is None:
        return [findings.not_tested(claim, f"no tables/{SCORES}")]
    points = scores[scores.strategy.ne(ZERO_SHOT)]
    rows = []
    for task, block in points.groupby("task", sort=True):
        low_k, high_k = block.k.min(), block.k.max()
        if low_k == high_k:
            rows.append(findings.not_tested(claim, "a single k", task))
            continue
        ends = block[block.k.isin([low_k, high_k])]
        differences = findings.paired_units(
            ends, ["source", "target", "seed", "strategy"], "k", high_k, low_k
        )
        value, low, high = findings.bootstrap_mean(differences)
        detail = f"score at k = {high_k} minus k = {low_k}, all strategies"
        rows.append(findings.decide(claim, task, value, low, high, len(differences), detail=detail))
    return rows


def gain_distant(claim: Claim, tables: Tables) -> list[Finding]:
    """few_shot_gain_distant: Pearson r of distance and the RAND gain, per task."""
    from xlt.families.zero_shot.family import source_languages
    from xlt.languages.table import read_language_table, typological_distance

    scores = _scores(tables)
    languages = tables.results / "languages" / "languages.tsv"
    if scores is None or not languages.exists():
        return [findings.not_tested(claim, f"no tables/{SCORES} or language table")]
    table = read_language_table(languages)
    sets = list(tables.config["languages"]["distance_features"])
    rows = []
    for (task, source), block in scores.groupby(["task", "source"], sort=True):
        rand = block[block.strategy.isin(["rand", ZERO_SHOT])]
        if not rand.strategy.eq("rand").any():
            rows.append(findings.not_tested(claim, "no RAND points", task))
            continue
        high_k = rand[rand.strategy.eq("rand")].k.max()
        per_target = rand[rand.k.isin([0, high_k])].groupby(["target", "k"]).score.mean()
        gain = (per_target.xs(high_k, level="k") - per_target.xs(0, level="k")).dropna()
        distance = [
            min(typological_distance(table, t, s, sets) for s in source_languages(source))
            for t in gain.index
        ]
        r, low, high, p = findings.pearson_interval(distance, gain.to_numpy(float))
        detail = f"Pearson r of typological distance and the gain at k = {high_k} (RAND)"
        rows.append(findings.decide(claim, f"{task} (from {source})", r, low, high, len(gain),
                                    p_value=p, detail=detail))  # fmt: skip
    return rows


def longest_above_shortest(claim: Claim, tables: Tables) -> list[Finding]:
    """longest_above_shortest: LONGEST minus SHORTEST on POS and DEP."""
    scores = _scores(tables)
    if scores is None:
        return [findings.not_tested(claim, f"no tables/{SCORES}")]
    rows = []
    for task in ("pos", "dep"):
        block = scores[scores.task.eq(task)]
        if not {"longest", "shortest"} <= set(block.strategy):
            continue
        differences = findings.paired_units(
            block, ["source", "target", "seed", "k"], "strategy", "longest", "shortest"
        )
        value, low, high = findings.bootstrap_mean(differences)
        rows.append(findings.decide(claim, task, value, low, high, len(differences),
                                    detail="LONGEST minus SHORTEST, score points"))  # fmt: skip
    return rows or [findings.not_tested(claim, "no LONGEST and SHORTEST points on POS or DEP")]


CLAIMS = {
    "few_shot_gain_grows_with_k": gain_grows_with_k,
    "few_shot_gain_distant": gain_distant,
    "longest_above_shortest": longest_above_shortest,
}
