"""The factorization paper's claims (Ponti et al. 2021; metadata/claims.yaml) on a
run's ``tables/factorization_scores.csv``. The unit is the held-out
task-language pair: its score averaged over seeds (and over the partitions that
hold it out), so that methods are compared pair by pair."""

from __future__ import annotations

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables
from xlt.families.factorization.methods import DISPLAY, GENERATORS

SCORES = "factorization_scores.csv"
TRAINING = "factorization_training.csv"
PAIR = ["task", "language"]


def _scores(tables: Tables, subset: str = "all"):
    scores = tables.get(SCORES)
    return None if scores is None else scores[scores.subset == subset]


def convergence_caveat(tables: Tables) -> str:
    """A note for the PF claims when some generator's SVI ended while still
    learning (the verdict stands, on an under-trained PF)."""
    training = tables.get(TRAINING)
    if training is None or "converged" not in training:
        return ""
    stopped = training[training.converged.eq(False)]
    if stopped.empty:
        return ""
    return (
        f"; caveat: {len(stopped)} of {len(training)} PF runs ended at max_steps still "
        "learning (tables/factorization_training.csv)"
    )


def with_caveat(rows: list[Finding], tables: Tables) -> list[Finding]:
    """``rows`` with the convergence caveat added to every tested row's reason."""
    caveat = convergence_caveat(tables)
    for row in rows:
        if caveat and row.verdict != findings.NOT_TESTED:
            row.reason += caveat
    return rows


def _missing(claim: Claim) -> list[Finding]:
    return [findings.not_tested(claim, f"no tables/{SCORES} in this run")]


def _difference(claim: Claim, scores, task: str, a: str, b: str, scope: str) -> Finding:
    block = scores[scores.task == task]
    present = set(block.method)
    if a not in present or b not in present:
        lacking = [DISPLAY[m] for m in (a, b) if m not in present]
        return findings.not_tested(claim, f"the run has no {', '.join(lacking)} on {task}", scope)
    differences = findings.paired_units(block, ["language"], "method", a, b)
    value, low, high = findings.bootstrap_mean(differences)
    detail = f"{DISPLAY[a]} minus {DISPLAY[b]}"
    return findings.decide(claim, scope, value, low, high, len(differences), detail=detail)


def above_baselines(claim: Claim, tables: Tables) -> list[Finding]:
    """pf_above_baselines: per task and PF variant, PF minus the best baseline."""
    scores = _scores(tables)
    if scores is None:
        return _missing(claim)
    rows = []
    for task, block in scores.groupby("task", sort=True):
        means = block.groupby("method").score.mean()
        baselines = means.drop([m for m in GENERATORS if m in means.index])
        for generator in [m for m in GENERATORS if m in means.index]:
            scope = f"{task}, {DISPLAY[generator]}"
            if len(baselines) < 2:
                rows.append(findings.not_tested(claim, "fewer than two baselines", scope))
                continue
            best = baselines.idxmax()
            rows.append(_difference(claim, scores, task, generator, best, scope))
    return rows or _missing(claim)


def pf_lr_vs_pf_d(task: str):
    """The evaluator of PF-lr minus PF-d on ``task``."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        scores = _scores(tables)
        if scores is None:
            return _missing(claim)
        return [_difference(claim, scores, task, "pf_lr", "pf_d", task)]

    return evaluate


def ls_above_ns(claim: Claim, tables: Tables) -> list[Finding]:
    """ls_above_ns: LS minus NS per task."""
    scores = _scores(tables)
    if scores is None:
        return _missing(claim)
    return [_difference(claim, scores, t, "ls", "ns", t) for t in sorted(set(scores.task))]


def sim_above_dif(claim: Claim, tables: Tables) -> list[Finding]:
    """sim_above_dif: similar minus different subsets, per task, size and method."""
    scores = tables.get(SCORES)
    if scores is None:
        return _missing(claim)
    subsets = scores[scores.subset.str.match(r"^(similar|different)\d+$")].copy()
    if subsets.empty:
        return [findings.not_tested(claim, "no similar/different subsets (factorization.subsets)")]
    subsets["kind"] = subsets.subset.str.extract(r"^(similar|different)")[0]
    subsets["size"] = subsets.subset.str.extract(r"(\d+)$")[0].astype(int)
    rows = []
    for (method, size, task), block in subsets.groupby(["method", "size", "task"], sort=True):
        pairs = block.groupby(["kind", "language"]).score.mean()
        similar = pairs.get("similar", pairs.iloc[:0]).to_numpy(float)
        different = pairs.get("different", pairs.iloc[:0]).to_numpy(float)
        value, low, high = findings.bootstrap_difference(similar, different)
        scope = f"{task}, |L| = {size}, {DISPLAY[method]}"
        n = min(len(similar), len(different))
        detail = f"{len(similar)} similar vs {len(different)} different pairs"
        rows.append(findings.decide(claim, scope, value, low, high, n, detail=detail))
    return rows


def entropy_vs_performance(claim: Claim, tables: Tables) -> list[Finding]:
    """entropy_vs_performance: Pearson r per PF method, tasks pooled and per task."""
    scores = _scores(tables)
    if scores is None:
        return _missing(claim)
    if "entropy_mean" not in scores or scores.entropy_mean.isna().all():
        return [findings.not_tested(claim, "no BMA entropy in the held-out scores")]
    block = scores[scores.entropy_mean.notna()]
    rows = []
    for method, part in block.groupby("method", sort=True):
        pairs = part.groupby(PAIR)[["entropy_mean", "score"]].mean().reset_index()
        for scope, group in [("tasks pooled", pairs), *pairs.groupby("task", sort=True)]:
            r, low, high, p = findings.pearson_interval(group.entropy_mean, group.score)
            label = f"{DISPLAY[method]}, {scope}"
            rows.append(findings.decide(claim, label, r, low, high, len(group), p_value=p,
                                        detail="Pearson r"))  # fmt: skip
    return rows


def pf_claim(evaluate):
    """``evaluate`` with the convergence caveat on its rows (claims about PF)."""

    def with_convergence(claim: Claim, tables: Tables) -> list[Finding]:
        return with_caveat(evaluate(claim, tables), tables)

    return with_convergence


CLAIMS = {
    "pf_above_baselines": pf_claim(above_baselines),
    "pf_lr_vs_pf_d": pf_claim(pf_lr_vs_pf_d("ner")),
    "pf_lr_equals_pf_d_pos": pf_claim(pf_lr_vs_pf_d("pos")),
    "ls_above_ns": ls_above_ns,
    "sim_above_dif": pf_claim(sim_above_dif),
    "entropy_vs_performance": pf_claim(entropy_vs_performance),
}
