"""XNLI files in XTREME's layout: ``{train,dev,test}-<lang>.tsv``.

One example per line, ``premise<TAB>hypothesis<TAB>label`` as XTREME's
preprocessing writes them with Python's csv module (a field with a quote
character is quoted); ``train-en.tsv`` is English MultiNLI, ``dev-*`` and
``test-*`` the human-translated XNLI sets. XTREME's processed test files carry
no label column: reading one as labelled data is an error that says to score
on dev. The synthetic benchmark and the hub download (``xlt.data.sources.xnli_hub``)
write the same layout, so one reader serves all three.

XNLI-MT 1.0 (``XNLI-MT-1.0/multinli/multinli.train.<lang>.tsv`` in the release
zip) holds MultiNLI's training set machine-translated into each XNLI language:
a header row ``premise hypo label``, no quoting, and ``contradictory`` where
XNLI says ``contradiction``. ``read_mt`` reads it; ``data.xnli.translated_train``
trains non-English languages on it (the target-only and bilingual models of the
interpolation study, and non-English sources).
"""

from __future__ import annotations

from pathlib import Path

from xlt.data.corpus import CorpusFormatError, read_text, tsv_rows, write_tsv
from xlt.data.sources.base import (
    DataSource,
    check_root,
    local_input,
    local_or_hub_problems,
    scored_split,
)

LABELS = ("entailment", "neutral", "contradiction")
# The 15 XNLI languages (English included).
XNLI_LANGUAGES = (
    "ar",
    "bg",
    "de",
    "el",
    "en",
    "es",
    "fr",
    "hi",
    "ru",
    "sw",
    "th",
    "tr",
    "ur",
    "vi",
    "zh",
)
SPLITS = ("train", "dev", "test")
MT_HEADER = ("premise", "hypo", "label")
MT_LABELS = {"contradictory": "contradiction", "entailment": "entailment", "neutral": "neutral"}


def xtreme_path(root, lang: str, split: str) -> Path:
    """Where XTREME's layout keeps a language's split."""
    if split not in SPLITS:
        raise ValueError(f"unknown XNLI split '{split}' (known: {', '.join(SPLITS)})")
    return Path(root) / f"{split}-{lang}.tsv"


def find_file(root, lang: str, split: str) -> Path:
    """The split's file; FileNotFoundError naming the path it looked for."""
    path = xtreme_path(root, lang, split)
    if not path.is_file():
        raise FileNotFoundError(f"no XNLI {split} file for '{lang}': {path} does not exist")
    return path


def read_xtreme(path) -> list[dict]:
    """Examples ``{premise, hypothesis, label}`` of an XTREME XNLI file, in order.

    CorpusFormatError naming file and line: a row without a label column (the
    unlabelled test files), another number of columns, an empty text, a label
    that is not one of the three, a file without rows.
    """
    return _examples(
        path, _labelled(path, tsv_rows(path)), {label: label for label in LABELS}, "hypothesis"
    )


def _labelled(path, rows):
    """``rows``, refusing a file whose first row has no label column (XTREME's test
    files); a short row after labelled ones is left to ``_examples``, which names
    it as the one row with too few columns."""
    for number, (line, row) in enumerate(rows):
        if number == 0 and len(row) == 2:
            raise CorpusFormatError(
                path,
                line,
                "no label column: XTREME's processed XNLI test files carry no labels; "
                "score targets on dev (data.xnli.eval_split: dev)",
            )
        yield line, row


def _examples(path, rows, labels: dict, hypothesis_column: str) -> list[dict]:
    """Examples of (line, cells) rows of premise, hypothesis and a label that
    ``labels`` maps to XNLI's name; CorpusFormatError naming file and line for
    another number of columns, an empty text, an unknown label, no rows."""
    examples = []
    for line, row in rows:
        if len(row) != 3:
            raise CorpusFormatError(
                path,
                line,
                f"expected 3 tab-separated columns (premise, {hypothesis_column}, label), "
                f"found {len(row)}",
            )
        premise, hypothesis, label = (cell.strip() for cell in row)
        if not premise or not hypothesis:
            raise CorpusFormatError(path, line, "empty premise or hypothesis")
        if label not in labels:
            raise CorpusFormatError(
                path, line, f"label '{label}' is not one of {', '.join(labels)}"
            )
        examples.append({"premise": premise, "hypothesis": hypothesis, "label": labels[label]})
    if not examples:
        raise CorpusFormatError(path, None, "no examples")
    return examples


def write_xtreme(path, examples: list[dict]) -> None:
    """Write examples in XTREME's layout (tab-separated, csv quoting), atomically."""
    write_tsv(path, ([e["premise"], e["hypothesis"], e["label"]] for e in examples))


def mt_path(root, lang: str) -> Path:
    """Where the XNLI-MT 1.0 release, unpacked in ``root``, keeps ``lang``'s
    machine-translated MultiNLI training set."""
    return Path(root) / "XNLI-MT-1.0" / "multinli" / f"multinli.train.{lang}.tsv"


def read_mt(path) -> list[dict]:
    """Examples ``{premise, hypothesis, label}`` of an XNLI-MT 1.0 training file,
    in order, ``contradictory`` read as ``contradiction``.

    The file's cells are unquoted (a premise may hold a lone ``"``), so lines are
    split at tabs, not parsed as csv. CorpusFormatError naming file and line: a
    header other than ``premise hypo label``, a row of another width, an empty
    text, an unknown label, a file without rows.
    """
    # not splitlines(): a translation may hold U+2028 or U+0085 inside a cell
    lines = [line.rstrip("\r") for line in read_text(path).split("\n")]
    if tuple(cell.strip() for cell in lines[0].split("\t")) != MT_HEADER:
        found = repr(lines[0][:80]) if lines[0] else "an empty line"
        raise CorpusFormatError(
            path, 1, f"expected the header '{' '.join(MT_HEADER)}' (tab-separated), found {found}"
        )
    rows = ((number, text.split("\t")) for number, text in enumerate(lines[1:], start=2))
    return _examples(path, ((n, row) for n, row in rows if "".join(row).strip()), MT_LABELS, "hypo")


# --------------------------------------------------------------------------- the source


def _rows(cfg: dict, split: str) -> tuple[str, slice | None, list[str]]:
    """(file split, row range or None for all, notes) of a pipeline split."""
    rows = cfg.get("train_from_dev")
    if rows:
        train, dev = rows["train"], rows["dev"]
        ranges = {"train": slice(0, train), "dev": slice(train, train + dev)}
        part = ranges.get(split, slice(train + dev, None))
        note = (
            f"rows {part.start + 1}-{part.stop if part.stop else 'end'} of the dev file, each "
            "cut moved to the end of its premise's rows (data.xnli.train_from_dev: no MultiNLI "
            "at hand; every language is scored on the dev rows after those that train and select)"
        )
        return "dev", part, [note]
    file_split, notes = scored_split(split, cfg, "xnli")
    if split == "train":
        notes = ["English MultiNLI (XTREME's train-en.tsv)"]
    return file_split, None, notes


def _translated(lang: str, split: str, cfg: dict) -> bool:
    """Whether (lang, split) is XNLI-MT's translation of MultiNLI."""
    return split == "train" and lang != "en" and bool(cfg.get("translated_train"))


def xnli_source(root, lang: str, split: str, role: str, cfg: dict) -> dict:
    """The file (and rows) a pipeline split of XNLI is read from; the file need not
    exist yet (a download makes it). A translated training set (XNLI-MT) is the
    release's own file for a local copy, XTREME's layout for a hub download."""
    if _translated(lang, split, cfg):
        note = (
            f"XNLI-MT 1.0: MultiNLI machine-translated into '{lang}' (data.xnli.translated_train)"
        )
        if cfg["source"] == "local":
            return {"files": [str(mt_path(root, lang))], "notes": [note]}
        return {"files": [str(xtreme_path(root, lang, "train"))], "notes": [note]}
    file_split, _, notes = _rows(cfg, split)
    return {"files": [str(xtreme_path(root, lang, file_split))], "notes": notes}


def _premise_boundary(examples: list[dict], row: int | None) -> int | None:
    """``row`` moved forward past the rest of its premise's group (XNLI writes a
    premise's hypotheses on consecutive rows), so no premise straddles a cut."""
    if row is None:
        return None
    while 0 < row < len(examples) and examples[row]["premise"] == examples[row - 1]["premise"]:
        row += 1
    return row


def xnli_split(root, lang: str, split: str, role: str, cfg: dict, seed=None, task=None):
    """The examples of a pipeline split of XNLI: English MultiNLI trains and English
    dev selects; ``data.xnli.train_from_dev`` stands in for MultiNLI where it is not
    at hand (the first rows of the source's dev train, the next select, and every
    language is scored on the rows after them only: XNLI's dev sets are translations
    of one another, row by row)."""
    check_root(root, "data.xnli.local_dir")
    if _translated(lang, split, cfg) and cfg["source"] == "local":
        path = mt_path(root, lang)
        if not path.is_file():
            raise FileNotFoundError(
                f"no XNLI-MT training file for '{lang}': {path} does not exist (unpack "
                "XNLI-MT-1.0.zip in data.xnli.local_dir, or set data.xnli.translated_train: false)"
            )
        return read_mt(path)
    file_split, part, _ = _rows(cfg, split)
    examples = read_xtreme(find_file(root, lang, file_split))
    if part is None:
        return examples
    start, stop = (_premise_boundary(examples, row) for row in (part.start, part.stop))
    return examples[start:stop]


def _root(cfg: dict) -> str:
    """A user's directory in XTREME's layout, or the hub download."""
    return cfg["local_dir"] if cfg["source"] == "local" else "resources/xnli/hub"


def _inputs(cfg: dict, root: str, lang: str, split: str | None = None) -> list[str]:
    """The local directory, or the files the download writes (of one split)."""
    if cfg["source"] == "local":
        return local_input(root)
    splits = [split] if split else ["train", "dev", "test"]
    return [
        path
        for s in splits
        for path in xnli_source(root, lang, s, "test", cfg)["files"]
        if lang == "en" or not path.endswith("train-en.tsv")
    ]


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    if lang not in XNLI_LANGUAGES:
        return f"XNLI has no '{lang}' (its languages: {', '.join(XNLI_LANGUAGES)})"
    if (
        split == "train"
        and lang != "en"
        and not cfg.get("train_from_dev")
        and not cfg.get("translated_train")
    ):
        return (
            "XNLI's training data (MultiNLI) is English only; data.xnli.translated_train "
            "trains on XNLI-MT's translations"
        )
    root = cfg.get("local_dir")
    if cfg["source"] == "local" and root and Path(root).is_dir():
        path = xnli_source(root, lang, split, "test", cfg)["files"][0]
        if not Path(path).is_file():
            return f"no {Path(path).name} in {root}"
    return None


def _check(cfg: dict, used: bool) -> list[str]:
    problems = local_or_hub_problems("xnli", cfg, used)
    if cfg["train_from_dev"] and cfg["eval_split"] != "dev":
        problems.append(
            "config key 'data.xnli.train_from_dev': training on dev rows scores every language "
            "on the dev rows after them; set data.xnli.eval_split: dev"
        )
    if cfg["train_from_dev"] and cfg["translated_train"]:
        problems.append(
            "config key 'data.xnli.translated_train': training sets come from dev rows under "
            "data.xnli.train_from_dev, so there is no translated MultiNLI to train on; set one "
            "of the two"
        )
    return problems


SOURCE = DataSource(
    kind="xnli",
    config_key="xnli",
    downloads="XNLI (and MultiNLI for English) from the hub, written in XTREME's layout",
    local_files="XTREME's {train,dev,test}-<lang>.tsv, and XNLI-MT 1.0 for translated training",
    root=_root,
    from_local_dir=lambda cfg: cfg["source"] == "local",
    inputs=_inputs,
    locate=xnli_source,
    read=xnli_split,
    gap=_gap,
    check=_check,
)
