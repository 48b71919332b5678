"""XNLI through Hugging Face ``datasets``: English MultiNLI train (or XNLI-MT's
translations of it), per-language dev/test
(the ``download_xnli`` rule writes them in XTREME's layout, ``xlt.data.sources.xnli``).

Zero-shot XNLI (Lauscher et al. 2020; Wu et al. 2022) trains on the English
MultiNLI training set and evaluates on the human-translated XNLI dev and test
sets of each language:

* ``train``: English from hub ``nyu-mll/multi_nli``, split ``train``; another
  language from ``facebook/xnli``, config = language code, split ``train``,
  which is XNLI-MT 1.0's machine translation of MultiNLI (asked for only under
  ``data.xnli.translated_train``);
* ``dev`` / ``test``: hub ``facebook/xnli``, config = language code, split
  ``validation`` / ``test``.

Both hub datasets have string columns ``premise`` and ``hypothesis`` and a
``label`` ClassLabel with names ``[entailment, neutral, contradiction]``.
Labels are mapped by *name* (the dataset's ClassLabel names, or the label
string itself), never by assumed position, and returned as names. A label of
-1 (or the string ``-``) is MultiNLI's "no gold label" (no annotator
majority): such rows are dropped and counted (logged at INFO; see
``examples_from_dataset``). Any other label outside the three names, or an
integer label without names, is an error.

``source`` selects where the data comes from: None for the hub (cached under
``cache_dir``), or a local copy in the hub's formats (``xlt.data.hub_copies``):
for XNLI its subset is the language (``<source>/ar/test-00000-of-00001.parquet``
as in facebook/xnli), for MultiNLI ``data`` (``<source>/data/train-*.parquet``
as in nyu-mll/multi_nli). Label names survive in the parquet schema metadata.
"""

from __future__ import annotations

import logging

from xlt.data.hub_copies import load_local
from xlt.data.sources.xnli import LABELS, XNLI_LANGUAGES

XNLI_HUB = "facebook/xnli"
MNLI_HUB = "nyu-mll/multi_nli"
# pipeline split name -> split name on the hub
SPLITS = {"train": "train", "dev": "validation", "validation": "validation", "test": "test"}
NO_GOLD = (-1, "-")
COLUMNS = ("premise", "hypothesis", "label")

log = logging.getLogger(__name__)


def _hub_split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"unknown XNLI split {split!r} (known: {', '.join(SPLITS)})")
    return SPLITS[split]


def _check(lang: str, split: str) -> str:
    hub_split = _hub_split(split)
    if lang not in XNLI_LANGUAGES:
        raise ValueError(f"XNLI has no language {lang!r} (languages: {', '.join(XNLI_LANGUAGES)})")
    return hub_split


def load_split(lang: str, split: str, source=None, cache_dir=None):
    """The ``datasets.Dataset`` of one language and split, as the hub stores it."""
    hub_split = _check(lang, split)
    if source is not None:
        subset = "data" if hub_split == "train" and lang == "en" else lang
        return load_local(source, subset, hub_split, cache_dir, "XNLI")
    import datasets

    cache = None if cache_dir is None else str(cache_dir)
    if hub_split == "train" and lang == "en":
        return datasets.load_dataset(MNLI_HUB, split="train", cache_dir=cache)
    return datasets.load_dataset(XNLI_HUB, lang, split=hub_split, cache_dir=cache)


def _label_names(dataset) -> list[str] | None:
    """ClassLabel names of the label column; None if labels are strings."""
    import datasets

    feature = dataset.features["label"]
    if isinstance(feature, datasets.ClassLabel):
        return list(feature.names)
    if isinstance(feature, datasets.Value) and feature.dtype in ("string", "large_string"):
        return None
    raise ValueError(
        f"label column has type {feature}: label names are unknown, so labels cannot be "
        "mapped by name (expected a ClassLabel or strings)"
    )


def examples_from_dataset(dataset) -> tuple[list[dict], int]:
    """Examples ``{premise, hypothesis, label}`` (label a name in LABELS) and the
    number of rows dropped for having no gold label (-1 / ``-``)."""
    missing = [col for col in COLUMNS if col not in dataset.column_names]
    if missing:
        raise ValueError(f"XNLI data lacks column(s) {', '.join(missing)}")
    names = _label_names(dataset)
    if names is not None:
        unknown = sorted(set(names) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown label name(s) {unknown} (expected {list(LABELS)})")
    columns = dataset.select_columns(list(COLUMNS)).to_dict()
    examples = []
    dropped = 0
    for i, (premise, hypothesis, label) in enumerate(
        zip(columns["premise"], columns["hypothesis"], columns["label"], strict=True)
    ):
        if label in NO_GOLD:
            dropped += 1
            continue
        if names is None:
            name = label
        elif isinstance(label, int) and 0 <= label < len(names):
            name = names[label]
        else:
            raise ValueError(f"row {i}: label {label!r} is not an index of {names}")
        if name not in LABELS:
            raise ValueError(f"row {i}: unknown label {name!r} (expected {list(LABELS)})")
        if not isinstance(premise, str) or not isinstance(hypothesis, str):
            raise ValueError(
                f"row {i}: premise and hypothesis must be strings "
                "(a one-language config, not all_languages)"
            )
        examples.append({"premise": premise, "hypothesis": hypothesis, "label": name})
    return examples, dropped


def load_xnli(lang: str, split: str, source=None, cache_dir=None) -> list[dict]:
    """XNLI examples of one language and split (``train``: MultiNLI, English or
    XNLI-MT's translation).

    Returns ``[{"premise", "hypothesis", "label"}, ...]`` in the data's order,
    labels as names from LABELS; rows without a gold label are dropped (count
    logged). ``source``: None for the hub, or a local path (see module doc).
    """
    dataset = load_split(lang, split, source, cache_dir)
    examples, dropped = examples_from_dataset(dataset)
    if _hub_split(split) == "train":
        where = "MultiNLI train" if lang == "en" else f"XNLI-MT {lang} train"
    else:
        where = f"XNLI {lang} {split}"
    if dropped:
        log.info("%s: dropped %d of %d rows without a gold label", where, dropped, len(dataset))
    log.info("%s: %d examples", where, len(examples))
    return examples
