"""Parallel corpora: sentence i of every language translates the same source sentence.

Two sources are read: the Parallel UD treebanks (PUD; one CoNLL-U file per
language, aligned by ``# sent_id``) and line-aligned plain-text pairs such as
the Tatoeba test set of Artetxe and Schwenk (2019) (line i of one file
translates line i of the other). Both are checked for alignment; a corpus
that is not parallel is a ValueError naming both files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlt.data.conllu_io import read_conllu, read_lines
from xlt.data.corpus import CorpusFormatError


@dataclass
class ParallelCorpus:
    """Translations of the same sentences in several languages.

    ``sentences[lang][i]`` is the words of sentence ``ids[i]`` in ``lang``;
    every language has one entry per id.
    """

    languages: list[str]
    ids: list[str]
    sentences: dict[str, list[list[str]]]

    def __post_init__(self) -> None:
        if sorted(self.sentences) != sorted(self.languages):
            raise ValueError(
                f"languages {self.languages} but sentences for {sorted(self.sentences)}"
            )
        for lang in self.languages:
            if len(self.sentences[lang]) != len(self.ids):
                raise ValueError(
                    f"{len(self.sentences[lang])} sentences in {lang} for {len(self.ids)} ids"
                )

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, indices) -> ParallelCorpus:
        """The sentences at ``indices`` (positions, in the order given), every language."""
        indices = list(indices)
        return ParallelCorpus(
            list(self.languages),
            [self.ids[i] for i in indices],
            {lang: [self.sentences[lang][i] for i in indices] for lang in self.languages},
        )


def pud_files(root, languages: list[str]) -> dict[str, Path]:
    """The test file ``UD_*-PUD/<code>_pud-ud-test.conllu`` under ``root`` of every
    language (ISO 639-1 code, as in UD file names), in the order given; a code
    without exactly one such file is a FileNotFoundError naming root and code."""
    root = Path(root)
    found = {}
    for code in languages:
        matches = sorted(root.glob(f"UD_*-PUD/{code}_pud-ud-test.conllu"))
        if len(matches) != 1:
            what = "no" if not matches else f"{len(matches)} files"
            raise FileNotFoundError(
                f"{what} PUD treebank for '{code}' under {root} "
                f"(expected exactly one UD_*-PUD/{code}_pud-ud-test.conllu)"
            )
        found[code] = matches[0]
    return found


def _sent_ids(path, sentences) -> list[str]:
    ids = []
    for number, sentence in enumerate(sentences, start=1):
        if not sentence.sent_id:
            raise CorpusFormatError(path, sentence.line, f"sentence {number} has no # sent_id")
        ids.append(sentence.sent_id)
    return ids


def _check_parallel(path_a, ids_a: list[str], path_b, ids_b: list[str]) -> None:
    where = f"{path_a} and {path_b} are not parallel"
    for number, (a, b) in enumerate(zip(ids_a, ids_b, strict=False), start=1):
        if a != b:
            raise ValueError(f"{where}: sentence {number} is {a} in one and {b} in the other")
    if len(ids_a) != len(ids_b):
        raise ValueError(f"{where}: {len(ids_a)} vs {len(ids_b)} sentences")


def pud_sentence_ids(path) -> list[str]:
    """The ``# sent_id`` of every sentence of a CoNLL-U file, read from its comment
    lines alone (no parse: quick enough for the config check before any job); a
    sentence without one is a CorpusFormatError naming file and line."""
    ids: list[str] = []
    current, start = None, None
    lines = read_lines(path)
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if start is not None:
                if current is None:
                    raise CorpusFormatError(
                        path, start, f"sentence {len(ids) + 1} has no # sent_id"
                    )
                ids.append(current)
            current, start = None, None
            continue
        if start is None:
            start = number
        if line.startswith("# sent_id"):
            current = line.partition("=")[2].strip()
    return ids


def check_pud_parallel(paths: dict) -> None:
    """That the PUD files ``paths`` (language -> file) hold the same sentence ids in
    the same order, as ``read_pud`` needs: a ValueError naming both files and the
    first sentence that differs, or the counts."""
    (first_lang, first), *rest = paths.items()
    ids = pud_sentence_ids(first)
    for _, path in rest:
        _check_parallel(first, ids, path, pud_sentence_ids(path))


def read_pud(paths: dict) -> ParallelCorpus:
    """Read Parallel UD treebanks, ``paths`` mapping each language to its CoNLL-U file.

    Each sentence's words are its syntactic words' forms as ``read_conllu`` gives
    them (a multiword token such as German "zum" as its words "zu dem"; empty
    nodes dropped). The files must hold the same ``# sent_id`` sequence: a
    sentence without one, a different count or a different id at some position
    is a ValueError naming the file(s) and the first sentence (1-based) concerned.
    """
    if not paths:
        raise ValueError("no PUD files given")
    languages = list(paths)
    ids: list[str] = []
    sentences = {}
    first = None
    for lang, path in paths.items():
        read = read_conllu(path)
        lang_ids = _sent_ids(path, read)
        if first is None:
            first, ids = path, lang_ids
        else:
            _check_parallel(first, ids, path, lang_ids)
        sentences[lang] = [list(s.forms) for s in read]
    return ParallelCorpus(languages, ids, sentences)


def _sentence_lines(path) -> list[list[str]]:
    words = []
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            raise CorpusFormatError(path, number, "blank line: every line must hold a sentence")
        words.append(line.split())
    if not words:
        raise CorpusFormatError(path, None, "no sentences")
    return words


def read_line_pairs(source_path, target_path, languages=None) -> ParallelCorpus:
    """Read two line-aligned text files (line i of one translates line i of the other).

    Words are the whitespace-separated chunks of a line, so a language written
    without spaces between words (Chinese, Japanese, Thai) gets one "word" per
    space-separated chunk, often the whole sentence. Text must be UTF-8 (see
    ``xlt.data.corpus.read_text``). ``languages`` (source, target) defaults to
    the files' suffixes: ``deu`` and ``eng`` for ``tatoeba.deu-eng.deu`` and
    ``tatoeba.deu-eng.eng``. Ids are the 1-based line numbers. A blank line is a
    CorpusFormatError naming file and line; different line counts are a
    ValueError naming both files and both counts.
    """
    if languages is None:
        languages = (Path(source_path).suffix.lstrip("."), Path(target_path).suffix.lstrip("."))
    source_lang, target_lang = languages
    if not source_lang or not target_lang or source_lang == target_lang:
        raise ValueError(
            f"cannot tell the languages of {source_path} and {target_path} apart "
            f"({source_lang!r}, {target_lang!r}): pass languages=(source, target)"
        )
    return read_parallel_lines({source_lang: source_path, target_lang: target_path})


def read_parallel_lines(paths: dict) -> ParallelCorpus:
    """Read line-aligned text files, ``paths`` mapping each language to its file
    (line i of every file the same sentence): different line counts are a
    ValueError naming the first file and the one that differs."""
    if not paths:
        raise ValueError("no parallel text files given")
    sentences = {lang: _sentence_lines(path) for lang, path in paths.items()}
    (first_lang, first), *rest = paths.items()
    for lang, path in rest:
        if len(sentences[lang]) != len(sentences[first_lang]):
            raise ValueError(
                f"{first} and {path} are not parallel: "
                f"{len(sentences[first_lang])} vs {len(sentences[lang])} lines"
            )
    ids = [str(n) for n in range(1, len(sentences[first_lang]) + 1)]
    return ParallelCorpus(list(paths), ids, sentences)


def read_parallel(kind: str, paths: dict, limit: int | None = None) -> ParallelCorpus:
    """A parallel corpus of one of the pipeline's kinds, its first ``limit`` sentences:
    ``pud`` (CoNLL-U treebanks aligned by sentence id, ``read_pud``), ``synthetic`` or
    ``files`` (line-aligned text, ``read_parallel_lines``)."""
    if kind == "pud":
        corpus = read_pud(paths)
    elif kind in ("synthetic", "files"):
        corpus = read_parallel_lines(paths)
    else:
        raise ValueError(f"unknown parallel corpus kind {kind!r} (pud, synthetic, files)")
    if limit is not None:
        corpus = ParallelCorpus(
            corpus.languages,
            corpus.ids[:limit],
            {lang: words[:limit] for lang, words in corpus.sentences.items()},
        )
    return corpus
