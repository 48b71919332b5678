"""SQuAD v1.1 JSON files: English SQuAD train/dev and XQuAD (``xquad.<lang>.json``).

The format nests questions in paragraphs in articles::

    {"data": [{"title", "paragraphs": [{"context",
               "qas": [{"id", "question", "answers": [{"text", "answer_start"}]}]}]}],
     "version": "1.1"}

``read_squad`` flattens a file to one record per question, in file order::

    {"id", "article", "context", "question", "answers": [{"text", "answer_start"}]}

and checks what extractive QA relies on: every answer's ``answer_start`` is a
character offset into the context at which the answer text stands verbatim.
Contexts are kept exactly as in the file, never stripped: some XQuAD contexts
(es, ru, th, tr, de, zh) begin with U+FEFF and the offsets count it.
``write_squad`` regroups records into articles and paragraphs, so that a
file read and written back reads the same.

XQuAD (Artetxe et al. 2020) is 240 paragraphs / 1190 questions of SQuAD v1.1
dev, professionally translated, with the SQuAD question ids:
``drop_paragraphs_with`` keeps those paragraphs out of SQuAD dev when dev
selects models that are then scored on XQuAD.

A local directory (``data.qa.local_dir``, and what the hub download writes)
holds ``train-v1.1.json`` and ``dev-v1.1.json`` (English) and
``xquad.<lang>.json`` (see ``layout_path``).
"""

from __future__ import annotations

import json
from pathlib import Path

from xlt.data.corpus import CorpusFormatError, read_text
from xlt.data.sources.base import DataSource, check_root, local_input, local_or_hub_problems

# The 12 XQuAD languages (English included). Romanian (ro) was added to XQuAD
# later: the paper has 11 languages, and XTREME reports those 11.
XQUAD_LANGUAGES = (
    "ar",
    "de",
    "el",
    "en",
    "es",
    "hi",
    "ro",
    "ru",
    "th",
    "tr",
    "vi",
    "zh",
)
SPLITS = ("train", "dev", "test")
SQUAD_FILES = {"train": "train-v1.1.json", "dev": "dev-v1.1.json"}


def check_split(lang: str, split: str) -> None:
    """ValueError for an unknown split or a non-English SQuAD train/dev."""
    if split not in SPLITS:
        raise ValueError(f"unknown QA split '{split}' (known: {', '.join(SPLITS)})")
    if split in SQUAD_FILES and lang != "en":
        raise ValueError(
            f"no '{lang}' {split} set: SQuAD v1.1 is English only "
            "(train/dev are English; other languages have the XQuAD test set)"
        )


def layout_path(root, lang: str, split: str) -> Path:
    """Where a local QA directory keeps a split: ``train``/``dev`` the English
    SQuAD v1.1 files, ``test`` XQuAD's ``xquad.<lang>.json``."""
    check_split(lang, split)
    if split == "test":
        return Path(root) / f"xquad.{lang}.json"
    return Path(root) / SQUAD_FILES[split]


def find_file(root, lang: str, split: str) -> Path:
    """The split's file; FileNotFoundError naming the path it looked for."""
    path = layout_path(root, lang, split)
    if not path.is_file():
        raise FileNotFoundError(f"no QA {split} file for '{lang}': {path} does not exist")
    return path


def _load_json(path):
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise CorpusFormatError(
            path, error.lineno, f"not JSON: {error.msg} (column {error.colno})"
        ) from None


def _field(path, obj, key: str, kind, where: str):
    """``obj[key]``, checked to be of type ``kind``; CorpusFormatError otherwise."""
    if not isinstance(obj, dict) or key not in obj:
        raise CorpusFormatError(path, None, f"{where}: missing key '{key}'")
    value = obj[key]
    if not isinstance(value, kind):
        raise CorpusFormatError(
            path, None, f"{where}: '{key}' must be a {kind.__name__}, not {type(value).__name__}"
        )
    return value


def _check_answer(path, qid: str, context: str, answer) -> dict:
    where = f"question {qid}"
    text = _field(path, answer, "text", str, where)
    start = answer.get("answer_start")
    if not text:
        raise CorpusFormatError(path, None, f"{where}: empty answer text")
    if isinstance(start, bool) or not isinstance(start, int):
        raise CorpusFormatError(
            path, None, f"{where}: answer_start {start!r} is not an integer offset"
        )
    if not 0 <= start <= len(context) - len(text):
        raise CorpusFormatError(
            path,
            None,
            f"{where}: answer_start {start} with answer length {len(text)} lies outside "
            f"the context ({len(context)} characters)",
        )
    found = context[start : start + len(text)]
    if found != text:
        raise CorpusFormatError(
            path,
            None,
            f"{where}: answer at offset {start} should be {text!r}, "
            f"but the context has {found!r} there",
        )
    return {"text": text, "answer_start": start}


def _question(path, qa, article: str, context: str, where: str) -> dict:
    qid = qa.get("id") if isinstance(qa, dict) else None
    where = f"question {qid}" if qid is not None else where
    qid = _field(path, qa, "id", str, where)
    question = _field(path, qa, "question", str, where)
    if not question.strip():
        raise CorpusFormatError(path, None, f"{where}: empty question")
    answers = qa.get("answers")
    if qa.get("is_impossible") or answers == []:
        raise CorpusFormatError(
            path,
            None,
            f"{where}: no answers (an unanswerable question): SQuAD v2 is not supported, "
            "only SQuAD v1.1 where every question has an answer",
        )
    answers = _field(path, qa, "answers", list, where)
    return {
        "id": qid,
        "article": article,
        "context": context,
        "question": question,
        "answers": [_check_answer(path, qid, context, a) for a in answers],
    }


def read_squad(path) -> list[dict]:
    """One record per question of a SQuAD v1.1 file, in file order (see module doc).

    CorpusFormatError naming the file (and the question id where there is
    one): not JSON, no ``data`` list, a missing key, an empty question or
    context, a question without answers (SQuAD v2), an answer offset that is
    not an integer, out of range or not where the answer text stands, a
    repeated question id, a file without questions.
    """
    top = _load_json(path)
    if not isinstance(top, dict) or not isinstance(top.get("data"), list):
        raise CorpusFormatError(path, None, "no top-level 'data' list: not a SQuAD file")
    records = []
    for a, article in enumerate(top["data"], start=1):
        title = _field(path, article, "title", str, f"article {a}")
        for p, paragraph in enumerate(
            _field(path, article, "paragraphs", list, f"article {a} ({title})"), start=1
        ):
            where = f"article {a} ({title}), paragraph {p}"
            context = _field(path, paragraph, "context", str, where)
            if not context.strip():
                raise CorpusFormatError(path, None, f"{where}: empty context")
            for q, qa in enumerate(_field(path, paragraph, "qas", list, where), start=1):
                records.append(_question(path, qa, title, context, f"{where}, question {q}"))
    seen = set()
    for record in records:
        if record["id"] in seen:
            raise CorpusFormatError(path, None, f"question id {record['id']} occurs twice")
        seen.add(record["id"])
    if not records:
        raise CorpusFormatError(path, None, "no questions")
    return records


def _paragraphs(records: list[dict]) -> list[dict]:
    """SQuAD paragraphs of one article's records: consecutive records, same context."""
    paragraphs: list[dict] = []
    for record in records:
        if not paragraphs or paragraphs[-1]["context"] != record["context"]:
            paragraphs.append({"context": record["context"], "qas": []})
        answers = [
            {"text": a["text"], "answer_start": a["answer_start"]} for a in record["answers"]
        ]
        qa = {"id": record["id"], "question": record["question"], "answers": answers}
        paragraphs[-1]["qas"].append(qa)
    return paragraphs


def write_squad(path, records: list[dict]) -> None:
    """Write records as SQuAD v1.1 JSON, atomically.

    Articles follow their first appearance; an article's paragraphs are its
    runs of consecutive records with the same context. Records read by
    ``read_squad`` (or any whose articles are contiguous) read back equal.
    """
    from xlt.core.fileio import write_text

    if not records:
        raise ValueError(f"{path}: no records to write (a SQuAD file needs questions)")
    by_article: dict[str, list[dict]] = {}
    for record in records:
        by_article.setdefault(record["article"], []).append(record)
    data = [
        {"title": title, "paragraphs": _paragraphs(group)} for title, group in by_article.items()
    ]
    write_text(path, json.dumps({"data": data, "version": "1.1"}, ensure_ascii=False) + "\n")


def drop_paragraphs_with(records: list[dict], ids) -> list[dict]:
    """The records whose paragraph (same article and context) holds none of ``ids``.

    Used to keep SQuAD dev's XQuAD paragraphs (same question ids) out of model
    selection when models are scored on XQuAD.
    """
    ids = set(ids)
    dropped = {(r["article"], r["context"]) for r in records if r["id"] in ids}
    return [r for r in records if (r["article"], r["context"]) not in dropped]


def articles(records: list[dict]) -> list[str]:
    """Article titles in order of first appearance."""
    return list(dict.fromkeys(r["article"] for r in records))


# --------------------------------------------------------------------------- the source


def qa_source(root, lang: str, split: str, role: str = "test", cfg: dict | None = None) -> dict:
    """The files a pipeline split of QA is read from (they need not exist yet: a
    download makes them): SQuAD v1.1 train or dev (English), XQuAD (test)."""
    reserved = (cfg or {}).get("reserved_articles", 0)
    if split == "train" and lang != "en":
        return {
            "files": [str(layout_path(root, lang, "test"))],
            "notes": [f"XQuAD's first {reserved} articles (data.qa.reserved_articles)"],
        }
    files = [str(layout_path(root, lang, split))]
    notes = []
    if split == "dev":
        files.append(str(layout_path(root, "en", "test")))
        notes.append("SQuAD v1.1 dev without the paragraphs of XQuAD (a subset of it)")
    elif split == "test":
        notes.append(
            f"XQuAD without its first {reserved} articles (data.qa.reserved_articles)"
            if reserved
            else "XQuAD"
        )
    return {"files": files, "notes": notes}


def qa_split(root, lang: str, split: str, role="test", cfg=None, seed=None, task=None):
    """The questions of a pipeline split of QA: English SQuAD v1.1 trains and selects
    (its dev without the paragraphs XQuAD took from it: XQuAD is 240 of them, same
    question ids); every language, English included, is scored on XQuAD; a target's
    train split is the XQuAD articles ``data.qa.reserved_articles`` keeps out of its
    test split (the paper's few-shot pool)."""
    check_root(root, "data.qa.local_dir")
    few_shot_pool = split == "train" and lang != "en"
    path = find_file(root, lang, "test" if few_shot_pool else split)
    records = read_squad(path)
    if split == "test" or few_shot_pool:
        reserved = set(articles(records)[: (cfg or {}).get("reserved_articles", 0)])
        return [r for r in records if (r["article"] in reserved) == few_shot_pool]
    if split != "dev":
        return records
    xquad = read_squad(find_file(root, "en", "test"))
    return drop_paragraphs_with(records, {r["id"] for r in xquad})


def _root(cfg: dict) -> str:
    """A user's directory of SQuAD v1.1 and XQuAD files, or the hub download."""
    return cfg["local_dir"] if cfg["source"] == "local" else "resources/qa/hub"


def _inputs(cfg: dict, root: str, lang: str, split: str | None = None) -> list[str]:
    if cfg["source"] == "local":
        return local_input(root)
    splits = [split] if split else ["test"] + (["train", "dev"] if lang == "en" else [])
    return [path for s in splits for path in qa_source(root, lang, s, "test", cfg)["files"]]


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    if lang not in XQUAD_LANGUAGES:
        return f"XQuAD has no '{lang}' (its languages: {', '.join(XQUAD_LANGUAGES)})"
    if split == "train" and lang != "en" and not cfg.get("reserved_articles"):
        return (
            "SQuAD v1.1 (QA training) is English only, and no XQuAD articles are reserved "
            "for training (data.qa.reserved_articles)"
        )
    if split == "dev" and lang != "en":
        return "SQuAD v1.1 (QA model selection) is English only"
    root = cfg.get("local_dir")
    if cfg["source"] == "local" and root and Path(root).is_dir():
        for path in qa_source(root, lang, split, "test", cfg)["files"]:
            if not Path(path).is_file():
                return f"no {Path(path).name} in {root}"
    return None


SOURCE = DataSource(
    kind="squad",
    config_key="qa",
    downloads="SQuAD v1.1 (train, dev) and XQuAD from the hub, written as SQuAD JSON",
    local_files="train-v1.1.json, dev-v1.1.json and xquad.<lang>.json",
    root=_root,
    from_local_dir=lambda cfg: cfg["source"] == "local",
    inputs=_inputs,
    locate=qa_source,
    read=qa_split,
    gap=_gap,
    check=lambda cfg, used: local_or_hub_problems("qa", cfg, used),
)
