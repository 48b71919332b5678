"""Tests of the language table and typological distances (xlt.languages.table)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import default_synthetic_spec
from xlt.data.sources import synthetic
from xlt.languages.table import (
    build_language_table,
    cosine_similarity,
    feature_sets,
    feature_vector,
    read_language_table,
    typological_distance,
    write_language_table,
)


def record(code, features, name=None):
    return {
        "code": code,
        "name": name or code.upper(),
        "family": "Test",
        "area": "Nowhere",
        "kind": "real",
        "features": features,
    }


@pytest.fixture
def table():
    return build_language_table(
        [
            record("zzb", {"syntax": {"S_SVO": 0, "S_SOV": 1}, "phonology": {"P_TONE": 1}}),
            record("zza", {"syntax": {"S_SVO": 1, "S_SOV": 0}}),
            record("nan", {"syntax": {"S_SVO": 1, "S_SOV": None}}, name="Min Nan"),
        ]
    )


@pytest.fixture(scope="module")
def ladder():
    spec = default_synthetic_spec()
    return build_language_table([synthetic.typology_record(spec, c) for c in spec["languages"]])


# --------------------------------------------------------------------------
# Cosine similarity, hand-checked


def test_cosine_hand_checked():
    # dot 1, norms sqrt(2) and sqrt(2): 1/2
    assert cosine_similarity([1, 0, 1], [1, 1, 0]) == pytest.approx(0.5)
    assert cosine_similarity([1, 2], [2, 4]) == pytest.approx(1.0)
    assert cosine_similarity([1, 0], [0, 1]) == 0.0
    assert cosine_similarity([1, 0], [-1, 0]) == pytest.approx(-1.0)


def test_cosine_of_zero_vector_is_zero_not_nan():
    assert cosine_similarity([0, 0, 0], [1, 1, 0]) == 0.0
    assert cosine_similarity([0, 0], [0, 0]) == 0.0


def test_cosine_shape_mismatch():
    with pytest.raises(ValueError, match="shapes"):
        cosine_similarity([1, 0], [1, 0, 0])


# --------------------------------------------------------------------------
# The table


def test_table_layout(table):
    assert list(table.columns) == [
        "code",
        "name",
        "family",
        "area",
        "kind",
        "iso639_3",  # lang2vec's code of a real language; empty here
        "phonology:P_TONE",
        "syntax:S_SOV",
        "syntax:S_SVO",
    ]
    assert list(table["code"]) == ["nan", "zza", "zzb"]  # sorted by code
    assert math.isnan(table.loc[0, "syntax:S_SOV"])  # None -> NaN
    assert math.isnan(table.loc[1, "phonology:P_TONE"])  # absent -> NaN
    assert table.loc[2, "phonology:P_TONE"] == 1.0
    assert feature_sets(table) == ["phonology", "syntax"]


def test_lang2vec_missing_marker():
    t = build_language_table([record("zza", {"syntax": {"S_SVO": "--", "S_SOV": 1}})])
    assert math.isnan(t.loc[0, "syntax:S_SVO"])


def test_bad_records():
    with pytest.raises(ValueError, match="duplicate language code 'zza'"):
        build_language_table([record("zza", {}), record("zza", {})])
    bad = record("zza", {})
    del bad["kind"]
    with pytest.raises(ValueError, match="missing kind"):
        build_language_table([bad])


def test_round_trip(tmp_path, table):
    path = tmp_path / "languages.tsv"
    write_language_table(table, path)
    back = read_language_table(path)
    pd.testing.assert_frame_equal(back, table)
    assert back.loc[0, "code"] == "nan"  # an ISO 639-3 code, not a missing value
    assert path.read_text(encoding="utf-8").splitlines()[0].split("\t")[:2] == ["code", "name"]


def test_features_are_one_block_of_floats(tmp_path, table):
    # selecting a set's columns is fast only without a block per column (a URIEL
    # table has thousands of feature columns)
    path = tmp_path / "languages.tsv"
    write_language_table(table, path)
    for frame in (table, read_language_table(path)):
        floats = [b for b in frame._mgr.blocks if b.dtype == np.float64]
        assert len(floats) == 1


def test_a_value_that_is_no_number_names_the_file_and_column(tmp_path, table):
    path = tmp_path / "languages.tsv"
    write_language_table(table, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[1].split("\t")
    column = next(i for i, name in enumerate(lines[0].split("\t")) if name == "syntax:S_SVO")
    header[column] = "yes"
    path.write_text("\n".join([lines[0], "\t".join(header), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"languages.tsv: column syntax:S_SVO: .*'yes'"):
        read_language_table(path)


def test_feature_vector(table):
    # columns in table order: S_SOV then S_SVO; a missing value counts as 0
    np.testing.assert_array_equal(feature_vector(table, "nan", ["syntax"]), [0.0, 1.0])
    np.testing.assert_array_equal(
        feature_vector(table, "zzb", ["syntax", "phonology"]), [1.0, 0.0, 1.0]
    )
    np.testing.assert_array_equal(feature_vector(table, "zza", ["phonology"]), [0.0])


def test_feature_vector_errors(table):
    with pytest.raises(ValueError, match="language 'xyz' is not in the language table"):
        feature_vector(table, "xyz", ["syntax"])
    with pytest.raises(ValueError, match="feature set 'syntax_knn' is not in the language table"):
        feature_vector(table, "zza", ["syntax_knn"])


def test_distance(table):
    assert typological_distance(table, "zza", "nan", ["syntax"]) == pytest.approx(0.0)
    assert typological_distance(table, "zza", "zzb", ["syntax"]) == pytest.approx(1.0)
    # zza has no phonology value: zero vector, distance 1 rather than NaN
    assert typological_distance(table, "zza", "zzb", ["phonology"]) == 1.0


# --------------------------------------------------------------------------
# The synthetic ladder


def test_ladder_columns(ladder):
    codes = ["qaa", "qab", "qac", "qad", "qae", "qaf", "qag", "qah", "qai", "qaj"]
    assert list(ladder["code"]) == codes
    assert "syntax:S_SVO" in ladder.columns
    assert "lexical:overlap_with_source" in ladder.columns
    assert set(ladder["kind"]) == {"synthetic"}
    assert ladder.loc[ladder["code"] == "qag", "lexical:overlap_with_source"].item() == 0.05


def test_distances_from_source_increase_along_the_ladder(ladder):
    sets = ["syntax", "morphology"]
    d = {code: typological_distance(ladder, "qaa", code, sets) for code in ("qab", "qad", "qag")}
    # by hand: qaa has S_SVO, ADP before, ADJ before, no affixes (M_ISOLATING) and
    # no contractions (M_NO_CONTRACTIONS): 5 ones, as every language has (one per
    # parameter); qab is identical; qad shares ADJ before and no contractions out
    # of its 5 (SOV, ADP after, ADJ before, suffixing, no contractions): cosine
    # 2/5; qag shares only no contractions: 1/5.
    assert d["qab"] == pytest.approx(0.0)
    assert d["qad"] == pytest.approx(1 - 2 / 5)
    assert d["qag"] == pytest.approx(1 - 1 / 5)
    assert d["qab"] < d["qad"] < d["qag"]


def test_the_iso_code_of_each_language_is_a_column(tmp_path):
    from xlt.languages.table import build_language_table, read_language_table, write_language_table

    records = [
        {"code": "zh", "name": "Chinese", "family": "Sino-Tibetan", "area": "", "kind": "uriel",
         "iso639_3": "cmn", "features": {"syntax_average": {"S_SVO": 1.0}}},
        {"code": "qaa", "name": "Source", "family": "Westic", "area": "Synthetic",
         "kind": "synthetic", "features": {"syntax": {"S_SVO": 1}}},
    ]  # fmt: skip
    path = tmp_path / "languages.tsv"
    write_language_table(build_language_table(records), path)
    table = read_language_table(path).set_index("code")
    assert table.loc["zh", "iso639_3"] == "cmn"
    assert table.loc["qaa", "iso639_3"] == ""  # synthetic: no lang2vec code
