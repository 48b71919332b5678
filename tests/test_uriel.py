"""URIEL records from lang2vec, per-set similarities and the SIZE feature.

lang2vec takes seconds to import and to read its family database, so every
record comes from one module-scoped query.
"""

import math

import numpy as np
import pytest

from xlt.languages.table import META_COLUMNS, build_language_table, typological_distance
from xlt.languages.uriel import (
    FEATURE_SETS,
    cosine_similarities,
    pretraining_sizes,
    read_pretraining_corpora,
    size_feature,
    uriel_record,
    uriel_records,
)

LANGUAGES = {"en": "eng", "de": "deu", "fi": "fin", "yue": "yue", "eu": "eus"}
SET_SIZES = {"syntax_knn": 103, "phonology_knn": 28, "inventory_knn": 158, "fam": 3718, "geo": 299}
LAUSCHER_TARGETS = "en ar eu zh fi he hi it ja ko ru sv tr".split()
PONTI_LANGUAGES = (
    "aii am ar bm cy et eu fi fo gl gun he hsb hu hy id kk kmr ko kpv mt myv sme ta te th tl "
    "tr ug vi wo yo yue"
).split()


@pytest.fixture(scope="module")
def records():
    names = {"en": "English", "de": "German", "fi": "Finnish", "yue": "Cantonese", "eu": "Basque"}
    return {r["code"]: r for r in uriel_records(LANGUAGES, names)}


@pytest.fixture(scope="module")
def table(records):
    return build_language_table(list(records.values()))


def test_records_have_the_table_shape_and_lang2vec_feature_names(records):
    en = records["en"]
    assert (en["code"], en["name"], en["kind"], en["iso639_3"]) == ("en", "English", "uriel", "eng")
    assert {s: len(f) for s, f in en["features"].items()} == SET_SIZES
    assert list(en["features"]) == FEATURE_SETS
    assert en["features"]["syntax_knn"]["S_SVO"] == 1.0
    assert en["features"]["syntax_knn"]["S_SOV"] == 0.0
    assert en["features"]["fam"]["F_Indo-European"] == 1.0
    # lang2vec writes spaces in feature names as underscores
    assert "F_Nuclear_Austronesian" in en["features"]["fam"]
    assert all(isinstance(v, float) for v in en["features"]["geo"].values())


def test_records_hold_the_values_lang2vec_itself_gives(records):
    # records are read with lang2vec's database files loaded once (uriel._read_once);
    # lang2vec left as it is gives the same values, "--" (missing) as None
    l2v = pytest.importorskip("lang2vec.lang2vec")
    assert l2v.np is np  # the read-once numpy is lang2vec's only inside the context
    for feature_set in ("syntax_knn", "fam"):
        plain = l2v.get_features(["deu", "eus"], feature_set, header=True)
        for code, iso in (("de", "deu"), ("eu", "eus")):
            values = records[code]["features"][feature_set]
            assert list(values) == [str(name) for name in plain["CODE"]]
            assert list(values.values()) == [
                None if value == "--" else float(value) for value in plain[iso]
            ]


def test_top_level_family_is_the_largest_family_feature(records):
    families = {code: r["family"] for code, r in records.items()}
    assert families == {
        "en": "Indo-European",
        "de": "Indo-European",
        "fi": "Uralic",
        "yue": "Sino-Tibetan",
        "eu": "",  # Basque: URIEL lists no family
    }
    assert {r["area"] for r in records.values()} == {""}


def test_table_from_en_fi_yue_has_the_expected_columns(records):
    table = build_language_table([records[c] for c in ("yue", "en", "fi")])
    assert list(table["code"]) == ["en", "fi", "yue"]
    assert list(table.columns[: len(META_COLUMNS)]) == list(META_COLUMNS)
    assert list(table["iso639_3"]) == ["eng", "fin", "yue"]  # the codes lang2vec was asked
    features = [col for col in table.columns if ":" in col]
    assert len(features) == sum(SET_SIZES.values()) == 4306
    prefixes = {col.split(":", 1)[0] for col in features}
    assert prefixes == set(FEATURE_SETS)
    for col in ("syntax_knn:S_SVO", "phonology_knn:P_VOICE", "fam:F_Uralic", "geo:GC_81_20"):
        assert col in table.columns
    assert list(table["family"]) == ["Indo-European", "Uralic", "Sino-Tibetan"]
    assert set(table["kind"]) == {"uriel"}
    assert not table[features].isna().any().any()


def test_one_cosine_by_hand(table):
    l2v = pytest.importorskip("lang2vec.lang2vec")
    raw = l2v.get_features(["eng", "deu"], "syntax_knn", header=True)
    eng = np.array(raw["eng"], dtype=float)
    deu = np.array(raw["deu"], dtype=float)
    # syntax_knn is binary: 37 features set for English, 43 for German, 36 shared
    assert (eng.sum(), deu.sum(), (eng * deu).sum()) == (37, 43, 36)
    by_hand = 36 / math.sqrt(37 * 43)
    assert by_hand == pytest.approx(0.902541979)
    assert float(eng @ deu / (np.linalg.norm(eng) * np.linalg.norm(deu))) == pytest.approx(by_hand)
    sims = cosine_similarities(table, ["de"], "en", ["syntax_knn"])
    assert sims.loc["de", "SYN"] == pytest.approx(by_hand)
    assert typological_distance(table, "en", "de", ["syntax_knn"]) == pytest.approx(1 - by_hand)


def test_cosine_similarities_one_row_per_target_one_column_per_set(table):
    sims = cosine_similarities(table, ["de", "fi", "en"], "en")
    assert list(sims.index) == ["de", "fi", "en"]
    assert sims.index.name == "target"
    assert list(sims.columns) == ["SYN", "PHON", "INV", "FAM", "GEO"]
    assert sims.loc["en"].tolist() == pytest.approx([1.0] * 5)
    assert sims.loc["fi", "FAM"] == 0.0  # no family feature in common
    assert 0.0 < sims.loc["de", "FAM"] < 1.0
    assert not sims.isna().any().any()
    with pytest.raises(ValueError, match="listed twice"):
        cosine_similarities(table, ["de", "de"], "en")
    with pytest.raises(ValueError, match="not in the language table"):
        cosine_similarities(table, ["ja"], "en")


def test_isolate_family_similarity_is_zero_not_nan(records, table):
    assert not any(records["eu"]["features"]["fam"].values())  # all-zero fam vector
    assert typological_distance(table, "eu", "en", ["fam"]) == 1.0
    assert typological_distance(table, "eu", "eu", ["fam"]) == 1.0
    sims = cosine_similarities(table, ["eu"], "en", ["fam", "syntax_knn"])
    assert sims.loc["eu", "FAM"] == 0.0
    assert not math.isnan(sims.loc["eu", "FAM"])
    assert sims.loc["eu", "SYN"] > 0.0


def test_unknown_language_is_an_error_naming_it():
    with pytest.raises(ValueError, match="lang2vec/URIEL has no language 'xyz'"):
        uriel_record("xx", "xyz")
    with pytest.raises(ValueError, match="ISO 639-3 code for it is 'eng'"):
        uriel_record("en", "en")
    with pytest.raises(ValueError, match="unknown lang2vec feature set 'syntax'"):
        uriel_record("en", "eng", feature_sets=["syntax"])


def test_missing_values_become_none_then_nan():
    # the WALS-only syntax set is not imputed: Basque lacks 21 of its 103 features
    record = uriel_record("eu", "eus", name="Basque", feature_sets=["syntax_wals"])
    values = list(record["features"]["syntax_wals"].values())
    assert len(values) == 103
    assert sum(v is None for v in values) == 21
    table = build_language_table([record])
    assert int(table.filter(like="syntax_wals:").isna().sum(axis=1).iloc[0]) == 21


# --------------------------------------------------------------------------
# Pretraining corpus sizes


def test_a_corpus_row_with_a_field_too_many_is_an_error(tmp_path):
    path = tmp_path / "corpora.tsv"
    path.write_text("# sizes\ncode\tmbert\txlmr\nen\ty\ty\nfy\ty\tn\t12\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"corpora.tsv: the row of 'fy' has 4 fields for 3 columns"
    ):
        read_pretraining_corpora(path)


def test_corpus_table_covers_the_papers_languages():
    rows = {row["code"]: row for row in read_pretraining_corpora()}
    assert set(LAUSCHER_TARGETS) <= set(rows)
    assert set(PONTI_LANGUAGES) <= set(rows)
    for code, row in rows.items():
        assert row["mbert"] in ("y", "n") and row["xlmr"] in ("y", "n"), code
        # CC-100 cells are filled exactly for the languages XLM-R was trained on
        filled = row["cc100_gib"] != "" and row["cc100_tokens_m"] != ""
        assert filled == (row["xlmr"] == "y"), code
        for col in ("wiki_articles", "wiki_dump_bytes", "wiki_text_bytes", "wiki_tokens"):
            assert row[col] == "" or int(row[col]) > 0, (code, col)
    for code in LAUSCHER_TARGETS:
        assert rows[code]["mbert"] == rows[code]["xlmr"] == "y", code


def test_pretraining_sizes_from_the_published_tables():
    xlmr = pretraining_sizes("xlmr")
    # Conneau et al. 2020, Table 6: English 300.8 GiB, Finnish 54.3 GiB;
    # zh = Chinese (Simplified) 46.9 + Chinese (Traditional) 16.6
    assert (xlmr["en"], xlmr["fi"], xlmr["zh"]) == (300.8, 54.3, 63.5)
    assert pretraining_sizes("xlmr", "cc100_tokens_m")["en"] == 55608
    mbert = pretraining_sizes("mbert")
    assert mbert["en"] == 14204367805
    assert pretraining_sizes("mbert", "wiki_articles")["sv"] == 3652646
    # not in the model's pretraining languages: size 0
    assert xlmr["yue"] == 0.0 and mbert["yue"] == 0.0
    assert xlmr["yo"] == 0.0 and mbert["yo"] > 0.0
    with pytest.raises(ValueError, match="unknown model"):
        pretraining_sizes("mt5")
    with pytest.raises(ValueError, match="unknown measure"):
        pretraining_sizes("xlmr", "wiki_tokens")


def test_size_feature_is_z_normalised_over_the_given_languages():
    # XLM-R: en 300.8, fi 54.3, sv 85.0 GiB; mean 146.7;
    # population variance (154.1² + 92.4² + 61.7²) / 3 = 36091.46 / 3
    std = math.sqrt(36091.46 / 3)
    z = size_feature(["en", "fi", "sv"], "xlmr")
    assert list(z) == ["en", "fi", "sv"]
    assert z["en"] == pytest.approx(154.1 / std)
    assert z["fi"] == pytest.approx(-92.4 / std)
    assert z["sv"] == pytest.approx(-61.7 / std)
    assert z["en"] == pytest.approx(1.404950556)
    assert sum(z.values()) == pytest.approx(0.0, abs=1e-12)
    logz = size_feature(["en", "fi", "sv"], "xlmr", log=True)
    logs = np.log([300.8, 54.3, 85.0])
    assert logz["fi"] == pytest.approx((logs[1] - logs.mean()) / logs.std())


def test_size_feature_errors(tmp_path):
    path = tmp_path / "sizes.tsv"
    path.write_text(
        "# comment\n"
        "code\tmbert\twiki_text_bytes\twiki_dump_bytes\twiki_tokens\twiki_articles\n"
        "aa\ty\t10\t\t\t\n"
        "bb\ty\t10\t\t\t\n"
        "cc\tn\t5\t\t\t\n"
        "dd\ty\t\t\t\t\n",
        encoding="utf-8",
    )
    assert pretraining_sizes("mbert", path=path) == {"aa": 10.0, "bb": 10.0, "cc": 0.0}
    assert size_feature(["aa", "cc"], "mbert", path=path) == {"aa": 1.0, "cc": -1.0}
    with pytest.raises(ValueError, match="no mbert pretraining size for dd"):
        size_feature(["aa", "dd"], "mbert", path=path)
    with pytest.raises(ValueError, match="all mbert sizes are equal"):
        size_feature(["aa", "bb"], "mbert", path=path)
    with pytest.raises(ValueError, match="log size undefined"):
        size_feature(["aa", "cc"], "mbert", log=True, path=path)
    with pytest.raises(ValueError, match="at least two"):
        size_feature(["aa"], "mbert", path=path)
    with pytest.raises(ValueError, match="listed twice"):
        size_feature(["aa", "aa"], "mbert", path=path)


def test_recoded_reads_some_languages_under_other_iso_codes(table):
    from xlt.languages.uriel import recoded

    # Cantonese read as Mandarin: lang2vec's cmn row in place of yue's, the rest as it was
    other = recoded(table, {"yue": "cmn"})
    assert list(other.columns) == list(table.columns) and list(other.code) == list(table.code)
    row = other.set_index("code").loc["yue"]
    cmn = uriel_record("yue", "cmn", "Cantonese")
    assert row.iso639_3 == "cmn" and row["name"] == "Cantonese"
    for feature, value in cmn["features"]["syntax_knn"].items():
        assert row[f"syntax_knn:{feature}"] == value
    unchanged = other[other.code != "yue"].reset_index(drop=True)
    expected = table[table.code != "yue"].reset_index(drop=True)
    assert unchanged.equals(expected)
    with pytest.raises(ValueError, match="languages sw are not in the language table"):
        recoded(table, {"sw": "swh"})
    with pytest.raises(ValueError, match="lang2vec/URIEL has no language 'xyz'"):
        recoded(table, {"yue": "xyz"})


def test_lang2vec_found_past_its_console_script(tmp_path, monkeypatch):
    # lang2vec's console script bin/lang2vec.py comes first on sys.path when the running
    # program lives in bin/ (snakemake building the DAG); importing it fails
    import sys

    from xlt.languages import uriel

    (tmp_path / "lang2vec.py").write_text("raise RuntimeError('the console script')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "lang2vec" or m.startswith("lang2vec.")]:
        monkeypatch.delitem(sys.modules, name)
    uriel._lang2vec.cache_clear()
    uriel._data_dir.cache_clear()
    try:
        # its database folder, found without importing it
        assert (uriel._data_dir() / "family_features.npz").is_file()
        assert "lang2vec.lang2vec" not in sys.modules
        module = uriel._lang2vec()
        assert module.__name__ == "lang2vec.lang2vec" and hasattr(module, "get_features")
        assert sys.path[0] == str(tmp_path)  # sys.path restored
    finally:
        uriel._lang2vec.cache_clear()
        uriel._data_dir.cache_clear()
