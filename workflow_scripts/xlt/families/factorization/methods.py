"""The factorization family's methods: their names, kinds, display names and
table order, and which of them a config runs."""

from __future__ import annotations

GENERATORS = ("pf_d", "pf_lr")
POOLED = ("ls", "jm")
PER_LANGUAGE = ("ns", "bea")
METHODS = GENERATORS + POOLED + PER_LANGUAGE
# Names and column order of the paper's Table 1.
DISPLAY = {"pf_d": "PF-d", "pf_lr": "PF-lr", "ls": "LS", "ns": "NS", "jm": "JM", "bea": "BEA"}
TABLE_ORDER = ("bea", "ns", "ls", "jm", "pf_d", "pf_lr")
LOW_RANK = "pf_lr"  # the generator whose language posteriors have a low-rank factor
NEEDS_LARGEST_SOURCE = "ls"


def configured_methods(config: dict, subset: str = "all") -> list[str]:
    """Methods of the family run on ``subset`` (Table 2 subsets run fewer)."""
    chosen = [m for m in config["methods"] if m in METHODS]
    if subset != "all":
        chosen = [m for m in chosen if m in config["factorization"]["subsets"]["methods"]]
    return chosen
