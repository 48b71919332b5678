"""The findings stage: every claim of the registry (metadata/claims.yaml) through
its family's ``findings`` module, or ``not tested`` with the reason when the
run does not include that family. The modules are imported only here, when
the stage runs (they read tables with pandas, scipy and statsmodels)."""

from __future__ import annotations

import importlib

from xlt.core import findings
from xlt.core.findings import Claim, Finding, Tables
from xlt.families.registry import FAMILIES


def evaluators(family: str) -> dict:
    """The family's {claim id: evaluator}."""
    return importlib.import_module(f"xlt.families.{family}.findings").CLAIMS


def check_registry(claims: list[Claim]) -> None:
    """Every claim names a known family and has an evaluator there; a ValueError
    names the claim otherwise (a registry entry without code would never run)."""
    for claim in claims:
        if claim.family not in FAMILIES:
            raise ValueError(f"claim {claim.id}: unknown family '{claim.family}'")
        if claim.id not in evaluators(claim.family):
            raise ValueError(
                f"claim {claim.id}: xlt/families/{claim.family}/findings.py has no evaluator for it"
            )


def evaluate(claims: list[Claim], tables: Tables) -> list[Finding]:
    """The scorecard's rows, in registry order."""
    check_registry(claims)
    rows: list[Finding] = []
    for claim in claims:
        family = FAMILIES[claim.family]
        if not family.is_active(tables.config):
            methods = ", ".join(family.methods)
            rows.append(findings.not_tested(
                claim, f"the run has none of the {family.name} family's methods ({methods}) "
                "in config key 'methods'"))  # fmt: skip
            continue
        rows += evaluators(claim.family)[claim.id](claim, tables)
    return rows


def comparisons(tables: Tables) -> list[tuple[str, object]]:
    """(title, table) of each active family's comparison with its paper's
    published tables, where its findings module has one (``comparisons``)."""
    found = []
    for family in FAMILIES.values():
        if not family.is_active(tables.config):
            continue
        module = importlib.import_module(f"xlt.families.{family.name}.findings")
        if hasattr(module, "comparisons"):
            found += module.comparisons(tables)
    return found
