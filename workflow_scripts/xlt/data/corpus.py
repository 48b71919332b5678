"""In-memory corpus types shared by readers, writers, the generator and training."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class CorpusFormatError(ValueError):
    """A corpus file that cannot be read; the message names file and line."""

    def __init__(self, path, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


GZIP_MAGIC = b"\x1f\x8b"


def decode_text(path, data: bytes, fallback: str | None = None) -> str:
    """``data`` (the bytes of ``path``) as UTF-8 text, a byte-order mark dropped.

    Anything else is a CorpusFormatError naming the file and, for bytes that
    are not UTF-8, the line and byte offset: a gzip archive under a text name,
    a binary file (NUL bytes), or text in another encoding such as Latin-1 —
    unless ``fallback`` names the encoding that text not in UTF-8 is read in
    (the original CoNLL-2002/2003 files are Latin-1).
    """
    if data.startswith(GZIP_MAGIC):
        raise CorpusFormatError(path, None, "is gzip-compressed, not text (decompress it first)")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise CorpusFormatError(path, line, "binary data (a NUL byte), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        where = f"byte {error.start} (column {column}, 0x{data[error.start]:02x})"
        utf8 = _UTF8_SEQUENCE.search(data)
        if fallback and utf8 is None:
            return data.decode(fallback)  # wholly in the format's own encoding
        if fallback:
            # one encoding per file: UTF-8 here and a stray byte there would turn
            # every UTF-8 letter into two wrong ones if the file were read as Latin-1
            utf8_line = data.count(b"\n", 0, utf8.start()) + 1
            raise CorpusFormatError(
                path,
                line,
                f"{where} is not UTF-8, but line {utf8_line} is UTF-8 (bytes "
                f"{utf8.group().hex(' ')}): the file mixes encodings; make it all UTF-8 "
                f"or all {fallback}",
            ) from None
        raise CorpusFormatError(
            path,
            line,
            f"{where} is not UTF-8: the file must be UTF-8 (from Latin-1, e.g. iconv -f "
            "latin1 -t utf-8)",
        ) from None


# A well-formed multi-byte UTF-8 sequence (a lead byte and its continuation bytes):
# Latin-1 text has next to none (a letter of 0xc2-0xf4 right before a C1 control
# or one of the signs from the no-break space to the inverted question mark,
# 0x80-0xbf), so a file with both this and bytes that are not UTF-8 mixes encodings.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def read_text(path, fallback: str | None = None) -> str:
    """The file's text (see ``decode_text``)."""
    return decode_text(path, Path(path).read_bytes(), fallback)


def read_raw_sentences(path, limit: int | None = None) -> list[list[str]]:
    """The words (split at whitespace) of the first ``limit`` non-blank lines of a
    raw-text file, a sentence per line; a file without one is a CorpusFormatError."""
    sentences = []
    for line in read_text(path).splitlines():
        words = line.split()
        if words:
            sentences.append(words)
            if limit is not None and len(sentences) == limit:
                break
    if not sentences:
        raise CorpusFormatError(path, None, "holds no sentence (raw text: a sentence per line)")
    return sentences


def tsv_rows(path):
    """(line, cells) of every non-empty row of a tab-separated file with csv quoting
    (a quoted cell may hold tabs, quotes and line breaks); ``line`` is where the
    row starts, counting lines as an editor does (a line ends in ``\n`` or
    ``\r\n``). CorpusFormatError naming file and line: a carriage return inside an
    unquoted cell (a bare ``\r`` would otherwise end the row there and shift every
    later line number), or text csv cannot split."""
    import csv
    import io

    # newline="\n": the reader is given lines ending at \n only, so that a bare \r
    # inside a row is an error at its own line instead of a row break
    reader = csv.reader(io.StringIO(read_text(path), newline="\n"), delimiter="\t")
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "new-line character" in str(error):
                reason = (
                    "a carriage return (\\r) without a line feed inside an unquoted cell: "
                    "rows end in \\n or \\r\\n; quote the cell or remove the \\r"
                )
            else:
                reason = f"not tab-separated text with csv quoting ({error})"
            raise CorpusFormatError(path, reader.line_num, reason) from None
        if row:
            yield line, row
        line = reader.line_num + 1


def write_tsv(path, rows) -> None:
    """Write rows of cells tab-separated with csv quoting, atomically."""
    import csv
    import io

    from xlt.core.fileio import write_text

    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    write_text(path, out.getvalue())


@dataclass
class UDSentence:
    """One CoNLL-U sentence, reduced to its syntactic words.

    ``forms``/``upos``/``heads``/``deprels`` are aligned over syntactic words
    (integer IDs); multiword-token ranges keep only their surface form so that a
    writer can reproduce them, and empty nodes (enhanced UD) are dropped because
    they carry no basic-tree or UPOS annotation used here.
    """

    forms: list[str]
    upos: list[str]
    heads: list[int | None]
    deprels: list[str]
    sent_id: str | None = None
    text: str | None = None
    # (first word id, last word id, surface form), 1-based and inclusive
    multiword_tokens: list[tuple[int, int, str]] = field(default_factory=list)
    line: int | None = None  # line of the sentence's first line in its file
    # line of each syntactic word, when read from a file
    word_lines: list[int] | None = field(default=None, compare=False)


@dataclass
class NERSentence:
    """One NER sentence: words and their BIO tags (``tags`` is None if unlabelled)."""

    words: list[str]
    tags: list[str] | None
    line: int | None = None


# The common corpus format: one JSON object per sentence, {"words": [...],
# "labels": [...]} plus optional task-specific fields (heads, deprels).


def write_task_corpus(path, records: list[dict]) -> None:
    """Write a preprocessed (task, language, split) corpus as JSON lines, atomically."""
    import json

    from xlt.core.fileio import write_text

    write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def corpus_source(corpus_path) -> dict:
    """Where a preprocessed corpus came from: the ``.source.json`` its job wrote
    beside it (files, treebanks chosen, stand-ins; rules/common.smk's
    corpus_source names the same path)."""
    import json

    path = Path(str(corpus_path).removesuffix(".jsonl") + ".source.json")
    return json.loads(path.read_text(encoding="utf-8"))


def read_task_corpus(path) -> list[dict]:
    """Read a corpus written by write_task_corpus; an empty file is an error."""
    import json

    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise CorpusFormatError(path, number, f"not JSON: {error}") from error
    if not records:
        raise CorpusFormatError(path, None, "empty split: no sentences")
    return records
