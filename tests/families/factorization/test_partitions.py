"""Tests for xlt.families.factorization.partitions and .subsets: seen/held-out
partitions and language subsets."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from xlt.families.factorization import partitions as pt
from xlt.families.factorization.partitions import check_partition, heldout_partitions
from xlt.families.factorization.subsets import language_subsets

TASKS = ["pos", "ner", "dep"]
CODE_POOL = [a + b for a in "abcdefghij" for b in "klmnopqrst"]  # 100 two-letter codes

# The 33 languages of Ponti et al. (2021) with their families.
PAPER_FAMILIES = {
    **dict.fromkeys("fi et hu kpv myv sme".split(), "Uralic"),
    **dict.fromkeys("cy fo gl hsb hy kmr".split(), "Indo-European"),
    **dict.fromkeys("aii am ar he mt".split(), "Afroasiatic"),
    **dict.fromkeys("bm wo yo".split(), "Niger-Congo"),
    **dict.fromkeys("kk tr ug".split(), "Turkic"),
    **dict.fromkeys("id tl".split(), "Austronesian"),
    **dict.fromkeys("ta te".split(), "Dravidian"),
    "vi": "Austroasiatic",
    "th": "Kra-Dai",
    "gun": "Tupian",
    "yue": "Sino-Tibetan",
    "eu": "isolate",
    "ko": "isolate",
}


def pairs_of(values) -> set[tuple[str, str]]:
    return {(t, lang) for t, lang in values}


def assert_valid(partition, all_pairs: set[tuple[str, str]]) -> None:
    """Independent of check_partition: the properties a partition must have."""
    seen, heldout = partition["seen"], partition["heldout"]
    assert seen == sorted(seen) and heldout == sorted(heldout)
    assert len(pairs_of(seen)) == len(seen) and len(pairs_of(heldout)) == len(heldout)
    assert not pairs_of(seen) & pairs_of(heldout)
    assert pairs_of(seen) | pairs_of(heldout) == all_pairs
    for t, lang in heldout:
        assert any(t2 == t and l2 != lang for t2, l2 in seen), (t, lang, "task not seen")
        assert any(l2 == lang and t2 != t for t2, l2 in seen), (t, lang, "language not seen")


def random_case(seed: int):
    """Tasks, languages and available pairs (None or a sparse subset) for one seed."""
    rng = np.random.default_rng(10_000 + seed)
    n_tasks = int(rng.choice([2, 3]))
    n_languages = int(rng.integers(2, 41))
    tasks = list(rng.permutation(TASKS)[:n_tasks])
    languages = [str(c) for c in rng.choice(CODE_POOL, size=n_languages, replace=False)]
    available = None
    if n_tasks == 3 and n_languages >= 4 and rng.random() < 0.5:
        # Each language may lack one task, as long as every task keeps two languages.
        available = {(t, lang) for t in tasks for lang in languages}
        for lang in languages:
            if rng.random() < 0.4:
                t = str(rng.choice(tasks))
                if sum((t, other) in available for other in languages) > 2:
                    available.discard((t, lang))
    return tasks, languages, available


@pytest.mark.parametrize("block", range(4))
def test_random_partitions_have_the_required_properties(block):
    n_seen_3_tasks = 0
    for seed in range(block * 50, (block + 1) * 50):
        tasks, languages, available = random_case(seed)
        all_pairs = available or {(t, lang) for t in tasks for lang in languages}
        n = len(all_pairs)
        two = len(tasks) == 2
        result = heldout_partitions(tasks, languages, available, seed, count=3, complementary=two)
        assert [p["index"] for p in result] == [1, 2, 3]
        for partition in result:
            assert_valid(partition, all_pairs)
            check_partition(partition, tasks, languages, available)
            assert len(partition["heldout"]) == n // 2
        if two:
            first, second, third = result
            assert second["seen"] == first["heldout"]
            assert second["heldout"] == first["seen"]
            for partition in result:  # every language holds out exactly one task
                assert Counter(lang for _, lang in partition["heldout"]) == dict.fromkeys(
                    languages, 1
                )
            if len(languages) >= 8:
                assert third["heldout"] not in (first["heldout"], second["heldout"])
        else:
            n_seen_3_tasks += 1
        # Deterministic, and independent of the order of the inputs.
        rng = np.random.default_rng(seed)
        again = heldout_partitions(
            list(rng.permutation(tasks)),
            list(rng.permutation(languages)),
            None if available is None else set(sorted(available, reverse=True)),
            seed,
            count=3,
            complementary=two,
        )
        assert again == result
    assert n_seen_3_tasks > 0


@pytest.mark.parametrize("n_tasks", [2, 3])
def test_different_seeds_give_different_partitions(n_tasks):
    tasks, languages = TASKS[:n_tasks], CODE_POOL[:20]
    drawn = [
        heldout_partitions(tasks, languages, None, seed, count=1)[0]["heldout"]
        for seed in range(50)
    ]
    assert len({tuple(map(tuple, h)) for h in drawn}) == 50


def test_complementary_false_draws_partition_two_afresh():
    tasks, languages = TASKS[:2], CODE_POOL[:20]
    comp = heldout_partitions(tasks, languages, None, 7, complementary=True)
    fresh = heldout_partitions(tasks, languages, None, 7, complementary=False)
    assert fresh[0] == comp[0]
    assert fresh[1]["heldout"] != comp[1]["heldout"]
    assert fresh[1]["heldout"] != comp[0]["heldout"]
    assert_valid(fresh[1], {(t, lang) for t in tasks for lang in languages})


def test_smallest_case_two_tasks_two_languages():
    result = heldout_partitions(["pos", "ner"], ["b", "a"], None, 0)
    assert len(result) == 2
    for partition in result:
        held = partition["heldout"]
        # One held-out task per language and the two tasks differ (each task seen once).
        assert sorted(lang for _, lang in held) == ["a", "b"]
        assert {t for t, _ in held} == {"pos", "ner"}


def test_three_task_complement_is_verified():
    languages = CODE_POOL[:6]
    ok, refused = 0, 0
    for seed in range(40):
        try:
            first, second = heldout_partitions(TASKS, languages, None, seed)
        except ValueError as err:
            assert "complement of partition 1" in str(err)
            assert "complementary: false" in str(err)
            refused += 1
            continue
        ok += 1
        assert second["seen"] == first["heldout"] and second["heldout"] == first["seen"]
        check_partition(second, TASKS, languages)
    assert ok and refused


def test_three_task_complement_of_an_odd_number_of_pairs_holds_out_the_larger_half():
    languages = CODE_POOL[:3]  # 9 pairs
    for seed in range(200):
        try:
            first, second = heldout_partitions(TASKS, languages, None, seed)
        except ValueError:
            continue
        assert (len(first["heldout"]), len(second["heldout"])) == (4, 5)
        return
    pytest.fail("no seed gave a valid complement")


def test_sparse_cycle_needs_retries_and_finds_both_valid_partitions():
    # Each language has two of the three tasks, in a cycle: a greedy pass can get
    # stuck (two languages holding out the same task); only the two cyclic choices
    # are valid.
    available = {("a", "l0"), ("c", "l0"), ("b", "l1"), ("c", "l1"), ("a", "l2"), ("b", "l2")}
    found = set()
    for seed in range(30):
        (partition,) = heldout_partitions(["a", "b", "c"], ["l0", "l1", "l2"], available, seed, 1)
        assert_valid(partition, available)
        found.add(tuple(map(tuple, partition["heldout"])))
    assert found == {
        (("a", "l0"), ("b", "l2"), ("c", "l1")),
        (("a", "l2"), ("b", "l1"), ("c", "l0")),
    }


def test_missing_task_names_language_and_task():
    languages = ["fi", "et", "xx", "hu"]
    available = {(t, lang) for t in ("pos", "ner") for lang in languages} - {("ner", "xx")}
    message = (
        "language 'xx' has data only for task 'pos' (none for 'ner'); the factorization "
        "experiment needs every language in at least two tasks"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        heldout_partitions(["pos", "ner"], languages, available, 0)


def test_missing_tasks_all_named_and_every_bad_language_reported():
    languages = ["fi", "et", "xx", "yy"]
    available = {(t, lang) for t in TASKS for lang in languages}
    available -= {("ner", "xx"), ("dep", "xx"), ("pos", "yy"), ("ner", "yy"), ("dep", "yy")}
    with pytest.raises(ValueError) as err:
        heldout_partitions(TASKS, languages, available, 0)
    assert "language 'xx' has data only for task 'pos' (none for 'dep', 'ner')" in str(err.value)
    assert "language 'yy' has no data for any task" in str(err.value)


def test_task_with_one_language_is_refused():
    languages = ["fi", "et", "hu"]
    available = {(t, lang) for t in TASKS for lang in languages}
    available -= {("dep", "et"), ("dep", "hu")}
    with pytest.raises(ValueError, match=r"task 'dep' has data only in language 'fi'"):
        heldout_partitions(TASKS, languages, available, 0)


def test_available_pairs_outside_the_grid_are_ignored():
    languages = ["fi", "et"]
    grid = {(t, lang) for t in ("pos", "ner") for lang in languages}
    with_extra = grid | {("pos", "zz"), ("dep", "fi")}
    assert heldout_partitions(["pos", "ner"], languages, with_extra, 3) == heldout_partitions(
        ["pos", "ner"], languages, None, 3
    )


@pytest.mark.parametrize(
    "tasks, languages, match",
    [
        (["pos"], ["fi", "et"], "at least two tasks"),
        (["pos", "ner"], ["fi"], "at least two languages"),
        (["pos", "pos", "ner"], ["fi", "et"], "duplicate tasks: pos"),
        (["pos", "ner"], ["fi", "et", "fi"], "duplicate languages: fi"),
        (["pos", ""], ["fi", "et"], "non-empty strings"),
    ],
)
def test_bad_task_or_language_lists(tasks, languages, match):
    with pytest.raises(ValueError, match=match):
        heldout_partitions(tasks, languages, None, 0)


@pytest.mark.parametrize("seed, count", [(-1, 2), (1.5, 2), (0, 0), (0, True)])
def test_bad_seed_or_count(seed, count):
    with pytest.raises(ValueError, match="seed|count"):
        heldout_partitions(["pos", "ner"], ["fi", "et"], None, seed, count=count)


def test_draw_gives_up_after_bounded_attempts(monkeypatch):
    monkeypatch.setattr(pt, "MAX_ATTEMPTS", 0)
    with pytest.raises(ValueError, match="could not draw partition 1"):
        heldout_partitions(["pos", "ner"], ["fi", "et"], None, 0)


# --------------------------------------------------------------------------
# check_partition

TWO = ["pos", "ner"]
ABC = ["a", "b", "c"]


def test_check_partition_accepts_a_hand_made_partition_with_tuples():
    partition = {
        "seen": [("pos", "a"), ("ner", "b"), ("pos", "c")],
        "heldout": [("ner", "a"), ("pos", "b"), ("ner", "c")],
    }
    check_partition(partition, TWO, ABC)


@pytest.mark.parametrize(
    "seen, heldout, match",
    [
        # task pos held out everywhere: seen in no other language
        (
            [["ner", "a"], ["ner", "b"], ["ner", "c"]],
            [["pos", "a"], ["pos", "b"], ["pos", "c"]],
            "task 'pos' is seen in no other language",
        ),
        # language a held out in both tasks: seen in no other task
        (
            [["ner", "b"], ["pos", "c"], ["ner", "c"]],
            [["pos", "a"], ["ner", "a"], ["pos", "b"]],
            "language 'a' is seen in no other task",
        ),
        # not half held out
        (
            [["pos", "a"], ["ner", "a"], ["pos", "b"], ["ner", "b"], ["pos", "c"]],
            [["ner", "c"]],
            "holds out 1 of 6 pairs",
        ),
        # a pair missing
        (
            [["pos", "a"], ["ner", "b"]],
            [["ner", "a"], ["pos", "b"], ["ner", "c"]],
            r"missing \(pos, c\)",
        ),
        # a pair both seen and held out
        (
            [["pos", "a"], ["ner", "b"], ["pos", "c"], ["ner", "a"]],
            [["ner", "a"], ["pos", "b"], ["ner", "c"]],
            r"both seen and held out: \(ner, a\)",
        ),
        # a pair repeated
        (
            [["pos", "a"], ["ner", "b"], ["pos", "c"], ["pos", "c"]],
            [["ner", "a"], ["pos", "b"], ["ner", "c"]],
            r"repeated seen pairs: \(pos, c\)",
        ),
        # an unknown language
        (
            [["pos", "a"], ["ner", "b"], ["pos", "zz"]],
            [["ner", "a"], ["pos", "b"], ["ner", "c"]],
            r"outside .*\(pos, zz\)",
        ),
        # not a pair
        ([["pos", "a", "x"]], [], "not a \\[task, language\\] pair"),
    ],
)
def test_check_partition_catches_violations(seen, heldout, match):
    with pytest.raises(ValueError, match=match):
        check_partition({"index": 1, "seen": seen, "heldout": heldout}, TWO, ABC)


def test_check_partition_against_available_pairs():
    languages = ["a", "b", "c"]
    available = {(t, lang) for t in TASKS for lang in languages} - {("dep", "a")}
    (partition,) = heldout_partitions(TASKS, languages, available, 5, count=1)
    check_partition(partition, TASKS, languages, available)
    with pytest.raises(ValueError, match=r"missing \(dep, a\)"):
        check_partition(partition, TASKS, languages)  # None = every pair


def test_always_seen_languages_are_seen_in_every_task_and_never_held_out():
    first, second = heldout_partitions(TWO, ABC, None, 3, always_seen=["x", "w"])
    plain = heldout_partitions(TWO, ABC, None, 3)
    for partition, without in zip((first, second), plain, strict=True):
        # the same held-out pairs as without them; their four pairs added to seen
        assert partition["heldout"] == without["heldout"]
        assert partition["seen"] == sorted(
            without["seen"] + [[t, lang] for t in TWO for lang in ("w", "x")]
        )
        check_partition(partition, TWO, ABC, always_seen=["w", "x"])
    # checked: an always-seen pair missing from seen, or held out
    broken = {**first, "seen": [p for p in first["seen"] if p != ["ner", "x"]]}
    with pytest.raises(ValueError, match=r"always-seen pairs not seen: \(ner, x\)"):
        check_partition(broken, TWO, ABC, always_seen=["w", "x"])
    broken = {**first, "heldout": [*first["heldout"], ["ner", "x"]]}
    with pytest.raises(ValueError, match=r"always-seen pairs held out: \(ner, x\)"):
        check_partition(broken, TWO, ABC, always_seen=["w", "x"])
    with pytest.raises(ValueError, match="'a' are also partitioned languages"):
        heldout_partitions(TWO, ABC, None, 3, always_seen=["a"])
    available = {(t, lang) for t in TWO for lang in ABC} | {("pos", "x")}
    with pytest.raises(ValueError, match=r"need data in every task; none for \(ner, x\)"):
        heldout_partitions(TWO, ABC, available, 3, always_seen=["x"])


def test_partitions_file_with_always_seen_languages_reads_back():
    available = [[t, lang] for t in TWO for lang in [*ABC, "x"]]
    file = {
        "tasks": TWO,
        "languages": sorted([*ABC, "x"]),
        "always_seen": ["x"],
        "available": available,
        "partitions": heldout_partitions(TWO, ABC, None, 3, always_seen=["x"]),
    }
    seen, heldout = pt.read_partition(file, 1)
    assert {("pos", "x"), ("ner", "x")} <= set(seen) and len(heldout) == 3


def test_check_partition_needs_seen_and_heldout():
    with pytest.raises(ValueError, match="lacks heldout"):
        check_partition({"seen": []}, TWO, ABC)


# --------------------------------------------------------------------------
# language_subsets


def family_counts(codes, families):
    """Members per family; isolates count as families of their own."""
    return Counter(
        code if families[code].casefold() == "isolate" else families[code] for code in codes
    )


def test_paper_languages_size_11():
    subsets = language_subsets(PAPER_FAMILIES, 11)
    # Indo-European and Uralic both have 6 members; the tie goes by name, so
    # Indo-European comes first and is taken whole, then 5 Uralic in code order.
    assert subsets["similar"] == "cy fo gl hsb hy kmr et fi hu kpv myv".split()
    # One per family: by size (6, 6, 5, 3, 3, 2, 2, then singletons), ties by name
    # case-insensitively (Austroasiatic < isolate eu < isolate ko < Kra-Dai < ...).
    assert subsets["different"] == "cy et aii bm kk id ta vi eu ko th".split()
    assert len(family_counts(subsets["different"], PAPER_FAMILIES)) == 11
    assert len(family_counts(subsets["similar"], PAPER_FAMILIES)) == 2


def test_paper_languages_other_sizes():
    assert language_subsets(PAPER_FAMILIES, 2) == {
        "similar": ["cy", "fo"],
        "different": ["cy", "et"],
    }
    assert language_subsets(PAPER_FAMILIES, 12)["similar"] == (
        "cy fo gl hsb hy kmr et fi hu kpv myv sme".split()
    )
    # 13 = 6 + 6 + 1 would leave a lone Afroasiatic; 6 + 5 + 2 does not.
    assert language_subsets(PAPER_FAMILIES, 13)["similar"] == (
        "cy fo gl hsb hy kmr et fi hu kpv myv aii am".split()
    )
    # 30 > 27 languages in families of two or more: three singletons are needed.
    similar_30 = language_subsets(PAPER_FAMILIES, 30)["similar"]
    assert similar_30[27:] == ["vi", "eu", "ko"]
    everything = language_subsets(PAPER_FAMILIES, 33)
    assert sorted(everything["similar"]) == sorted(PAPER_FAMILIES)
    assert sorted(everything["different"]) == sorted(PAPER_FAMILIES)
    assert everything["different"][:13] == "cy et aii bm kk id ta vi eu ko th yue gun".split()
    assert everything["different"][13:16] == ["fo", "fi", "am"]


@pytest.mark.parametrize("size", range(2, 34))
def test_subset_properties_for_every_size(size):
    subsets = language_subsets(PAPER_FAMILIES, size)
    similar, different = subsets["similar"], subsets["different"]
    for chosen in (similar, different):
        assert len(chosen) == len(set(chosen)) == size
        assert set(chosen) <= set(PAPER_FAMILIES)
    similar_families = family_counts(similar, PAPER_FAMILIES)
    different_families = family_counts(different, PAPER_FAMILIES)
    assert len(different_families) >= len(similar_families)
    assert len(different_families) == min(size, 13)  # 13 families counting isolates
    if size <= 27:  # languages in families of two or more: nobody needs to be alone
        assert 1 not in similar_families.values()


def test_lone_member_avoided_by_taking_fewer_from_an_earlier_family():
    families = {
        **dict.fromkeys("a1 a2 a3 a4 a5 a6".split(), "A"),
        **dict.fromkeys(["b1", "b2"], "B"),
        **dict.fromkeys(["c1", "c2"], "C"),
        "z": "Zed",
    }
    # 6 + 2 + 1 would leave c1 alone.
    assert language_subsets(families, 9)["similar"] == "a1 a2 a3 a4 a5 b1 b2 c1 c2".split()


def test_lone_member_when_unavoidable():
    families = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "z": "Zed"}
    # Only pairs: an odd size needs a lone member; the plain rule takes one from B.
    assert language_subsets(families, 3)["similar"] == ["a1", "a2", "b1"]
    assert language_subsets(families, 5)["similar"] == ["a1", "a2", "b1", "b2", "z"]


def test_input_order_and_isolates():
    shuffled = dict(reversed(list(PAPER_FAMILIES.items())))
    assert language_subsets(shuffled, 11) == language_subsets(PAPER_FAMILIES, 11)
    families = {"x": "isolate", "y": "Isolate", "p": "P", "q": "P"}
    # Isolates are families of their own: "different" may take both.
    assert language_subsets(families, 3)["different"] == ["p", "x", "y"]
    assert language_subsets(families, 2)["similar"] == ["p", "q"]


@pytest.mark.parametrize("size", [1, 0, 34, 2.0, True])
def test_bad_sizes(size):
    with pytest.raises(ValueError, match="size"):
        language_subsets(PAPER_FAMILIES, size)


def test_bad_family_map():
    with pytest.raises(ValueError, match="family"):
        language_subsets({"a": "A", "b": ""}, 2)
    with pytest.raises(ValueError, match="non-empty mapping"):
        language_subsets({}, 2)
