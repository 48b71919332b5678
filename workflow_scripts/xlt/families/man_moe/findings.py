"""MAN-MoE's claims (Chen et al. 2019; metadata/claims.yaml) on a run's
per-sentence tables: ``tables/man_moe_sentences.csv`` (per model and test
sentence, the counts its score sums) and ``tables/man_moe_sentence_gates.csv``
(per test sentence, the gate weight of each source expert). The unit is the
test sentence (of every target and seed of a task, pooled): systems are
compared on the same resampled sentences, so the comparison is paired."""

from __future__ import annotations

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables
from xlt.tasks.metrics import score_from_counts

SENTENCES = "man_moe_sentences.csv"
GATES = "man_moe_sentence_gates.csv"
UNIT = ["target", "seed", "sentence"]
NAMES = {
    "man_moe": "MAN-MoE", "man": "MAN", "pooled": "3-to-1", "one_to_one": "1-to-1 (best source)",
    "no_tagger_moe": "- tagger MoE", "no_private_moe": "- private MoE", "no_man": "- MAN",
}  # fmt: skip


def _system_counts(block, system: str):
    """Per unit (target, seed, sentence) the system's counts; for 1-to-1 those of
    the single source that scored best on the target (an upper bound the paper
    does not give the baseline, so the comparison favours it)."""
    rows = block[block.system.eq(system)]
    if system == "one_to_one" and len(rows):
        counts = rows.groupby(["target", "seed", "sources"])[["hits", "predicted", "gold"]]
        score = counts.apply(lambda run: score_from_counts(run.hits, run.predicted, run.gold))
        best = score.groupby(level=["target", "seed"]).idxmax().tolist()
        rows = rows.set_index(["target", "seed", "sources"]).loc[best].reset_index()
    return rows.set_index(UNIT)[["hits", "predicted", "gold"]].sort_index()


def _paired(claim: Claim, block, task: str, baseline: str) -> Finding:
    scope = f"{task}: MAN-MoE vs {NAMES.get(baseline, baseline)}"
    ours, theirs = _system_counts(block, "man_moe"), _system_counts(block, baseline)
    if ours.empty or theirs.empty:
        return findings.not_tested(claim, f"the run has no {NAMES.get(baseline, baseline)}", scope)
    ours, theirs = ours.align(theirs, join="inner")
    a, b = ours.to_numpy(float), theirs.to_numpy(float)

    def difference(idx):
        return score_from_counts(*a[idx].T) - score_from_counts(*b[idx].T)

    value, low, high = findings.bootstrap(len(a), difference)
    runs = block[["target", "seed"]].drop_duplicates()
    detail = f"score points over {len(a)} test sentences of {len(runs)} run(s)"
    return findings.decide(claim, scope, value, low, high, len(a), detail=detail)


def compare(baselines: tuple[str, ...]):
    """The evaluator of MAN-MoE minus each of ``baselines``, per task."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        sentences = tables.get(SENTENCES)
        if sentences is None or sentences.empty:
            return [findings.not_tested(claim, f"no per-sentence counts (tables/{SENTENCES})")]
        return [
            _paired(claim, block, task, baseline)
            for task, block in sentences.groupby("task", sort=True)
            for baseline in baselines
        ]

    return evaluate


def gate_prefers_closest(claim: Claim, tables: Tables) -> list[Finding]:
    """gate_prefers_closest: closest source's gate weight minus the largest other."""
    from xlt.languages.table import read_language_table, typological_distance

    gates = tables.get(GATES)
    languages = tables.results / "languages" / "languages.tsv"
    if gates is None or gates.empty or not languages.exists():
        return [findings.not_tested(claim, f"no tables/{GATES} or language table")]
    table = read_language_table(languages)
    sets = list(tables.config["languages"]["distance_features"])
    rows = []
    for (task, target, seed), block in gates.groupby(["task", "target", "seed"], sort=True):
        weights = block.pivot(index="sentence", columns="expert", values="weight")
        distance = {e: typological_distance(table, target, e, sets) for e in weights.columns}
        closest = min(sorted(distance), key=distance.get)
        others = weights.drop(columns=closest).to_numpy(float)
        margin = weights[closest].to_numpy(float) - others.max(axis=1)
        value, low, high = findings.bootstrap_mean(margin)
        scope = f"{task}, target {target}, seed {seed}: closest {closest}"
        detail = "gate weight, closest minus the largest other; distance: " + ", ".join(
            f"{e} {d:.2f}" for e, d in sorted(distance.items(), key=lambda item: item[1])
        )
        rows.append(findings.decide(claim, scope, value, low, high, len(margin), detail=detail))
    return rows


CLAIMS = {
    "man_moe_above_baselines": compare(("man", "pooled", "one_to_one")),
    "man_moe_ablations_below": compare(("no_tagger_moe", "no_private_moe", "no_man")),
    "gate_prefers_closest": gate_prefers_closest,
}
