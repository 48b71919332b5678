"""Tests for metadata/language_codes.tsv and its loader."""

from __future__ import annotations

import re
import warnings

import pytest

from xlt.languages import codes as lc

FACTORIZATION = (
    "aii am ar bm cy et eu fi fo gl gun he hsb hu hy id kk kmr ko kpv mt myv sme "
    "ta te th tl tr ug vi wo yo yue"
).split()
LAUSCHER = "ar eu zh fi he hi it ja ko ru sv tr".split()
XNLI = "en fr es de el bg ru tr ar vi th zh hi sw ur".split()


def write_table(tmp_path, rows: list[str]):
    header = "\t".join(lc.COLUMNS)
    path = tmp_path / "codes.tsv"
    path.write_text("# comment\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "code, wikiann",
    [("yue", "zh-yue"), ("gun", "gn"), ("aii", "arc"), ("kmr", "ku"), ("kpv", "kv"), ("sme", "se")],
)
def test_wikiann_renames(code, wikiann):
    assert lc.convert(code, "wikiann") == wikiann
    assert lc.code_for(wikiann, "wikiann") == code


def test_ud_code_is_the_pipeline_code():
    table = lc.load_codes()
    assert (table["ud"] == table["code"]).all()


def test_masakhaner_codes():
    assert {c: lc.convert(c, "masakhaner") for c in ["am", "wo", "yo", "bm"]} == {
        "am": "amh",
        "wo": "wol",
        "yo": "yor",
        "bm": "bam",
    }


def test_unknown_code():
    message = "unknown language code 'xx' (not in metadata/language_codes.tsv)"
    with pytest.raises(ValueError, match=re.escape(message)):
        lc.convert("xx", "wikiann")


def test_missing_mapping():
    with pytest.raises(ValueError, match=re.escape("language 'th' has no masakhaner code")):
        lc.convert("th", "masakhaner")


def test_missing_wikiann_in_a_custom_table(tmp_path):
    path = write_table(tmp_path, ["th\tThai\ttha\t\t\tth\t"])
    with pytest.raises(ValueError, match=re.escape("language 'th' has no wikiann code")):
        lc.convert("th", "wikiann", path=path)
    assert lc.convert("th", "iso639_3", path=path) == "tha"


def test_unknown_column():
    with pytest.raises(ValueError, match="unknown code column 'wals'"):
        lc.convert("fi", "wals")


def test_codes_unique_and_well_formed():
    table = lc.load_codes()
    assert table["code"].is_unique
    assert list(table.columns) == list(lc.COLUMNS)
    for column in lc.UNIQUE_COLUMNS:
        values = table.loc[table[column] != "", column]
        assert values.is_unique, column
    assert table["iso639_3"].str.fullmatch("[a-z]{3}").all()
    assert table["code"].str.fullmatch("[a-z]{2,3}").all()
    has_wikiann = table["wikiann"] != ""
    assert set(table.loc[has_wikiann, "wikiann_rahimi"]) <= {"yes", "no"}


def test_duplicate_code_rejected(tmp_path):
    path = write_table(
        tmp_path, ["fi\tFinnish\tfin\tfi\tyes\tfi\t", "fi\tFinn\tfin\tfi\tyes\tfi\t"]
    )
    with pytest.raises(ValueError, match="duplicate code values: fi"):
        lc.load_codes(path)


def test_required_languages_covered():
    known = set(lc.codes())
    required = set(FACTORIZATION) | {"en"} | set(LAUSCHER) | set(XNLI)
    assert required - known == set()
    assert len(FACTORIZATION) == 33


def test_factorization_languages_have_wikiann_codes():
    # Their NER data is WikiANN (Ponti et al. 2021); five exist only unsplit.
    not_rahimi = {c for c in FACTORIZATION if lc.convert(c, "wikiann_rahimi") == "no"}
    assert not_rahimi == {"bm", "kpv", "myv", "sme", "wo"}


def test_nan_like_codes_stay_strings(tmp_path):
    path = write_table(tmp_path, ["nan\tNanai\tgld\t\t\tnan\t"])
    assert lc.convert("nan", "iso639_3", path=path) == "gld"


def test_a_row_with_a_field_too_many_is_an_error_naming_its_line(tmp_path):
    # "nan" has eight fields for seven columns: a stray tab would shift no column but
    # drop the last field silently
    path = write_table(
        tmp_path, ["yue\tCantonese\tyue\tzh-yue\t\tyue\t", "nan\tN\tgld\t\t\tnan\t\tx"]
    )
    with pytest.raises(ValueError, match=r"codes.tsv, line 4: 8 fields for 7 columns"):
        lc.convert("yue", "wikiann", path=path)


def test_shared_data_languages_covered(shared_data):
    from xlt.data.sources.ud import scan_release

    ud_codes = set(scan_release(shared_data / "ud" / "ud-treebanks-sample"))
    assert ud_codes - set(lc.codes()) == set()
    panx = shared_data / "ner" / "panx-xtreme" / "download" / "panx"
    for path in panx.glob("train-*.tsv"):
        lc.code_for(path.stem.removeprefix("train-"), "wikiann")
    for path in (shared_data / "ner" / "wikiann-rahimi").iterdir():
        if path.is_dir():
            lc.code_for(path.name, "wikiann")
    for root in ["data", "MasakhaNER2.0/data"]:
        for path in (shared_data / "ner" / "masakhaner" / root).iterdir():
            if path.is_dir():
                lc.code_for(path.name, "masakhaner")


def test_iso639_3_codes_known_to_lang2vec_and_its_own_for_two_letter_codes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lang2vec imports the deprecated pkg_resources
        l2v = pytest.importorskip("lang2vec.lang2vec")
        from xlt.languages.uriel import uriel_languages

        known = uriel_languages()
    table = lc.load_codes()
    assert set(table["iso639_3"]) - known == set()
    two_letter = table[table["code"].str.len() == 2]
    # lang2vec's own ISO 639-1 -> 639-3 mapping, macrolanguages included (ar -> ara)
    ours = dict(zip(two_letter["code"], two_letter["iso639_3"], strict=True))
    assert ours == {code: l2v.LETTER_CODES[code] for code in two_letter["code"]}
    assert lc.convert("ar", "iso639_3") == "ara"
    assert lc.convert("zh", "iso639_3") == "zho"
