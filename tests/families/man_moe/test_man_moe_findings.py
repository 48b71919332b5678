"""MAN-MoE's claims on per-sentence tables worked out by hand."""

import pandas as pd
import pytest

from xlt.core import findings
from xlt.core.findings import HOLDS, INCONCLUSIVE, Tables
from xlt.families.man_moe import findings as moe_findings


def sentences(system, sources, counts):
    return [{"task": "ner", "target": "t", "system": system, "sources": sources, "seed": 1,
             "sentence": i, "hits": h, "predicted": p, "gold": g}
            for i, (h, p, g) in enumerate(counts)]  # fmt: skip


def test_man_moe_against_the_best_single_source_on_the_same_sentences(tmp_path, claims):
    rows = (
        sentences("man_moe", "a+b", [(2, 2, 2)] * 10)  # F1 100
        + sentences("one_to_one", "a", [(1, 2, 2)] * 10)  # F1 50: the best source
        + sentences("one_to_one", "b", [(0, 2, 2)] * 10)  # F1 0
    )
    (tmp_path / "tables").mkdir()
    pd.DataFrame(rows).to_csv(tmp_path / "tables" / "man_moe_sentences.csv", index=False)
    evaluate = moe_findings.compare(("one_to_one", "man"))
    best, man = evaluate(claims["man_moe_above_baselines"], Tables(tmp_path, {}))
    # every sentence alike: 100 - 50 on every resample
    assert (best.value, best.low, best.high, best.n) == (50.0, 50.0, 50.0, 10)
    assert best.verdict == HOLDS
    assert (man.scope, man.verdict) == ("ner: MAN-MoE vs MAN", findings.NOT_TESTED)


def test_a_difference_on_one_sentence_in_ten_is_inconclusive(tmp_path, claims):
    rows = sentences("man_moe", "a+b", [(1, 1, 1)] + [(0, 0, 1)] * 9) + sentences(
        "pooled", "a+b", [(0, 0, 1)] * 10
    )
    (tmp_path / "tables").mkdir()
    pd.DataFrame(rows).to_csv(tmp_path / "tables" / "man_moe_sentences.csv", index=False)
    [row] = moe_findings.compare(("pooled",))(
        claims["man_moe_above_baselines"], Tables(tmp_path, {})
    )
    # F1 = 2 * 1 / (1 + 10) = 18.18 vs 0; a resample without sentence 0 gives 0
    assert row.value == pytest.approx(200 / 11)
    assert row.low == 0.0 and row.verdict == INCONCLUSIVE
