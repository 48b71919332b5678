"""The survey's claims (Wang's survey, on Pires et al. 2019's analyses;
metadata/claims.yaml) on a run's ``tables/survey_pairs.csv`` (one row per
transfer pair and analysis: the measure ``value`` and the pair's ``score``) and
``tables/survey_translation.csv`` (accuracy per pair and layer).

Pairs share languages, so they are not independent draws: the intervals of the
pair-level statistics are those the papers' scatter plots imply, not more."""

from __future__ import annotations

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables

PAIRS = "survey_pairs.csv"
TRANSLATION = "survey_translation.csv"
# Fewest encoder layers (hidden states above the embeddings) with a middle to peak in.
MIDDLE_LAYERS_NEED = 6


def _transfer_pairs(tables: Tables, analysis: str):
    pairs = tables.get(PAIRS)
    if pairs is None:
        return None
    chosen = pairs[pairs.analysis.eq(analysis) & pairs.source.ne(pairs.target)]
    return chosen if len(chosen) else None


def correlation(analysis: str):
    """The evaluator of Pearson r between ``analysis``'s measure and the score."""

    def evaluate(claim: Claim, tables: Tables) -> list[Finding]:
        pairs = _transfer_pairs(tables, analysis)
        if pairs is None:
            return [findings.not_tested(claim, f"no {analysis} pairs (survey.analyses)")]
        rows = []
        for task, block in pairs.groupby("task", sort=True):
            r, low, high, p = findings.pearson_interval(block.value, block.score)
            rows.append(findings.decide(claim, task, r, low, high, len(block), p_value=p,
                                        detail="Pearson r"))  # fmt: skip
        return rows

    return evaluate


def transfer_without_overlap(claim: Claim, tables: Tables) -> list[Finding]:
    """transfer_without_overlap: the OLS intercept of F1 on overlap per task."""
    import statsmodels.api as sm

    pairs = _transfer_pairs(tables, "overlap")
    if pairs is None:
        return [findings.not_tested(claim, "no overlap pairs (survey.analyses)")]
    rows = []
    for task, block in pairs.groupby("task", sort=True):
        if len(block) < findings.MIN_POINTS or block.value.nunique() < 2:
            rows.append(findings.decide(claim, task, None, None, None, len(block)))
            continue
        fit = sm.OLS(block.score.to_numpy(float), sm.add_constant(block.value.to_numpy(float)))
        result = fit.fit()
        low, high = result.conf_int(alpha=1 - findings.LEVEL)[0]
        detail = f"F1 at zero overlap; lowest overlap observed {block.value.min():.2f}"
        rows.append(findings.decide(claim, task, result.params[0], low, high, len(block),
                                    p_value=result.pvalues[0], detail=detail))  # fmt: skip
    return rows


def translation_middle_layers(claim: Claim, tables: Tables) -> list[Finding]:
    """translation_middle_layers: best inner layer minus the better end."""
    table = tables.get(TRANSLATION)
    if table is None or table.empty:
        return [findings.not_tested(claim, f"no tables/{TRANSLATION} (survey.analyses)")]
    layers = sorted(set(table.layer))
    encoder_layers = len(layers) - 1  # layer 0 is the embeddings
    if encoder_layers < MIDDLE_LAYERS_NEED:
        return [findings.not_tested(
            claim, f"needs a larger encoder: {encoder_layers} layer(s), a middle needs at least "
            f"{MIDDLE_LAYERS_NEED}")]  # fmt: skip
    ends, inner = {layers[0], layers[-1]}, set(layers[1:-1])
    gains = []
    for _, pair in table.groupby(["source", "target"], sort=True):
        best_inner = pair[pair.layer.isin(inner)].accuracy.max()
        gains.append(float(best_inner - pair[pair.layer.isin(ends)].accuracy.max()))
    value, low, high = findings.bootstrap_mean(gains)
    detail = "best inner layer minus the better end layer, accuracy points"
    return [findings.decide(claim, "all pairs", value, low, high, len(gains), detail=detail)]


CLAIMS = {
    "overlap_vs_ner": correlation("overlap"),
    "transfer_without_overlap": transfer_without_overlap,
    "word_order_vs_pos": correlation("word_order"),
    "translation_middle_layers": translation_middle_layers,
}
