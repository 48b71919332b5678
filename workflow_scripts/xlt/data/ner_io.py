"""Read the common NER column formats and write the WikiANN (Rahimi et al.) format.

Handled layouts, one token per line and a blank line between sentences:

* WikiANN as split by Rahimi et al. (2019): ``<lang>:<token>\\t<tag>``
* XTREME PAN-X: ``<token>\\t<tag>`` (its test split has no tag column)
* CoNLL 2002/2003 and MasakhaNER: space-separated ``<token> [<POS> [<chunk>]] <tag>``

The first column is the token and the last one the tag. ``-DOCSTART-`` lines
mark document boundaries, not sentences: they end the sentence before them and
are dropped.
"""

from __future__ import annotations

import re

from xlt import tasks
from xlt.core.fileio import write_text
from xlt.data.conllu_io import read_lines
from xlt.data.corpus import CorpusFormatError, NERSentence

DOCSTART = "-DOCSTART-"
# A primary language code of 2-3 letters, optionally with subtags as in
# Wikipedia codes like "zh-yue" or "be-x-old".
_LANG = r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*"
_LANG_PREFIX = re.compile(rf"({_LANG}):(.+)", re.DOTALL)
_LANG_CODE = re.compile(_LANG)
_IOB_TAG = re.compile(r"O|[BI]-\S+")


def _split_columns(line: str, tab_separated: bool) -> list[str]:
    if tab_separated:
        return line.split("\t")
    return line.split()


def _token_lines(path, fallback: str | None = None) -> list[tuple[int, list[str] | None]]:
    """(line number, columns) per token line; columns is None for a sentence break."""
    lines = read_lines(path, fallback)
    # Decided per file by its first token line, then required of every line: a
    # tab-separated token may contain spaces, so splitting a tab file on
    # whitespace would be wrong, and a tab in a space-separated file is a mistake.
    first = next(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), None)
    tab_separated = first is not None and "\t" in first[1]
    rows: list[tuple[int, list[str] | None]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            rows.append((lineno, None))
            continue
        if not tab_separated and "\t" in line:
            raise CorpusFormatError(
                path,
                lineno,
                f"a tab in a space-separated file (its first line, {first[0]}, has no tab): "
                "separate every line's columns the same way",
            )
        cols = _split_columns(line, tab_separated)
        rows.append((lineno, None if cols[0] == DOCSTART else cols))
    return rows


def _file_prefix(path, rows, lang: str | None) -> str | None:
    """The ``<lang>:`` prefix of the file's tokens (WikiANN as split by Rahimi et
    al.), decided by its first token and then required on every token.

    A token without it, with another language's prefix, or with nothing after
    it is an error naming file:line, and so is a prefix other than ``lang``
    (the language the file is read for, in WikiANN's codes). A file whose first
    token has no prefix has none: its tokens are kept as they are, ``http:`` too.
    """
    tokens = [(lineno, cols[0]) for lineno, cols in rows if cols is not None]
    if not tokens:
        return None
    first_line, first = tokens[0]
    match = _LANG_PREFIX.fullmatch(first)
    if match is None:
        return None
    prefix = match.group(1)
    if lang is not None and prefix != lang:
        raise CorpusFormatError(
            path,
            first_line,
            f"tokens carry the prefix '{prefix}:' but the file is read for '{lang}'",
        )
    for lineno, token in tokens:
        if not token.startswith(prefix + ":"):
            other = _LANG_PREFIX.fullmatch(token)
            found = f"the prefix '{other.group(1)}:'" if other else "no language prefix"
            raise CorpusFormatError(
                path,
                lineno,
                f"token {token!r} has {found}; every token of this file carries '{prefix}:' "
                f"(from line {first_line})",
            )
        if token == prefix + ":":
            raise CorpusFormatError(path, lineno, f"empty token after the prefix '{prefix}:'")
    return prefix


def _parse_tag(path, lineno: int, cols: list[str]) -> str:
    if len(cols) < 2:
        raise CorpusFormatError(path, lineno, "no label column (unlabelled split?)")
    tag = cols[-1].strip()
    if not _IOB_TAG.fullmatch(tag):
        raise CorpusFormatError(path, lineno, f"tag {tag!r} is not O, B-<type> or I-<type>")
    return tag


def read_ner(
    path, *, labelled: bool = True, lang: str | None = None, fallback: str | None = None
) -> list[NERSentence]:
    """Read an NER column file; with ``labelled=False`` tags are ignored and set to None.

    The layout is decided per file and then required line by line: tab- or
    space-separated (a tab anywhere means tabs), the column count of the first
    token line, and WikiANN's ``<lang>:`` token prefix if the first token has
    one (``lang``: the WikiANN code the file must carry, if known). The file
    must be UTF-8, or is read in encoding ``fallback`` where it is not.
    """
    path_str = str(path)
    rows = _token_lines(path, fallback)
    prefix = _file_prefix(path_str, rows, lang)
    width = next((len(cols) for _, cols in rows if cols is not None), 0)
    strip = len(prefix) + 1 if prefix else 0
    sentences: list[NERSentence] = []
    current: NERSentence | None = None
    for lineno, cols in rows:
        if cols is None:
            current = None
            continue
        word = cols[0][strip:]
        if not word:
            raise CorpusFormatError(path_str, lineno, "empty token")
        if current is None:
            current = NERSentence([], [] if labelled else None, line=lineno)
            sentences.append(current)
        current.words.append(word)
        if labelled:
            current.tags.append(_parse_tag(path_str, lineno, cols))
        if len(cols) != width:
            raise CorpusFormatError(
                path_str,
                lineno,
                f"{len(cols)} column(s) where the file's first token line has {width}",
            )
    if not sentences:
        raise CorpusFormatError(path_str, None, "no sentences")
    return sentences


def _check_token(word: str) -> str:
    if not word.strip() or any(c in word for c in "\t\n\r"):
        raise ValueError(f"token {word!r} is empty or contains a tab or line break")
    return word


def write_wikiann(path, lang: str, sentences: list[NERSentence]) -> None:
    """Write labelled sentences as ``<lang>:<token>\\t<tag>`` lines, atomically."""
    if not _LANG_CODE.fullmatch(lang):
        raise ValueError(f"{lang!r} is not a language code like 'en' or 'zh-yue'")
    if not sentences:
        raise ValueError("no sentences to write")
    lines: list[str] = []
    for i, s in enumerate(sentences):
        if s.tags is None or not s.words or len(s.tags) != len(s.words):
            raise ValueError(f"sentence {i}: needs as many tags as words (and at least one)")
        for word, tag in zip(s.words, s.tags, strict=True):
            if not _IOB_TAG.fullmatch(tag):
                raise ValueError(f"sentence {i}: tag {tag!r} is not an IOB tag")
            lines.append(f"{lang}:{_check_token(word)}\t{tag}")
        lines.append("")
    write_text(path, "\n".join(lines) + "\n")


def checked_ner_records(sentences, source, task: str = "ner") -> list[dict]:
    """Records of NER sentences read from ``source``; a tag outside ``task``'s tag set
    names its line."""
    labels = tasks.labels(task)
    allowed = set(labels)
    records = []
    for sentence in sentences:
        for offset, tag in enumerate(sentence.tags):
            if tag not in allowed:
                line = sentence.line + offset if sentence.line is not None else None
                raise CorpusFormatError(
                    source, line, f"tag '{tag}' is not in the {task} tag set ({', '.join(labels)})"
                )
        records.append({"words": sentence.words, "labels": sentence.tags})
    return records
