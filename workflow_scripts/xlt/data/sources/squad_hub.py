"""SQuAD v1.1 and XQuAD through Hugging Face ``datasets`` (the QA download writes
them as SQuAD JSON in the layout of ``xlt.data.sources.squad``).

Zero-shot XQuAD (Artetxe et al. 2020; Hu et al. 2020, XTREME) trains on the
English SQuAD v1.1 training set and scores every language on XQuAD:

* ``train`` / ``dev`` (English only): hub ``rajpurkar/squad``, config
  ``plain_text``, split ``train`` / ``validation``;
* ``test``: hub ``google/xquad``, config ``xquad.<lang>``, split
  ``validation`` (XQuAD's only split).

Rows are questions with columns ``id``, ``context``, ``question`` and
``answers`` = ``{"text": [...], "answer_start": [...]}``; SQuAD also has
``title``. google/xquad has no ``title`` column: ``load_qa`` takes the article
titles from SQuAD v1.1 dev, of which XQuAD is a subset with the same question
ids (and the XQuAD files carry the same English titles).

google/xquad was built by a loading script that stripped every context but
kept ``answer_start``, so the answers of a context that began with a space
(in the XQuAD files: 1 of en's 240 contexts, 22 of zh's) stand one character
before their offset; the SQuAD scripts stopped stripping for this reason
(huggingface/datasets#2585), XQuAD's did not. ``records_from_dataset``
checks every offset and moves a question's answers back by the same small
shift (at most MAX_SHIFT characters) when that puts all of them on their
text; the count is logged, anything else is an error. (A U+FEFF that begins
a context is not whitespace to ``str.strip`` and stays.)

``source`` selects where the data comes from: None for the hub (cached under
``cache_dir``), or a local path holding the hub's data, as in
``xlt.data.sources.xnli_hub``: the hub's parquet files
``<source>/<config>/<split>-*.parquet`` (``plain_text/train-00000-of-00001.parquet``,
``xquad.de/validation-00000-of-00001.parquet``) or ``<source>/<split>-*.parquet``,
one parquet file, or a ``save_to_disk`` directory at ``<source>/<config>`` or
``<source>``. One directory may hold both datasets' configs side by side.
"""

from __future__ import annotations

import logging

from xlt.data.hub_copies import load_local
from xlt.data.sources.squad import XQUAD_LANGUAGES, check_split

SQUAD_HUB = "rajpurkar/squad"
SQUAD_CONFIG = "plain_text"
XQUAD_HUB = "google/xquad"
# pipeline split name -> split name on the hub
HUB_SPLITS = {"train": "train", "dev": "validation", "test": "validation"}
COLUMNS = ("id", "context", "question", "answers")
MAX_SHIFT = 3

log = logging.getLogger(__name__)


def _where(lang: str, split: str) -> tuple[str, str, str]:
    """(hub dataset, config, hub split) of a pipeline language and split."""
    check_split(lang, split)
    if split == "test":
        if lang not in XQUAD_LANGUAGES:
            raise ValueError(
                f"XQuAD has no language '{lang}' (languages: {', '.join(XQUAD_LANGUAGES)})"
            )
        return XQUAD_HUB, f"xquad.{lang}", HUB_SPLITS[split]
    return SQUAD_HUB, SQUAD_CONFIG, HUB_SPLITS[split]


def load_split(lang: str, split: str, source=None, cache_dir=None):
    """The ``datasets.Dataset`` of one language and pipeline split, as the hub stores it."""
    hub, config, hub_split = _where(lang, split)
    if source is not None:
        return load_local(source, config, hub_split, cache_dir, "QA")
    import datasets

    cache = None if cache_dir is None else str(cache_dir)
    return datasets.load_dataset(hub, config, split=hub_split, cache_dir=cache)


def _answers(row: int, qid, answers) -> tuple[list[str], list[int]]:
    """(texts, starts) of a row's ``answers``; ValueError naming row and id."""
    where = f"row {row} (question {qid})"
    if isinstance(answers, list) and all(isinstance(a, dict) for a in answers):
        # a list of {"text", "answer_start"} (SQuAD JSON's shape) instead of the hub's columns
        answers = {key: [a.get(key) for a in answers] for key in ("text", "answer_start")}
    if not isinstance(answers, dict) or not {"text", "answer_start"} <= set(answers):
        raise ValueError(f"{where}: answers must be {{'text': [...], 'answer_start': [...]}}")
    texts, starts = list(answers["text"]), list(answers["answer_start"])
    if len(texts) != len(starts):
        raise ValueError(f"{where}: {len(texts)} answer texts but {len(starts)} answer_start")
    if not texts:
        raise ValueError(f"{where}: no answers (SQuAD v2 unanswerable questions are not supported)")
    return texts, starts


def _align(row: int, qid, context: str, texts: list[str], starts: list[int]) -> int:
    """The shift (0..MAX_SHIFT) that puts every answer on its text; ValueError if none."""
    for shift in range(MAX_SHIFT + 1):
        if all(
            s >= shift and context[s - shift : s - shift + len(t)] == t
            for t, s in zip(texts, starts, strict=True)
        ):
            return shift
    text, start = next(
        (t, s) for t, s in zip(texts, starts, strict=True) if s < 0 or context[s : s + len(t)] != t
    )
    raise ValueError(
        f"row {row} (question {qid}): answer at offset {start} should be {text!r}, "
        f"but the context has {context[start : start + len(text)]!r} there"
    )


def records_from_dataset(dataset, titles: dict[str, str] | None = None) -> list[dict]:
    """Records ``{id, article, context, question, answers}`` (``xlt.data.sources.squad``) of a
    hub dataset, in row order.

    ``article`` is the ``title`` column, or without one ``titles[id]``.
    Answers shifted by a stripped context are moved back (see module doc).
    ValueError naming row and id: a missing column, answer lists of unequal
    length or empty, an offset no small shift explains, a repeated id.
    """
    needed = COLUMNS if titles is not None else (*COLUMNS, "title")
    missing = [col for col in needed if col not in dataset.column_names]
    if missing:
        raise ValueError(f"QA data lacks column(s) {', '.join(missing)}")
    has_title = "title" in dataset.column_names
    columns = dataset.select_columns([*COLUMNS, "title"] if has_title else list(COLUMNS)).to_dict()
    articles = columns["title"] if has_title else [titles.get(qid) for qid in columns["id"]]
    rows = zip(*(columns[c] for c in COLUMNS), articles, strict=True)
    records, seen, realigned = [], set(), 0
    for i, (qid, context, question, answers, article) in enumerate(rows):
        if qid in seen:
            raise ValueError(f"row {i}: question id {qid} occurs twice")
        seen.add(qid)
        if article is None:
            raise ValueError(f"row {i} (question {qid}): no article title for this id")
        texts, starts = _answers(i, qid, answers)
        shift = _align(i, qid, context, texts, starts)
        realigned += shift > 0
        answers = [
            {"text": t, "answer_start": s - shift} for t, s in zip(texts, starts, strict=True)
        ]
        records.append(
            {
                "id": qid,
                "article": article,
                "context": context,
                "question": question,
                "answers": answers,
            }
        )
    if not records:
        raise ValueError("QA data has no rows")
    if realigned:
        log.info(
            "%d of %d questions: answer offsets moved back onto their text",
            realigned,
            len(records),
        )
    return records


def load_qa(lang: str, split: str, source=None, cache_dir=None, titles=None) -> list[dict]:
    """QA records of one language and pipeline split: ``train``/``dev`` English
    SQuAD v1.1, ``test`` XQuAD.

    ``source``: None for the hub, or a local path (see module doc). XQuAD has
    no titles: ``titles`` (question id -> article title), if not given, come
    from SQuAD v1.1 dev loaded from the same ``source``.
    """
    dataset = load_split(lang, split, source, cache_dir)
    if "title" not in dataset.column_names and titles is None:
        squad_dev = records_from_dataset(load_split("en", "dev", source, cache_dir))
        titles = {r["id"]: r["article"] for r in squad_dev}
    records = records_from_dataset(dataset, titles)
    what = f"XQuAD {lang}" if split == "test" else f"SQuAD v1.1 {split}"
    log.info("%s: %d questions", what, len(records))
    return records
