"""The leave-one-out grid of multi-source transfer (Chen et al. 2019, §4): every
language of a set is the target once, the others its labelled sources.

A run is (system, target, sources): ``one_to_one`` trains on each source alone
(one run per source), every other system on all of them at once. Unlabelled
text of every language of the set, the target included, feeds D.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlt.families.man_moe.systems import MOE_SYSTEMS, VARIANTS


@dataclass(frozen=True)
class Run:
    """One trained model: its system, its target and its sources in expert order."""

    system: str
    target: str
    sources: tuple[str, ...]

    @property
    def name(self) -> str:
        """``<system>`` (``one_to_one-<source>`` for a single-source run)."""
        if self.system == "one_to_one":
            return f"{self.system}-{self.sources[0]}"
        return self.system


def leave_one_out(languages: list[str], systems: list[str]) -> list[Run]:
    """Every run of the grid, targets in the order given, then systems."""
    return [run for target in languages for run in target_runs(languages, target, systems)]


def target_runs(languages: list[str], target: str, systems: list[str]) -> list[Run]:
    """The runs of one target: each source alone for one_to_one, all of them for
    every other system."""
    sources = tuple(lang for lang in languages if lang != target)
    runs = []
    for system in systems:
        if system == "one_to_one":
            runs.extend(Run(system, target, (source,)) for source in sources)
        else:
            runs.append(Run(system, target, sources))
    return runs


def grid_problems(languages: list[str], systems: list[str], key: str = "man_moe") -> list[str]:
    """What makes the grid impossible, each naming its config key."""
    problems = []
    for i, system in enumerate(systems):
        if system not in VARIANTS:
            problems.append(
                f"config key '{key}.systems[{i}]': unknown system '{system}' "
                f"(known: {', '.join(VARIANTS)})"
            )
    if len(set(languages)) != len(languages):
        problems.append(f"config key '{key}.languages': a language is listed twice")
    moe = [s for s in systems if s in MOE_SYSTEMS]
    if len(languages) < 3 and moe:
        problems.append(
            f"config key '{key}.languages': {len(languages)} language(s) leave each target "
            f"{max(len(languages) - 1, 0)} source(s), and {', '.join(moe)} mix one expert per "
            "source: they need two sources or more (three languages)"
        )
    elif len(languages) < 2:
        problems.append(f"config key '{key}.languages': leave-one-out needs two languages or more")
    return problems
