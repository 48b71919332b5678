"""Real languages in the language table: URIEL vectors from lang2vec, and corpus sizes.

``uriel_record`` turns a language's lang2vec vectors into a record of the shape
``xlt.languages.table.build_language_table`` takes (the same shape as
``xlt.data.sources.synthetic.typology_record``). ``cosine_similarities`` gives the per-set
similarities of targets to a reference language (SYN, PHON, INV, FAM, GEO of
Lauscher et al. 2020, sec. 3.3), and ``size_feature`` their SIZE feature from
``metadata/pretraining_corpora.tsv``.

Choices, and what lang2vec 1.1.2 does that they work around:

* **Known languages.** lang2vec's ``URIEL_LANGUAGES`` / ``available_uriel_languages()``
  is not the list of languages in its databases: the function enumerates a mask
  over *features* and so returns the first 3718 of the 7970 codes (``ara`` and
  ``zho``, for example, are missing although lang2vec has vectors for them). A
  code is therefore checked against the ``langs`` array of lang2vec's own
  database files, which is the check ``get_features`` itself makes and is the
  same 7970 codes in every file.
* **Family.** URIEL's ``fam`` set is Glottolog's family tree flattened into one
  binary feature per node, set to 1 for the language and all its ancestors. The
  top-level family is the set feature with the most member languages in the
  whole database (an ancestor has at least as many members as any of its
  descendants, so that is the root); ties go to the feature that comes first in
  lang2vec's order. The name is the feature name without ``F_``
  (``F_Indo-European`` -> ``Indo-European``). A language with no family feature
  (an isolate such as Basque, ``eus``) gets the family ``""``.
* **Area.** The ``geo`` set holds distances to 299 fixed points on the globe, not
  areal groupings, and URIEL has no area feature, so no area is derived: the
  record's area is ``""`` (an empty string rather than None, because the table
  stores its meta columns as strings and None would become the text "None").
* **Missing values.** lang2vec writes ``--`` for a missing value; it becomes None
  in the record and NaN in the table. The default ``*_knn`` sets are imputed and
  have no missing values.
* **Zero vectors.** A language whose vector over the chosen sets is all zeros
  (``fam`` for an isolate) has cosine similarity 0.0 with every language, never
  NaN (``xlt.languages.table.cosine_similarity``).
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import math
import os
import re
import sys
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from xlt.core.paths import METADATA
from xlt.languages.table import cosine_similarity, feature_vector

FEATURE_SETS = ["syntax_knn", "phonology_knn", "inventory_knn", "fam", "geo"]

# The URIEL sets a config may name, with their column labels of cosine_similarities
# (Lauscher et al. 2020, Table 2).
SET_LABELS = {
    "syntax_knn": "SYN",
    "syntax_average": "SYN",
    "phonology_knn": "PHON",
    "phonology_average": "PHON",
    "inventory_knn": "INV",
    "inventory_average": "INV",
    "fam": "FAM",
    "geo": "GEO",
}

PRETRAINING_CORPORA = METADATA / "pretraining_corpora.tsv"

# Per model: the column saying whether the language was in its pretraining data,
# and the size columns (the first is the default measure). Bytes for both
# models by default: CC-100 sizes are published in GiB, Wikipedia sizes as bytes
# of extracted text; z-normalisation makes the units irrelevant.
MODELS = {
    "mbert": ("mbert", ("wiki_text_bytes", "wiki_dump_bytes", "wiki_tokens", "wiki_articles")),
    "xlmr": ("xlmr", ("cc100_gib", "cc100_tokens_m")),
}

_ISO639_3 = re.compile(r"[a-z]{3}")
_MISSING = "--"


# --------------------------------------------------------------------------
# lang2vec access


@contextlib.contextmanager
def _without_shadow():
    """A context in which ``lang2vec`` names the package. lang2vec installs a console
    script lang2vec.py beside the interpreter; a program started from that folder
    (snakemake, while it builds the DAG) has it first on sys.path, where it shadows
    the package: the folder is left out of sys.path meanwhile."""
    spec = importlib.util.find_spec("lang2vec")
    shadow = spec is not None and spec.submodule_search_locations is None and spec.origin
    saved = list(sys.path)
    if shadow:
        folder = os.path.dirname(os.path.abspath(spec.origin))
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != folder]
    try:
        yield
    finally:
        sys.path[:] = saved


@cache
def _lang2vec():
    """The lang2vec module, imported on first use (the import takes seconds: it
    reads its learned vectors then)."""
    with _without_shadow(), warnings.catch_warnings():
        # lang2vec imports pkg_resources, which warns that it is deprecated.
        warnings.simplefilter("ignore")
        import lang2vec.lang2vec as l2v
    return l2v


@cache
def _data_dir() -> Path:
    """lang2vec's database folder, found without importing lang2vec."""
    with _without_shadow():
        spec = importlib.util.find_spec("lang2vec")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("lang2vec is not installed (pip install lang2vec)")
    return (Path(list(spec.submodule_search_locations)[0]) / "data").resolve()


@cache
def _database(filename: str) -> dict[str, np.ndarray]:
    """Every array of one of lang2vec's .npz database files, read once."""
    with np.load(_data_dir() / filename) as arrays:
        return {name: arrays[name] for name in arrays.files}


class _NumpyReadingOnce:
    """numpy as lang2vec's ``get_features`` sees it in ``_read_once``: ``load`` of
    a database file gives its arrays read once (``_database``). lang2vec looks an
    array up in the lazily read file once per feature (about 4300 times for a set
    of ``feature_predictions.npz``), decompressing it each time: seconds per set."""

    def load(self, path, *args, **kwargs):
        """``numpy.load``, but a database file's arrays come from ``_database``."""
        path = Path(path).resolve()
        if args or kwargs or path.parent != _data_dir() or path.suffix != ".npz":
            return np.load(path, *args, **kwargs)
        return _database(path.name)

    def __getattr__(self, name):
        return getattr(np, name)


@contextlib.contextmanager
def _read_once():
    """The lang2vec module, made to read its database files once
    (``_NumpyReadingOnce``) while the context lasts; the values it returns are the same."""
    l2v = _lang2vec()
    saved, l2v.np = l2v.np, _NumpyReadingOnce()
    try:
        yield l2v
    finally:
        l2v.np = saved


@cache
def _letter_codes() -> dict[str, str]:
    """lang2vec's ISO 639-1 -> 639-3 map (its ``LETTER_CODES``), read from its file."""
    return json.loads((_data_dir() / "letter_codes.json").read_text(encoding="utf-8"))


@cache
def uriel_languages() -> frozenset[str]:
    """Every ISO 639-3 code lang2vec has URIEL vectors for (7970 in lang2vec 1.1.2)."""
    return frozenset(str(code) for code in _database("family_features.npz")["langs"])


@cache
def _families() -> tuple[dict[str, int], list[str], np.ndarray]:
    """Row index per language, family feature names, and member count per family."""
    db = _database("family_features.npz")
    langs = {str(code): i for i, code in enumerate(db["langs"])}
    names = [str(name) for name in db["feats"]]
    data = db["data"][:, :, 0]
    members = (data == 1).sum(axis=0)
    return langs, names, members


def _family_rows(iso_codes: list[str]) -> dict[str, np.ndarray]:
    langs, _, _ = _families()
    data = _database("family_features.npz")["data"]
    return {iso: np.flatnonzero(data[langs[iso], :, 0] == 1) for iso in iso_codes}


def top_level_family(iso639_3: str) -> str:
    """The language's top-level URIEL family (see module doc), or "" if it has none."""
    _check_known(iso639_3)
    return _top_family(_family_rows([iso639_3])[iso639_3])


def _top_family(indices: np.ndarray) -> str:
    if len(indices) == 0:
        return ""
    _, names, members = _families()
    best = min(indices, key=lambda j: (-int(members[j]), int(j)))
    name = names[best]
    return name[2:] if name.startswith("F_") else name


def _check_known(iso639_3: str) -> None:
    if not isinstance(iso639_3, str) or iso639_3 not in uriel_languages():
        hint = ""
        letter = _letter_codes().get(iso639_3) if isinstance(iso639_3, str) else None
        if letter:
            hint = f" (an ISO 639-1 code? lang2vec's ISO 639-3 code for it is {letter!r})"
        elif isinstance(iso639_3, str) and not _ISO639_3.fullmatch(iso639_3):
            hint = " (expected a three-letter ISO 639-3 code)"
        raise ValueError(f"lang2vec/URIEL has no language {iso639_3!r}{hint}")


def _check_sets(feature_sets) -> list[str]:
    sets = list(feature_sets)
    if not sets:
        raise ValueError("no feature sets given")
    known = _lang2vec().FEATURE_SETS_DICT
    for name in sets:
        if name not in known or name == "learned":
            allowed = ", ".join(s for s in known if s != "learned")
            raise ValueError(f"unknown lang2vec feature set {name!r} (known: {allowed})")
    if len(set(sets)) != len(sets):
        raise ValueError(f"feature sets listed twice: {sets}")
    return sets


def set_features(feature_set: str) -> list[str]:
    """The feature names of lang2vec set ``feature_set`` (``S_SVO``, ... for
    syntax_wals); an unknown set is a ValueError naming the known ones."""
    _check_sets([feature_set])
    with _read_once() as l2v:
        header = l2v.get_features(["eng"], feature_set, header=True)["CODE"]
    return [str(name) for name in header]


def _value(value):
    if isinstance(value, str):
        if value == _MISSING:
            return None
        raise ValueError(f"unexpected lang2vec value {value!r}")
    return float(value)


# --------------------------------------------------------------------------
# Records


def uriel_records(
    languages: dict[str, str],
    names: dict[str, str] | None = None,
    feature_sets=FEATURE_SETS,
) -> list[dict]:
    """Records for several languages at once (one lang2vec query per feature set).

    ``languages`` maps each pipeline code to its ISO 639-3 code; ``names``
    optionally maps pipeline codes to names (default: the pipeline code).
    """
    sets = _check_sets(feature_sets)
    if not languages:
        return []
    for iso in languages.values():
        _check_known(iso)
    names = names or {}
    isos = list(dict.fromkeys(languages.values()))
    per_set = {}
    for set_name in sets:
        with _read_once() as l2v:
            result = l2v.get_features(isos, set_name, header=True)
        header = [str(feature) for feature in result["CODE"]]
        if len(set(header)) != len(header):
            raise ValueError(f"lang2vec set {set_name!r} has duplicate feature names")
        per_set[set_name] = (header, result)
    families = _family_rows(isos)
    records = []
    for code, iso in languages.items():
        features = {
            set_name: {f: _value(v) for f, v in zip(header, result[iso], strict=True)}
            for set_name, (header, result) in per_set.items()
        }
        records.append(
            {
                "code": code,
                "name": names.get(code, code),
                "family": _top_family(families[iso]),
                "area": "",
                "kind": "uriel",
                "iso639_3": iso,
                "features": features,
            }
        )
    return records


def uriel_record(code: str, iso639_3: str, name: str | None = None, feature_sets=FEATURE_SETS):
    """The language-table record of one real language from lang2vec/URIEL.

    ``code`` is the pipeline's code (the table's key), ``iso639_3`` the code
    lang2vec knows the language by; ``name`` defaults to ``code``. Features are
    keyed by feature set, then by lang2vec's feature name; missing values are
    None. Raises ValueError for a code lang2vec does not know.
    """
    names = {code: name} if name is not None else None
    return uriel_records({code: iso639_3}, names, feature_sets)[0]


def recoded(table: pd.DataFrame, iso_codes: dict[str, str]) -> pd.DataFrame:
    """The language table with the rows of some languages read from lang2vec
    under another ISO 639-3 code (``{pipeline code: iso639_3}``, say
    ``{"zh": "cmn"}`` for Mandarin instead of the Chinese macrolanguage), over
    the same URIEL feature sets; every other row, and the columns, unchanged."""
    from xlt.languages.table import build_language_table, feature_sets

    unknown = sorted(set(iso_codes) - set(table["code"]))
    if unknown:
        raise ValueError(
            f"languages {', '.join(unknown)} are not in the language table "
            f"(known: {', '.join(table['code'])})"
        )
    if not iso_codes:
        return table.copy()
    sets = [s for s in feature_sets(table) if s in _lang2vec().FEATURE_SETS_DICT]
    names = dict(zip(table["code"], table["name"], strict=True))
    records = uriel_records(dict(iso_codes), {c: names[c] for c in iso_codes}, sets)
    fresh = build_language_table(records).reindex(columns=table.columns)
    kept = table[~table["code"].isin(list(iso_codes))]
    merged = pd.concat([kept, fresh], ignore_index=True)
    return merged.sort_values("code", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------
# Similarities


def cosine_similarities(
    table: pd.DataFrame, target_codes, reference: str, sets=FEATURE_SETS
) -> pd.DataFrame:
    """Cosine similarity of each target to ``reference``, one column per feature set.

    Rows are the targets in the given order (index ``target``); columns are
    labelled SYN, PHON, INV, FAM, GEO for the sets of Lauscher et al. (2020,
    sec. 3.3) and by the set name otherwise. A zero vector gives 0.0.
    """
    sets = list(sets)
    if not sets:
        raise ValueError("no feature sets given")
    targets = list(target_codes)
    if len(set(targets)) != len(targets):
        raise ValueError(f"target languages listed twice: {targets}")
    columns = [SET_LABELS.get(s, s) for s in sets]
    if len(set(columns)) != len(columns):
        raise ValueError(f"feature sets {sets} map to the same column")
    rows = []
    for target in targets:
        rows.append(
            [
                cosine_similarity(
                    feature_vector(table, target, [s]), feature_vector(table, reference, [s])
                )
                for s in sets
            ]
        )
    index = pd.Index(targets, name="target", dtype=object)
    return pd.DataFrame(rows, index=index, columns=columns, dtype=float)


# --------------------------------------------------------------------------
# Pretraining corpus sizes (SIZE)


def read_pretraining_corpora(path=None) -> list[dict[str, str]]:
    """The rows of ``metadata/pretraining_corpora.tsv`` (``#`` lines are comments)."""
    path = Path(path) if path is not None else PRETRAINING_CORPORA
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    rows = []
    for row in reader:
        if None in row:  # more fields than the header names
            raise ValueError(
                f"{path}: the row of {row[reader.fieldnames[0]]!r} has "
                f"{len(reader.fieldnames) + len(row[None])} fields for "
                f"{len(reader.fieldnames)} columns (a tab too many?)"
            )
        rows.append(row)
    seen = set()
    for row in rows:
        if row["code"] in seen:
            raise ValueError(f"{path}: language {row['code']!r} listed twice")
        seen.add(row["code"])
    return rows


ENCODER_CORPORA = {"bert-base-multilingual": "mbert", "xlm-roberta": "xlmr"}


def size_model(encoder: str) -> str | None:
    """Whose pretraining corpus sizes describe ``encoder`` (a hub id or path):
    ``mbert`` (Wikipedia), ``xlmr`` (CC-100), or None."""
    name = encoder.rstrip("/").rsplit("/", 1)[-1]
    return next((m for prefix, m in ENCODER_CORPORA.items() if name.startswith(prefix)), None)


def pretraining_sizes(model: str, measure: str | None = None, path=None) -> dict[str, float]:
    """Size of each language's part of the pretraining corpus of ``model``.

    ``model`` is "mbert" (Wikipedia; default measure: bytes of extracted text) or
    "xlmr" (CC-100; default measure: GiB). A language the model was not
    pretrained on gets 0.0; a language whose size the sources do not give
    (empty cell) is left out.
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (known: {', '.join(MODELS)})")
    member_column, measures = MODELS[model]
    measure = measures[0] if measure is None else measure
    if measure not in measures:
        raise ValueError(f"unknown measure {measure!r} for {model} (known: {', '.join(measures)})")
    sizes = {}
    for row in read_pretraining_corpora(path):
        member = row[member_column]
        if member == "n":
            sizes[row["code"]] = 0.0
        elif member != "y":
            raise ValueError(f"language {row['code']!r}: {member_column}={member!r}, not y or n")
        elif row[measure] != "":
            sizes[row["code"]] = float(row[measure])
    return sizes


def size_feature(
    codes, model: str, measure: str | None = None, log: bool = False, path=None
) -> dict[str, float]:
    """SIZE of Lauscher et al. (2020): corpus size z-normalised over ``codes``.

    z = (x - mean) / std with the population standard deviation (ddof=0), mean
    and std taken over exactly the given languages. ``log=True`` normalises
    log(size) instead (undefined for a language with size 0). Raises ValueError
    for a language without a known size, for fewer than two languages, or when
    all sizes are equal.
    """
    codes = list(codes)
    if len(set(codes)) != len(codes):
        raise ValueError(f"languages listed twice: {codes}")
    if len(codes) < 2:
        raise ValueError("z-normalisation needs at least two languages")
    sizes = pretraining_sizes(model, measure, path)
    unknown = [code for code in codes if code not in sizes]
    if unknown:
        raise ValueError(f"no {model} pretraining size for {', '.join(unknown)}")
    values = np.array([sizes[code] for code in codes], dtype=float)
    if log:
        zero = [code for code, value in zip(codes, values, strict=True) if value <= 0]
        if zero:
            raise ValueError(f"log size undefined for size 0: {', '.join(zero)}")
        values = np.log(values)
    std = float(values.std())
    if std == 0.0 or not math.isfinite(std):
        raise ValueError(f"all {model} sizes are equal over {codes}: z-scores undefined")
    z = (values - values.mean()) / std
    return {code: float(value) for code, value in zip(codes, z, strict=True)}
