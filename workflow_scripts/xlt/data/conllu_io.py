"""Read and write CoNLL-U, keeping only what POS tagging and parsing use.

The reader is a small line-based parser of our own rather than the ``conllu``
package: it validates the structure that later steps rely on and reports the
offending file and line, which a generic parser does not do. The ``conllu``
package serves as an independent oracle in the tests.

Checks, after the UD validator's levels 1 and 2 where they concern what is
read here: ten tab-separated columns; word IDs 1, 2, ... in order; multiword
token ranges right before their words; a non-empty FORM and UPOS (in the tag
set if given); integer HEADs inside the sentence, no word its own head, one
root, no cycle; and, when a sentence has ``# text``, that its surface tokens
(multiword tokens by their own form, a space after each unless MISC says
``SpaceAfter=No``) spell that text. Tokens whose characters differ from the
text (a sentence cut short, e.g. a file truncated at a line boundary) are an
error; the same characters spaced differently (fragments of one surface token
without a multiword-token line, or a missing ``SpaceAfter=No``) are logged as
a warning naming file:line. Not checked: the validator's language-specific
levels 3-5 (deprel and feature inventories, annotation rules).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from xlt.core.fileio import write_text
from xlt.data.corpus import CorpusFormatError, UDSentence, read_text

N_COLUMNS = 10
_INT = r"(?:0|[1-9][0-9]*)"
_WORD_ID = re.compile(_INT)
_RANGE_ID = re.compile(rf"({_INT})-({_INT})")
_EMPTY_NODE_ID = re.compile(r"[0-9]+\.[1-9][0-9]*")
_HEAD = _WORD_ID
_COMMENT_KEYS = ("sent_id", "text")
_NO_SPACE_AFTER = re.compile(r"(?:^|\|)SpaceAfter=No(?:\||$)")
log = logging.getLogger(__name__)


def read_lines(path, fallback: str | None = None) -> list[str]:
    """Return the file's lines without line terminators (CRLF and a BOM tolerated);
    text not in UTF-8 is an error, or read in encoding ``fallback`` if given.

    ``str.splitlines`` is avoided on purpose: it also breaks on characters such
    as U+2028 or U+0085, which may occur inside a token.
    """
    text = read_text(path, fallback)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()  # the terminator of the last line, not an extra blank line
    return lines


@dataclass
class _Builder:
    """Accumulates one sentence while its lines are read."""

    path: str
    first_line: int
    sentence: UDSentence = field(default_factory=lambda: UDSentence([], [], [], []))
    word_lines: list[int] = field(default_factory=list)
    last_range_end: int = 0
    last_range_line: int = 0
    # the sentence's surface tokens: (form, whether a space follows)
    surface: list[tuple[str, bool]] = field(default_factory=list)
    spacing_warnings: list[int] = field(default_factory=list)

    def error(self, line: int, message: str) -> CorpusFormatError:
        return CorpusFormatError(self.path, line, message)

    def add_comment(self, text: str) -> None:
        key, sep, value = text.lstrip("#").partition("=")
        key = key.strip()
        if sep and key in _COMMENT_KEYS:
            setattr(self.sentence, key, value.strip())

    def add_token(self, lineno: int, line: str, upos_tagset) -> None:
        cols = line.split("\t")
        if len(cols) != N_COLUMNS:
            raise self.error(
                lineno, f"expected {N_COLUMNS} tab-separated columns, found {len(cols)}"
            )
        token_id = cols[0]
        space_after = not _NO_SPACE_AFTER.search(cols[9])
        if _WORD_ID.fullmatch(token_id):
            self._add_word(lineno, int(token_id), cols, upos_tagset)
            if int(token_id) > self.last_range_end:  # not inside a multiword token
                self.surface.append((cols[1], space_after))
        elif m := _RANGE_ID.fullmatch(token_id):
            self._add_range(lineno, int(m.group(1)), int(m.group(2)), cols[1])
            self.surface.append((cols[1], space_after))
        elif not _EMPTY_NODE_ID.fullmatch(token_id):
            raise self.error(lineno, f"malformed ID {token_id!r}")
        # Empty nodes (enhanced UD only) carry no basic-tree annotation: skipped.

    def _add_word(self, lineno: int, word_id: int, cols: list[str], upos_tagset) -> None:
        s = self.sentence
        expected = len(s.forms) + 1
        if word_id != expected:
            raise self.error(lineno, f"word ID {word_id} out of order (expected {expected})")
        form, upos, head, deprel = cols[1], cols[3], cols[6], cols[7]
        if not form:
            raise self.error(lineno, "empty FORM")
        if not upos or upos == "_":
            raise self.error(lineno, "empty UPOS")
        if upos_tagset is not None and upos not in upos_tagset:
            raise self.error(lineno, f"UPOS tag {upos!r} not in the tag set")
        if head != "_" and not _HEAD.fullmatch(head):
            raise self.error(lineno, f"HEAD {head!r} is not an integer")
        s.forms.append(form)
        s.upos.append(upos)
        s.heads.append(None if head == "_" else int(head))
        s.deprels.append(deprel)
        self.word_lines.append(lineno)

    def _add_range(self, lineno: int, start: int, end: int, form: str) -> None:
        # A multiword token line must come right before its first word.
        expected = len(self.sentence.forms) + 1
        if start != expected or end <= start or start <= self.last_range_end:
            raise self.error(
                lineno,
                f"multiword token {start}-{end} must span two or more words "
                f"starting with the next word ({expected})",
            )
        self.last_range_end = end
        self.last_range_line = lineno
        self.sentence.multiword_tokens.append((start, end, form))

    def finish(self) -> UDSentence:
        """Check the sentence-level constraints and return the sentence."""
        s = self.sentence
        n = len(s.forms)
        if n == 0:
            raise self.error(self.first_line, "sentence has no words")
        if self.last_range_end > n:
            raise self.error(
                self.last_range_line,
                f"multiword token ends at word {self.last_range_end} but the sentence "
                f"has {n} words",
            )
        for word_id, (head, lineno) in enumerate(zip(s.heads, self.word_lines, strict=True), 1):
            if head is not None and head > n:
                raise self.error(lineno, f"HEAD {head} outside the sentence (0..{n})")
            if head == word_id:
                raise self.error(lineno, f"word {word_id} is its own HEAD")
        self._check_single_root()
        self._check_acyclic()
        self._check_text()
        s.line = self.first_line
        s.word_lines = list(self.word_lines)
        return s

    def _check_acyclic(self) -> None:
        heads = self.sentence.heads
        if any(h is None for h in heads):
            return
        reaches_root = {0}
        for start in range(1, len(heads) + 1):
            path, word = [], start
            while word not in reaches_root:
                if word in path:
                    cycle = path[path.index(word) :]
                    chain = " -> ".join(map(str, [*cycle, word]))
                    raise self.error(
                        self.word_lines[word - 1],
                        f"HEADs form a cycle ({chain}): the words are not a tree",
                    )
                path.append(word)
                word = heads[word - 1]
            reaches_root.update(path)

    def _check_text(self) -> None:
        text = self.sentence.text
        if text is None:
            return
        spelled = "".join(form + (" " if space else "") for form, space in self.surface).rstrip()
        if spelled == text.strip():
            return
        if "".join(spelled.split()) != "".join(text.split()):
            raise self.error(
                self.first_line,
                f"the words do not spell the sentence's # text (words: {_clip(spelled)!r}; "
                f"# text: {_clip(text)!r}): a sentence cut short, or words of another sentence",
            )
        self.spacing_warnings.append(self.first_line)

    def _check_single_root(self) -> None:
        heads = self.sentence.heads
        if any(h is None for h in heads):
            return  # unparsed or partially parsed: no tree to check
        root_lines = [ln for h, ln in zip(heads, self.word_lines, strict=True) if h == 0]
        if not root_lines:
            raise self.error(self.first_line, "sentence has no root (no word with HEAD 0)")
        if len(root_lines) > 1:
            raise self.error(
                root_lines[1], f"sentence has {len(root_lines)} roots (HEAD 0); UD allows one"
            )


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def read_conllu(path, upos_tagset: set[str] | None = None) -> list[UDSentence]:
    """Read a CoNLL-U file into syntactic-word sentences (checks: module docstring).

    Raises CorpusFormatError (naming file and 1-based line) on malformed input;
    with ``upos_tagset`` given, a UPOS outside it is an error too.
    """
    path_str = str(path)
    sentences: list[UDSentence] = []
    spacing: list[int] = []
    builder: _Builder | None = None
    for lineno, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            if builder is not None:
                sentences.append(builder.finish())
                spacing += builder.spacing_warnings
                builder = None
            continue
        if builder is None:
            builder = _Builder(path_str, lineno)
        if line.startswith("#"):
            if builder.sentence.forms:
                raise builder.error(lineno, "comment line inside a sentence")
            builder.add_comment(line)
        else:
            builder.add_token(lineno, line, upos_tagset)
    if builder is not None:  # last sentence without a trailing blank line
        sentences.append(builder.finish())
        spacing += builder.spacing_warnings
    if not sentences:
        raise CorpusFormatError(path_str, None, "no sentences")
    if spacing:
        shown = ", ".join(f"{path_str}:{line}" for line in spacing[:5])
        log.warning(
            "%d sentence(s) whose surface tokens space the # text differently (word fragments "
            "of one token without a multiword-token line, or a missing SpaceAfter=No): %s%s",
            len(spacing),
            shown,
            " ..." if len(spacing) > 5 else "",
        )
    return sentences


def _field(value: str | None, what: str) -> str:
    """A column value as written: '_' when unset; reject what would break the format."""
    if value is None or value == "":
        return "_"
    if any(c in value for c in "\t\n\r"):
        raise ValueError(f"{what} {value!r} contains a tab or line break")
    return value


def _comment(value: str, what: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"{what} {value!r} contains a line break")
    return value


def format_sentence(s: UDSentence) -> str:
    """One sentence as CoNLL-U lines, terminated by a blank line."""
    n = len(s.forms)
    if n == 0 or not (len(s.upos) == len(s.heads) == len(s.deprels) == n):
        raise ValueError(f"sentence {s.sent_id!r}: empty or misaligned columns")
    lines = []
    if s.sent_id is not None:
        lines.append(f"# sent_id = {_comment(s.sent_id, 'sent_id')}")
    if s.text is not None:
        lines.append(f"# text = {_comment(s.text, 'text')}")
    ranges = {start: (end, form) for start, end, form in s.multiword_tokens}
    for i in range(1, n + 1):
        if i in ranges:
            end, form = ranges[i]
            lines.append("\t".join([f"{i}-{end}", _field(form, "form")] + ["_"] * 8))
        head = s.heads[i - 1]
        cols = [
            str(i),
            _field(s.forms[i - 1], "form"),
            "_",
            _field(s.upos[i - 1], "UPOS"),
            "_",
            "_",
            "_" if head is None else str(head),
            _field(s.deprels[i - 1], "DEPREL"),
            "_",
            "_",
        ]
        lines.append("\t".join(cols))
    return "\n".join(lines) + "\n\n"


def write_conllu(path, sentences: list[UDSentence]) -> None:
    """Write sentences as CoNLL-U, atomically; ``read_conllu`` reads them back equal."""
    if not sentences:
        raise ValueError("no sentences to write (an empty file is not valid CoNLL-U)")
    write_text(path, "".join(format_sentence(s) for s in sentences))
