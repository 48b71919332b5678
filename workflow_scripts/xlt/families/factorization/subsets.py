"""Language subsets of the factorization experiment (§5.2, Table 2).

Ponti et al. (TACL 2021) compare training and evaluation languages that are
maximally similar with ones that are maximally different, with the language
family as the proxy for similarity: ``language_subsets`` chooses both sets and
``subset_languages`` resolves a subset's name (``all``, ``similar4``, ...).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from numbers import Integral


def _family_groups(families: Mapping[str, str]) -> list[list[str]]:
    """Languages grouped by family, largest family first, then by family name
    (case-insensitively, then as written; isolates by their code); codes sorted
    within a family. Family "isolate" (any case) means a family of its own."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, family in families.items():
        if not isinstance(code, str) or not code:
            raise ValueError(f"language codes must be non-empty strings, got {code!r}")
        if not isinstance(family, str) or not family:
            raise ValueError(
                f"language '{code}': family must be a non-empty string, got {family!r}"
            )
        key = (family, code) if family.casefold() == "isolate" else (family, "")
        groups[key].append(code)

    def order(item):
        (family, isolate), members = item
        return (-len(members), family.casefold(), isolate, family)

    return [sorted(members) for _, members in sorted(groups.items(), key=order)]


def _similar_counts(sizes: list[int], size: int) -> list[int] | None:
    """How many languages to take from each family (in order) so that no family
    gives exactly one: at each family the largest count that leaves a remainder
    the later families can still fill. None when no such choice exists."""
    # reachable[i]: the totals families i.. can make with counts in {0} ∪ [2, m].
    reachable = [set() for _ in range(len(sizes) + 1)]
    reachable[-1] = {0}
    for i in range(len(sizes) - 1, -1, -1):
        later = reachable[i + 1]
        counts = [0] + list(range(2, sizes[i] + 1))
        reachable[i] = {s + c for s in later for c in counts if s + c <= size}
    if size not in reachable[0]:
        return None
    result, left = [], size
    for i, m in enumerate(sizes):
        count = next(
            c for c in range(min(m, left), -1, -1) if c != 1 and left - c in reachable[i + 1]
        )
        result.append(count)
        left -= count
    return result


def language_subsets(families: dict[str, str], size: int) -> dict[str, list[str]]:
    """`size` maximally similar and `size` maximally different languages (§5.2).

    `families` maps language code -> family name; the family is the proxy for
    similarity. A family "isolate" (any case) puts each of its languages in a
    family of its own, and so does any family with one member. Families are
    ordered by number of members (descending), then by name (case-insensitively,
    then as written; isolates among themselves by code); codes are sorted within
    a family.

    * "similar": languages taken family by family in that order, as many as
      possible from each family before the next, with the rule that no family
      contributes exactly one language (a language without a relative) when the
      family sizes allow it: at each family the largest count (0, or 2..members)
      is taken that still lets the later families fill exactly the remaining
      slots. E.g. families of 6, 2, 2 and size 9 give 5 + 2 + 2, not 6 + 2 + 1.
      When no choice avoids a lone language (size above the number of languages
      in families of two or more, or only pairs left for an odd remainder), the
      plain rule applies: every family in turn gives as many as it has until
      `size` is reached, so the last family may be taken partly.
    * "different": round robin, one language per family and round in the family
      order (each family's languages in code order), so the number of distinct
      families is the largest possible.

    Within each list languages appear in the order chosen (family order, then
    code). Deterministic. ValueError when size < 2 or size > the number of
    languages.
    """
    if not isinstance(families, Mapping) or not families:
        raise ValueError("families must be a non-empty mapping of language code -> family")
    if isinstance(size, bool) or not isinstance(size, Integral):
        raise ValueError(f"size must be an integer, got {size!r}")
    if size < 2 or size > len(families):
        raise ValueError(
            f"size must be between 2 and the number of languages ({len(families)}), got {size}"
        )
    groups = _family_groups(families)

    multi = [g for g in groups if len(g) >= 2]
    counts = _similar_counts([len(g) for g in multi], size)
    if counts is not None:
        similar = [code for group, c in zip(multi, counts, strict=True) for code in group[:c]]
    else:
        similar = [code for group in groups for code in group][:size]

    different: list[str] = []
    for round_ in range(max(len(g) for g in groups)):
        for group in groups:
            if round_ < len(group) and len(different) < size:
                different.append(group[round_])
    return {"similar": similar, "different": different}


def subset_languages(subset: str, languages: list[str], families: dict) -> list[str]:
    """``all``, or the similar/different subset of the size in its name (Table 2)."""
    if subset == "all":
        return list(languages)
    kind = subset.rstrip("0123456789")
    size = int(subset[len(kind) :])
    return language_subsets({lang: families[lang] for lang in languages}, size)[kind]


def language_families(table) -> dict[str, str]:
    """Language -> family from the language table; URIEL gives an isolate no
    family (""), so each isolate is a family of its own."""
    return {
        code: family or "isolate"
        for code, family in zip(table["code"], table["family"], strict=True)
    }
