"""The findings scorecard's shared machinery: the registry of the papers' headline
claims (``metadata/claims.yaml``), intervals by bootstrap or from scipy, and the
one rule that turns an interval into a verdict.

A family's ``findings`` module computes each of its claims' statistics from the
run's tables and hands them to ``decide``; nothing here knows a family.

Verdicts are computed, never written: ``holds`` when the 95 % interval lies on
the expected side (or inside the expected band), ``does not hold`` when it lies
wholly on the other side (or outside the band), ``inconclusive`` when it
straddles the boundary or rests on fewer than ``MIN_POINTS`` units, and
``not tested`` with its reason when the run lacks the claim's inputs or scale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml

HOLDS = "holds"
FAILS = "does not hold"
INCONCLUSIVE = "inconclusive"
NOT_TESTED = "not tested"
VERDICTS = (HOLDS, FAILS, INCONCLUSIVE, NOT_TESTED)

# Fewer independent units than this decide nothing, whatever the interval says.
MIN_POINTS = 3
RESAMPLES = 2000
LEVEL = 0.95

CLAIM_KEYS = {
    "id": str,
    "paper": str,
    "family": str,
    "source": str,
    "claim": str,
    "published": str,
    "statistic": str,
    "unit": str,
    "expected": str,
    "needs": str,
}
_EXPECTED = re.compile(
    r"^(?:(?P<op>[<>=])\s*(?P<null>-?\d+(?:\.\d+)?)(?:\s*(?:±|\+-)\s*(?P<margin>\d+(?:\.\d+)?))?"
    r"|in \[(?P<low>-?\d+(?:\.\d+)?),\s*(?P<high>-?\d+(?:\.\d+)?)\]"
    r"|is (?P<label>\S.*))$"
)


@dataclass(frozen=True)
class Claim:
    """One headline claim: where it stands in its paper, the published numbers it
    rests on, the statistic that tests it on a run's tables, the expected outcome
    (``> 0``, ``< 0``, ``= 0 ± m`` for no difference within a margin m, ``in [a, b]``
    for a band, ``is X`` for a category) and the data and encoder scale it needs."""

    id: str
    paper: str
    family: str
    source: str
    claim: str
    published: str
    statistic: str
    unit: str
    expected: str
    needs: str


def load_claims(path) -> list[Claim]:
    """The registry at ``path``; a missing or mistyped field, an unreadable
    expectation or a repeated id is a ValueError naming the file and the claim."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    claims: list[Claim] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: claim {number} ({entry.get('id', 'no id')})"
        missing = [k for k in CLAIM_KEYS if k not in entry]
        extra = [k for k in entry if k not in CLAIM_KEYS]
        if missing or extra:
            raise ValueError(f"{where}: missing fields {missing}, unknown fields {extra}")
        for key, kind in CLAIM_KEYS.items():
            if not isinstance(entry[key], kind) or not str(entry[key]).strip():
                raise ValueError(f"{where}: field '{key}' must be a non-empty text")
        try:
            parse_expected(entry["expected"])
        except ValueError as error:
            raise ValueError(
                f"{where}: expected '{entry['expected']}' is none of '> x', '< x', '= x ± m', "
                f"'in [a, b]', 'is LABEL' ({error})"
            ) from None
        claims.append(Claim(**{k: str(entry[k]).strip() for k in CLAIM_KEYS}))
    ids = [c.id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{path}: claim ids appear more than once: {', '.join(repeated)}")
    return claims


@dataclass
class Finding:
    """One row of the scorecard: a claim in one scope (a task, a method, ...)."""

    claim: str
    scope: str
    value: float | None
    low: float | None
    high: float | None
    n: int
    verdict: str
    reason: str = ""
    p_value: float | None = None
    detail: str = ""
    paper: str = ""
    source: str = ""
    statement: str = ""
    published: str = ""
    expected: str = ""
    unit: str = ""
    extra: dict = field(default_factory=dict)

    def row(self) -> dict:
        """The finding as one row of tables/findings.csv."""
        values = asdict(self)
        values.pop("extra")
        return values


class Tables:
    """A run's result tables by file name (``tables/<name>``), read once; ``None``
    for a table the run did not write or wrote empty (no columns: e.g. no
    correlations with fewer than four targets). ``config`` is the run's
    validated config."""

    def __init__(self, results, config: dict):
        self.results = Path(results)
        self.config = config
        self._read: dict = {}
        self.failed: dict = {}  # table name -> its rows of failed runs

    def get(self, name: str):
        """The table ``tables/<name>`` as a DataFrame, or None. Rows of failed runs
        (``degenerate``: one class predicted for everything) are no scores: they
        are left out here and kept in ``failed``."""
        import pandas as pd

        if name not in self._read:
            path = self.results / "tables" / name
            try:
                table = pd.read_csv(path) if path.exists() else None
            except pd.errors.EmptyDataError:  # written empty: nothing to analyse
                table = None
            if table is not None and "degenerate" in table:
                bad = table.degenerate.astype(bool)
                if bad.any():
                    self.failed[name] = table[bad]
                table = table[~bad]
            self._read[name] = table
        return self._read[name]


def paired_units(frame, keys: list[str], column: str, a: str, b: str, value: str = "score"):
    """Per unit ``keys``: the mean ``value`` of rows with ``column`` == ``a`` minus
    that of ``column`` == ``b``; units lacking either side are left out."""
    means = frame.groupby([*keys, column])[value].mean().unstack(column)
    if a not in means or b not in means:
        return np.array([])
    return (means[a] - means[b]).dropna().to_numpy(float)


def bootstrap(
    n: int,
    statistic: Callable[[np.ndarray], float],
    *,
    resamples: int = RESAMPLES,
    seed: int = 0,
    level: float = LEVEL,
) -> tuple[float, float, float]:
    """``statistic`` of all ``n`` units and its percentile interval over
    ``resamples`` resamples of the unit indices with replacement (seeded, so a
    rerun gives the same interval). A statistic undefined on a resample (NaN) is
    left out of the interval."""
    if n == 0:
        return math.nan, math.nan, math.nan
    value = float(statistic(np.arange(n)))
    rng = np.random.default_rng(seed)
    draws = np.array([statistic(rng.integers(0, n, n)) for _ in range(resamples)], float)
    low, high = _percentile_interval(draws, level)
    return value, low, high


def _percentile_interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    """The central ``level`` interval of bootstrap ``draws`` (NaN draws left out)."""
    draws = draws[~np.isnan(draws)]
    if draws.size == 0:
        return math.nan, math.nan
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_mean(values: Sequence[float], **options) -> tuple[float, float, float]:
    """Mean of ``values`` (one per unit, e.g. paired differences) and its interval."""
    array = np.asarray(values, float)
    return bootstrap(len(array), lambda idx: float(array[idx].mean()), **options)


def bootstrap_difference(a: Sequence[float], b: Sequence[float], **options):
    """Mean of ``a`` minus mean of ``b`` for two unpaired groups, and its interval
    (each group resampled on its own); n is the smaller group's size."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) == 0 or len(b) == 0:
        return math.nan, math.nan, math.nan
    value = float(a.mean() - b.mean())
    rng = np.random.default_rng(options.get("seed", 0))
    resamples = options.get("resamples", RESAMPLES)
    draws = np.array(
        [rng.choice(a, len(a)).mean() - rng.choice(b, len(b)).mean() for _ in range(resamples)]
    )
    low, high = _percentile_interval(draws, options.get("level", LEVEL))
    return value, low, high


def pearson_interval(x: Sequence[float], y: Sequence[float]) -> tuple[float, float, float, float]:
    """Pearson's r, its 95 % interval (Fisher's z, scipy) and p-value; NaNs when
    there are fewer than 4 points or a side is constant."""
    from scipy import stats

    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan, math.nan, math.nan, math.nan
    result = stats.pearsonr(x, y)
    interval = result.confidence_interval(confidence_level=LEVEL)
    return float(result.statistic), float(interval.low), float(interval.high), float(result.pvalue)


def parse_expected(expected: str) -> dict:
    """``> 0`` -> {op: '>', null: 0.0}; ``in [a, b]`` -> {band: (a, b)}; ``is X`` -> {label: X}."""
    match = _EXPECTED.match(expected.strip())
    if not match:
        raise ValueError(f"unreadable expectation '{expected}'")
    if match["op"]:
        if (match["op"] == "=") != (match["margin"] is not None):
            raise ValueError(
                f"'{expected}': '= x ± m' (no difference within a margin m) takes a margin, "
                "'> x' and '< x' take none"
            )
        margin = float(match["margin"]) if match["margin"] else 0.0
        return {"op": match["op"], "null": float(match["null"]), "margin": margin}
    if match["low"] is not None:
        return {"band": (float(match["low"]), float(match["high"]))}
    return {"label": match["label"].strip()}


def verdict(expected: str, low: float, high: float, n: int) -> tuple[str, str]:
    """The verdict of an interval [low, high] from ``n`` units, and why."""
    if n < MIN_POINTS:
        return INCONCLUSIVE, f"too few points ({n} < {MIN_POINTS})"
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return INCONCLUSIVE, "no interval (a constant or undefined statistic)"
    rule = parse_expected(expected)
    if "label" in rule:
        raise ValueError(f"'{expected}' is a category: use verdict_label")
    if "band" in rule:
        a, b = rule["band"]
        if a <= low and high <= b:
            return HOLDS, f"interval inside [{a:g}, {b:g}]"
        if high < a or low > b:
            return FAILS, f"interval outside [{a:g}, {b:g}]"
        return INCONCLUSIVE, f"interval overlaps the edge of [{a:g}, {b:g}]"
    op, null = rule["op"], rule["null"]
    if op == "=":
        # equivalence: no difference means the whole interval lies within the
        # margin; an interval that excludes the null is a difference
        margin = rule["margin"]
        if null - margin <= low and high <= null + margin:
            return HOLDS, f"interval within {null:g} ± {margin:g}"
        if not low <= null <= high:
            return FAILS, f"interval excludes {null:g}"
        return INCONCLUSIVE, f"interval contains {null:g} but reaches beyond ± {margin:g}"
    above, below = low > null, high < null
    if (op == ">" and above) or (op == "<" and below):
        return HOLDS, f"interval {'above' if op == '>' else 'below'} {null:g}"
    if (op == ">" and below) or (op == "<" and above):
        return FAILS, f"interval {'below' if op == '>' else 'above'} {null:g}"
    return INCONCLUSIVE, f"interval contains {null:g}"


def verdict_label(expected: str, observed: str, runner_up_overlaps: bool) -> tuple[str, str]:
    """Verdict of a categorical claim (``is X``): holds when ``observed`` is X and
    no other candidate's interval overlaps its own, fails when another is ahead
    and clear of X, inconclusive when the two cannot be told apart."""
    label = parse_expected(expected)["label"]
    if runner_up_overlaps:
        return INCONCLUSIVE, f"{observed} first, but the runner-up's interval overlaps"
    if observed == label:
        return HOLDS, f"{observed} first"
    return FAILS, f"{observed} first, not {label}"


def decide(
    claim: Claim, scope: str, value, low, high, n: int, *, p_value=None, detail: str = ""
) -> Finding:
    """A finding whose verdict comes from the claim's expectation and the interval."""
    result, reason = verdict(claim.expected, low, high, n)
    return finding(claim, scope, result, reason, value, low, high, n, p_value, detail)


def not_tested(claim: Claim, reason: str, scope: str = "") -> Finding:
    """A claim this run cannot test, with the reason (missing family, data, scale)."""
    return finding(claim, scope, NOT_TESTED, reason)


def finding(
    claim: Claim,
    scope: str,
    result: str,
    reason: str,
    value=None,
    low=None,
    high=None,
    n: int = 0,
    p_value=None,
    detail: str = "",
) -> Finding:
    """A finding with the claim's fields and the given verdict (NaN values become None)."""

    def number(x):
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

    return Finding(
        claim=claim.id,
        scope=scope,
        value=number(value),
        low=number(low),
        high=number(high),
        n=int(n),
        verdict=result,
        reason=reason,
        p_value=number(p_value),
        detail=detail,
        paper=claim.paper,
        source=claim.source,
        statement=claim.claim,
        published=claim.published,
        expected=claim.expected,
        unit=claim.unit,
    )


def _number(x) -> str:
    return "" if x is None else f"{x:.3g}" if abs(x) < 1 else f"{x:.2f}"


def _ours(f: Finding) -> str:
    text = _number(f.value)
    if f.low is not None and f.high is not None:
        text += f" [{_number(f.low)}, {_number(f.high)}]"
    if f.p_value is not None:
        text += f", p = {f.p_value:.2g}"
    if f.detail:
        text = f"{text} ({f.detail})" if text else f.detail
    return text


def table_markdown(frame) -> str:
    """A DataFrame as a Markdown table (numbers to 3 significant digits)."""

    def cell(value) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.3g}"
        return str(value).replace("|", "/")

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def verdict_counts(findings: list[Finding]) -> dict[str, int]:
    """How many of ``findings`` have each verdict, in ``VERDICTS`` order."""
    return {v: sum(f.verdict == v for f in findings) for v in VERDICTS}


def _rst_text(text: str) -> str:
    """``text`` with reStructuredText's markup characters escaped."""
    return re.sub(r"([\\`*_|])", r"\\\1", text)


def rst_scorecard(findings: list[Finding]) -> str:
    """The scorecard in short, as reStructuredText for the report's front page: per
    paper, how many of its claims' rows hold, do not hold, are inconclusive or
    were not tested (short enough to fit the page; the Findings category has
    every row with its statistic and interval)."""
    lines = [
        "Findings scorecard",
        "------------------",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
    ]
    header = ["paper", "claims", *VERDICTS]
    papers = [[paper, [f for f in findings if f.paper == paper]] for paper in dict.fromkeys(
        f.paper for f in findings
    )] + [["all papers", findings]]  # fmt: skip
    for row in [header] + [
        [paper, str(len({f.claim for f in rows}))] + [str(n) for n in verdict_counts(rows).values()]
        for paper, rows in papers
    ]:
        cells = [_rst_text(cell) for cell in row]
        lines.append(f"   * - {cells[0]}")
        lines += [f"     - {cell}" for cell in cells[1:]]
    return "\n".join(lines) + "\n"


def markdown(findings: list[Finding], comparisons=(), failed=None) -> str:
    """The scorecard as Markdown: a count of verdicts, then per paper each claim
    (statement, where, published, expected) with one table row per scope, then
    each (title, table) of ``comparisons`` (a paper's published tables beside
    the run's). ``failed`` ({table: rows}, ``Tables.failed``) names the failed
    runs the statistics left out."""
    counts = verdict_counts(findings)
    lines = [
        "# Findings scorecard",
        "",
        "Each paper's headline claims, tested on this run's tables "
        "(metadata/claims.yaml). Intervals are 95 %: bootstrap over the unit named, "
        "Fisher's z for Pearson's r, OLS for a regression intercept.",
        "",
        " · ".join(f"{count} {name}" for name, count in counts.items()),
    ]
    for name, rows in (failed or {}).items():
        lines += [
            "",
            f"**Failed runs left out**: {len(rows)} rows of tables/{name} come from models "
            "that predicted one class for everything (degenerate = True there).",
        ]
    for paper in dict.fromkeys(f.paper for f in findings):
        lines += ["", f"## {paper}"]
        rows = [f for f in findings if f.paper == paper]
        for claim in dict.fromkeys(f.claim for f in rows):
            block = [f for f in rows if f.claim == claim]
            first = block[0]
            lines += [
                "",
                f"**{claim}** ({first.source}): {first.statement}  ",
                f"Published: {first.published}. Expected: {first.expected}; unit: {first.unit}.",
                "",
                "| scope | ours [95 % interval] | n | verdict |",
                "|---|---|---|---|",
            ]
            for f in block:
                verdict_cell = f"**{f.verdict}**" + (f": {f.reason}" if f.reason else "")
                cells = [f.scope or "-", _ours(f) or "-", str(f.n) if f.n else "-", verdict_cell]
                lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    if comparisons:
        lines += ["", "## Paper comparison"]
        for title, frame in comparisons:
            lines += ["", f"### {title}", "", table_markdown(frame)]
    return "\n".join(lines) + "\n"
