"""The synthetic benchmark's configuration: its allowed values and validation.

Holds the parameter vocabularies (word orders, adposition and adjective sides,
affixation), the split, size and output keys, ``validate_spec`` with its
``_check_*`` helpers (errors name the offending ``synthetic.…`` config key),
``_language`` (one language's parameters with defaults filled in) and
``typology_record`` (a language's typological features for the language table).
"""

from __future__ import annotations

import re

WORD_ORDERS = ("SVO", "SOV", "VSO", "VOS", "OVS", "OSV")
ADPOSITIONS = ("preposition", "postposition")
ADJECTIVE_ORDERS = ("before", "after")
AFFIXES = ("none", "suffix", "prefix")
SPLITS = ("train", "dev", "test")
SIZE_KEYS = ("train", "dev", "test", "unlabelled")
OUTPUT_KEYS = (
    "ud_train",
    "ud_dev",
    "ud_test",
    "ner_train",
    "ner_dev",
    "ner_test",
    "xnli_train",
    "xnli_dev",
    "xnli_test",
    "sentiment_train",
    "sentiment_dev",
    "sentiment_test",
    "qa_train",
    "qa_dev",
    "qa_test",
    "unlabelled",
    "parallel",
    "typology",
)
ENTITY_TYPES = ("PER", "LOC", "ORG")
_CODE = re.compile(r"q[a-t][a-z]")
_LANGUAGE_KEYS = (
    "name",
    "family",
    "word_order",
    "adposition",
    "adjective",
    "affix",
    "contractions",
    "lexical_overlap",
)


# --------------------------------------------------------------------------
# Configuration


def _fail(key: str, message: str):
    raise ValueError(f"synthetic.{key}: {message}")


def _check_int(value, key: str, minimum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(key, f"{value!r} is not an integer")
    if minimum is not None and value < minimum:
        _fail(key, f"{value!r} is below the minimum {minimum}")


def _check_choice(value, key: str, allowed) -> None:
    if value not in allowed:
        _fail(key, f"{value!r} is not one of {', '.join(allowed)}")


def _check_language(code, params, key: str) -> None:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        _fail("languages", f"{code!r} is not an ISO 639 private-use code (qaa..qtz)")
    if not isinstance(params, dict):
        _fail(key, f"expected a mapping of parameters, got {params!r}")
    for name in params:
        if name not in _LANGUAGE_KEYS:
            _fail(f"{key}.{name}", f"unknown parameter (allowed: {', '.join(_LANGUAGE_KEYS)})")
    for name in ("word_order", "adposition", "adjective", "affix", "lexical_overlap"):
        if name not in params:
            _fail(f"{key}.{name}", "missing required parameter")
    _check_choice(params["word_order"], f"{key}.word_order", WORD_ORDERS)
    _check_choice(params["adposition"], f"{key}.adposition", ADPOSITIONS)
    _check_choice(params["adjective"], f"{key}.adjective", ADJECTIVE_ORDERS)
    _check_choice(params["affix"], f"{key}.affix", AFFIXES)
    contractions = params.get("contractions", False)
    if not isinstance(contractions, bool):
        _fail(f"{key}.contractions", f"{contractions!r} is not true or false")
    overlap = params["lexical_overlap"]
    if (
        isinstance(overlap, bool)
        or not isinstance(overlap, int | float)
        or not 0.0 <= overlap <= 1.0
    ):
        _fail(f"{key}.lexical_overlap", f"{overlap!r} is not a number in [0, 1]")
    for name in ("name", "family"):
        if name in params and not isinstance(params[name], str):
            _fail(f"{key}.{name}", f"{params[name]!r} is not a string")


def validate_spec(spec: dict) -> None:
    """Raise ValueError naming the config key (``synthetic.…``) of the first problem."""
    if not isinstance(spec, dict):
        raise ValueError(f"synthetic: expected a mapping, got {spec!r}")
    for name in ("seed", "source", "sizes", "languages"):
        if name not in spec:
            _fail(name, "missing required key")
    _check_int(spec["seed"], "seed")
    sizes = spec["sizes"]
    if not isinstance(sizes, dict):
        _fail("sizes", f"expected a mapping, got {sizes!r}")
    for name in SIZE_KEYS:
        if name not in sizes:
            _fail(f"sizes.{name}", "missing required key")
        _check_int(sizes[name], f"sizes.{name}", minimum=1)
    if "parallel" in sizes:
        _check_int(sizes["parallel"], "sizes.parallel", minimum=1)
    languages = spec["languages"]
    if not isinstance(languages, dict) or not languages:
        _fail("languages", "expected a non-empty mapping of language codes")
    for code, params in languages.items():
        _check_language(code, params, f"languages.{code}")
    source = spec["source"]
    if source not in languages:
        _fail("source", f"{source!r} is not one of synthetic.languages ({', '.join(languages)})")
    overlap = languages[source]["lexical_overlap"]
    if overlap != 1.0:
        _fail(
            f"languages.{source}.lexical_overlap",
            f"{overlap!r}: the source language overlaps fully with itself, set 1.0",
        )


def _language(spec: dict, code: str) -> dict:
    validate_spec(spec)
    if code not in spec["languages"]:
        _fail(
            "languages",
            f"no language {code!r} (configured: {', '.join(spec['languages'])})",
        )
    params = dict(spec["languages"][code])
    params.setdefault("contractions", False)
    params.setdefault("name", code)
    params.setdefault("family", "Synthetic")
    return params


# --------------------------------------------------------------------------
# Typology


# The language table's feature columns of every synthetic language, by set.
SYNTHETIC_FEATURES = {
    "syntax": [
        *(f"S_{order}" for order in WORD_ORDERS),
        "S_ADPOSITION_BEFORE_NOUN",
        "S_ADPOSITION_AFTER_NOUN",
        "S_ADJECTIVE_BEFORE_NOUN",
        "S_ADJECTIVE_AFTER_NOUN",
    ],
    "morphology": ["M_ISOLATING", "M_PREFIXING", "M_SUFFIXING", "M_CONTRACTIONS",
                   "M_NO_CONTRACTIONS"],
}  # fmt: skip


def typology_record(spec: dict, code: str) -> dict:
    """The language's typological features, in the language table's record format.

    Syntax features reuse URIEL/lang2vec names so that synthetic and real
    languages fill the same columns. The morphology names (M_ISOLATING,
    M_PREFIXING, M_SUFFIXING, M_CONTRACTIONS, M_NO_CONTRACTIONS) are our own:
    URIEL has no binary equivalents. Like the syntax columns, each parameter is
    one-hot over its values, so no language's vector is all zeros (a zero vector
    has no cosine: a language without affixes would be equally far from all).
    """
    p = _language(spec, code)
    syntax = {f"S_{order}": int(p["word_order"] == order) for order in WORD_ORDERS}
    syntax["S_ADPOSITION_BEFORE_NOUN"] = int(p["adposition"] == "preposition")
    syntax["S_ADPOSITION_AFTER_NOUN"] = int(p["adposition"] == "postposition")
    syntax["S_ADJECTIVE_BEFORE_NOUN"] = int(p["adjective"] == "before")
    syntax["S_ADJECTIVE_AFTER_NOUN"] = int(p["adjective"] == "after")
    morphology = {
        "M_ISOLATING": int(p["affix"] == "none"),
        "M_PREFIXING": int(p["affix"] == "prefix"),
        "M_SUFFIXING": int(p["affix"] == "suffix"),
        "M_CONTRACTIONS": int(p["contractions"]),
        "M_NO_CONTRACTIONS": int(not p["contractions"]),
    }
    return {
        "code": code,
        "name": p["name"],
        "family": p["family"],
        "area": "Synthetic",
        "kind": "synthetic",
        "features": {
            "syntax": syntax,
            "morphology": morphology,
            "lexical": {"overlap_with_source": float(p["lexical_overlap"])},
        },
    }
