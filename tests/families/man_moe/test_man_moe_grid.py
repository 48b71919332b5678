"""The leave-one-out grid of MAN-MoE and what makes it impossible."""

from xlt.families.man_moe.runs import Run, grid_problems, leave_one_out


def test_every_language_is_the_target_once_and_the_others_its_sources():
    runs = leave_one_out(["en", "de", "es", "nl"], ["one_to_one", "pooled", "man_moe"])
    de = [run for run in runs if run.target == "de"]
    assert de == [
        Run("one_to_one", "de", ("en",)),
        Run("one_to_one", "de", ("es",)),
        Run("one_to_one", "de", ("nl",)),
        Run("pooled", "de", ("en", "es", "nl")),
        Run("man_moe", "de", ("en", "es", "nl")),
    ]
    # 4 targets x (3 single sources + 2 multi-source runs)
    assert len(runs) == 4 * 5
    assert {run.target for run in runs} == {"en", "de", "es", "nl"}
    assert all(run.target not in run.sources for run in runs)
    assert de[0].name == "one_to_one-en" and de[-1].name == "man_moe"


def test_impossible_grids_name_the_key():
    assert grid_problems(["en", "de", "es"], ["man_moe", "pooled"]) == []
    (two,) = grid_problems(["en", "de"], ["pooled", "man_moe", "no_man"])
    assert two.startswith("config key 'man_moe.languages': 2 language(s) leave each target 1")
    assert "man_moe, no_man mix one expert per source" in two
    assert grid_problems(["en", "de"], ["one_to_one", "pooled", "man"]) == []
    assert grid_problems(["en"], ["pooled"]) == [
        "config key 'man_moe.languages': leave-one-out needs two languages or more"
    ]
    (typo,) = grid_problems(["en", "de", "es"], ["man_mo"])
    assert typo.startswith("config key 'man_moe.systems[0]': unknown system 'man_mo' (known: ")
