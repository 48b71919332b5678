"""The leave-one-out grid of multi-source transfer (Chen et al. 2019, §4): every
language of a set is the target once, the others its labelled sources.

A run is (method, target, sources): ``one_to_one`` trains on each source alone
(one run per source), every other method on all of them at once. Unlabelled
text of every language of the set, the target included, feeds D.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlt.families.man_moe.model import MOE_METHODS, VARIANTS


@dataclass(frozen=True)
class Run:
    """One trained model: its method, its target and its sources in expert order."""

    method: str
    target: str
    sources: tuple[str, ...]

    @property
    def name(self) -> str:
        """The run's directory name: ``<method>/<target>`` (+ ``-from-<source>`` for
        one_to_one)."""
        if self.method == "one_to_one":
            return f"{self.method}/{self.target}-from-{self.sources[0]}"
        return f"{self.method}/{self.target}"


def leave_one_out(languages: list[str], methods: list[str]) -> list[Run]:
    """Every run of the grid, targets in the order given, then methods."""
    runs = []
    for target in languages:
        sources = tuple(lang for lang in languages if lang != target)
        for method in methods:
            if method == "one_to_one":
                runs.extend(Run(method, target, (source,)) for source in sources)
            else:
                runs.append(Run(method, target, sources))
    return runs


def grid_problems(languages: list[str], methods: list[str], key: str = "man_moe") -> list[str]:
    """What makes the grid impossible, each naming its config key."""
    problems = []
    for i, method in enumerate(methods):
        if method not in VARIANTS:
            problems.append(
                f"config key '{key}.methods[{i}]': unknown method '{method}' "
                f"(known: {', '.join(VARIANTS)})"
            )
    if len(set(languages)) != len(languages):
        problems.append(f"config key '{key}.languages': a language is listed twice")
    moe = [m for m in methods if m in MOE_METHODS]
    if len(languages) < 3 and moe:
        problems.append(
            f"config key '{key}.languages': {len(languages)} language(s) leave each target "
            f"{max(len(languages) - 1, 0)} source(s), and {', '.join(moe)} mix one expert per "
            "source: they need two sources or more (three languages)"
        )
    elif len(languages) < 2:
        problems.append(f"config key '{key}.languages': leave-one-out needs two languages or more")
    return problems
