"""Labelled sentences for sentence classification: ``{split}-<lang>.tsv`` or ``.jsonl``.

The layout a user can point ``data.sentiment.local_dir`` at: per language and
split, either a TSV file of ``text<TAB>label`` rows (no header; csv quoting,
as Python's csv module writes it) or a JSON-lines file of ``{"text": ...,
"label": ...}`` objects. The synthetic benchmark writes the TSV form. Labels
must be in the task's label set (metadata/tagsets.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path

from xlt.data.corpus import CorpusFormatError, read_text, tsv_rows, write_tsv
from xlt.data.sources.base import DataSource, check_root, local_input, scored_split

SUFFIXES = (".tsv", ".jsonl")


def find_file(root, lang: str, split: str) -> Path:
    """``{split}-{lang}.tsv`` or ``.jsonl`` under ``root``; FileNotFoundError naming both."""
    candidates = [Path(root) / f"{split}-{lang}{suffix}" for suffix in SUFFIXES]
    found = [path for path in candidates if path.is_file()]
    if len(found) > 1:
        raise ValueError(f"both {found[0]} and {found[1]} exist: keep one")
    if not found:
        looked = " and ".join(map(str, candidates))
        raise FileNotFoundError(f"no {split} file for '{lang}': looked for {looked}")
    return found[0]


def _check(path, line: int, text, label, labels) -> dict:
    if not isinstance(text, str) or not text.strip():
        raise CorpusFormatError(path, line, "empty text")
    if label not in labels:
        raise CorpusFormatError(path, line, f"label {label!r} is not one of {', '.join(labels)}")
    return {"text": text.strip(), "label": label}


def read_sentences(path, labels) -> list[dict]:
    """Examples ``{text, label}`` of a TSV or JSON-lines file (by its suffix); a
    malformed row, an empty text or a label outside ``labels`` is a
    CorpusFormatError naming file and line."""
    examples = []
    if str(path).endswith(".jsonl"):
        for line, row in enumerate(read_text(path).splitlines(), start=1):
            if not row.strip():
                continue
            try:
                item = json.loads(row)
            except json.JSONDecodeError as error:
                raise CorpusFormatError(path, line, f"not JSON: {error}") from None
            if not isinstance(item, dict) or "text" not in item or "label" not in item:
                raise CorpusFormatError(path, line, 'expected an object with "text" and "label"')
            examples.append(_check(path, line, item["text"], item["label"], labels))
    else:
        for line, row in tsv_rows(path):
            if len(row) != 2:
                found = f"found {len(row)}"
                raise CorpusFormatError(
                    path, line, f"expected 2 tab-separated columns (text, label), {found}"
                )
            examples.append(_check(path, line, row[0], row[1].strip(), labels))
    if not examples:
        raise CorpusFormatError(path, None, "no examples")
    return examples


def write_sentences(path, examples: list[dict]) -> None:
    """Write examples as TSV (csv quoting), atomically."""
    write_tsv(path, ([e["text"], e["label"]] for e in examples))


# --------------------------------------------------------------------------- the source


def sentences_source(root, lang: str, split: str, role: str, cfg: dict) -> dict:
    """The file a split of labelled sentences is read from (targets: eval_split)."""
    split, notes = scored_split(split, cfg, "sentiment")
    return {"files": [str(find_file(root, lang, split))], "notes": notes}


def _read(root, lang: str, split: str, role: str, cfg: dict, seed: int, task: str):
    from xlt import tasks

    check_root(root, "data.sentiment.local_dir")
    path = sentences_source(root, lang, split, role, cfg)["files"][0]
    return read_sentences(path, tasks.labels(task))


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    root = cfg.get("local_dir")
    if not root:
        return "no labelled sentences: set data.sentiment.local_dir"
    if Path(root).is_dir():
        try:
            sentences_source(root, lang, split, "test", cfg)
        except FileNotFoundError as error:
            return str(error)
    return None


SOURCE = DataSource(
    kind="sentences",
    config_key="sentiment",
    downloads="nothing: labelled sentences come from a user's directory only",
    local_files="<lang>/{train,dev,test}.{tsv,jsonl} of text and label",
    root=lambda cfg: cfg["local_dir"],
    from_local_dir=lambda cfg: bool(cfg["local_dir"]),
    inputs=lambda cfg, root, lang, split=None: local_input(root),
    locate=sentences_source,
    read=_read,
    gap=_gap,
)
