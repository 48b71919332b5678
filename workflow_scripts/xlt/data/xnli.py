"""XNLI files in XTREME's layout: ``{train,dev,test}-<lang>.tsv``.

One example per line, ``premise<TAB>hypothesis<TAB>label`` as XTREME's
preprocessing writes them with Python's csv module (a field with a quote
character is quoted); ``train-en.tsv`` is English MultiNLI, ``dev-*`` and
``test-*`` the human-translated XNLI sets. XTREME's processed test files carry
no label column: reading one as labelled data is an error that says to score
on dev. The synthetic benchmark and the hub download (``xlt.data.xnli_hub``)
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
