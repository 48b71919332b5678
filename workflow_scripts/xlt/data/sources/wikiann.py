"""WikiANN / PAN-X named-entity data: local files, deterministic splits, the hub, downloads.

Sources, all named by WikiANN (Wikipedia) codes such as ``en`` or ``zh-yue``
(``xlt.languages.codes.convert(lang, 'wikiann')`` gives them):

* the Rahimi et al. (2019) split, ``<dir>/<code>/{train,dev,test}`` with lines
  ``<code>:<token>\\t<tag>`` (``download_rahimi`` fetches it);
* XTREME's PAN-X files, ``<dir>/{train,dev,test}-<code>.tsv``, whose test
  files carry no labels (``labelled_split`` refuses them);
* the original unsplit WikiANN file of a language (Pan et al. 2017), split
  80/10/10 by ``deterministic_split`` as in Ponti et al. (2021);
* the Hugging Face hub dataset ``unimelb-nlp/wikiann`` (the Rahimi split).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tarfile
import tempfile
from fractions import Fraction
from pathlib import Path, PurePosixPath

from xlt.data.conllu_io import read_lines
from xlt.data.corpus import CorpusFormatError, NERSentence
from xlt.data.download import fetch_url, safe_extract
from xlt.data.ner_io import DOCSTART, checked_ner_records, read_ner
from xlt.data.sources.base import DataSource, check_root, local_input, scored_split
from xlt.languages.codes import convert

SPLITS = ("train", "dev", "test")
# The Rahimi et al. (2019) split of 176 languages: one tar of <code>.tar.gz
# archives, each holding train, dev, test (and extra). URL from the authors'
# README (github.com/afshinrahimi/mmner) and the hub dataset's original loading
# script; XTREME's PAN-X is built from the same archive.
RAHIMI_URL = "https://www.dropbox.com/s/12h3qqog6q4bjve/panx_dataset.tar?dl=1"

_TAG = re.compile(r"O|[BI]-\S+")


class UnlabelledSplitError(CorpusFormatError):
    """A split file without NER tags (XTREME ships PAN-X test files that way)."""

    def __init__(self, path):
        self.path, self.line = str(path), None
        self.reason = "is unlabelled (XTREME PAN-X test files carry no labels)"
        ValueError.__init__(self, f"{path} {self.reason}; evaluate on dev instead")


# --------------------------------------------------------------------------- local files


def rahimi_path(root, code: str, split: str) -> Path:
    """``<root>/<code>/<split>``: the Rahimi et al. layout."""
    return Path(root) / code / split


def xtreme_path(root, code: str, split: str) -> Path:
    """``<root>/<split>-<code>.tsv``: XTREME's PAN-X layout."""
    return Path(root) / f"{split}-{code}.tsv"


def find_split(root, code: str, split: str) -> Path:
    """The file of ``split`` for WikiANN code ``code`` in either local layout."""
    if split not in SPLITS:
        raise ValueError(f"unknown split '{split}' (known: {', '.join(SPLITS)})")
    candidates = [rahimi_path(root, code, split), xtreme_path(root, code, split)]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"no WikiANN {split} file for '{code}' in {root} "
        f"(looked for {candidates[0]} and {candidates[1]})"
    )


def _label_counts(path) -> tuple[int, int]:
    """(token lines with a tag column, token lines without one)."""
    lines = read_lines(path)
    tab_separated = any("\t" in line for line in lines)
    labelled = unlabelled = 0
    for line in lines:
        if not line.strip():
            continue
        cols = line.split("\t") if tab_separated else line.split()
        if cols[0] == DOCSTART:
            continue
        if len(cols) >= 2 and _TAG.fullmatch(cols[-1].strip()):
            labelled += 1
        else:
            unlabelled += 1
    return labelled, unlabelled


def is_labelled(path) -> bool:
    """True if every token line of ``path`` carries an NER tag."""
    labelled, unlabelled = _label_counts(path)
    return labelled > 0 and unlabelled == 0


def labelled_split(path, lang: str | None = None) -> list[NERSentence]:
    """Read a labelled split; an unlabelled file raises UnlabelledSplitError.

    A file with some untagged lines is read anyway so that ``read_ner`` names
    the first offending line.
    """
    labelled, unlabelled = _label_counts(path)
    if labelled == 0 and unlabelled > 0:
        raise UnlabelledSplitError(path)
    return read_ner(path, lang=lang)


def load_local(root, code: str, split: str) -> list[NERSentence]:
    """Labelled sentences of one split from a Rahimi or XTREME directory."""
    return labelled_split(find_split(root, code, split), code)


# --------------------------------------------------------------------------- splitting


def _fractions(fractions) -> tuple[Fraction, Fraction, Fraction]:
    # str() first so that 0.1 means one tenth, not the nearest binary float.
    exact = tuple(Fraction(str(f)) for f in fractions)
    if len(exact) != 3 or any(f < 0 for f in exact) or sum(exact) != 1:
        raise ValueError(f"fractions must be three non-negative numbers summing to 1: {fractions}")
    return exact


def split_sizes(n: int, fractions=(0.8, 0.1, 0.1)) -> tuple[int, int, int]:
    """Sizes (train, dev, test) for ``n`` sentences.

    dev = floor(n * f_dev) and test = floor(n * f_test), computed exactly;
    train takes the rest, so it never falls below its share. 1000 sentences
    give 800/100/100, 999 give 801/99/99, 5 give 5/0/0.
    """
    _, f_dev, f_test = _fractions(fractions)
    dev, test = math.floor(n * f_dev), math.floor(n * f_test)
    return n - dev - test, dev, test


def _sentence_key(sentence: NERSentence, key: bytes) -> bytes:
    # Words and tags both enter the hash, so only exact duplicates tie, and
    # for those the order is immaterial.
    text = "\t".join(sentence.words) + "\n" + "\t".join(sentence.tags or [])
    return hashlib.blake2b(text.encode("utf-8"), key=key, digest_size=16).digest()


def deterministic_split(
    sentences: list[NERSentence], seed: int, fractions=(0.8, 0.1, 0.1)
) -> dict[str, list[NERSentence]]:
    """Split sentences into train/dev/test, independently of their input order.

    Sentences are ordered by a BLAKE2b hash of their text keyed with ``seed``
    (ties, i.e. identical sentences, by input position) and cut into
    ``split_sizes`` pieces, so the same sentences and seed always give the same
    splits -- whatever order files or directories were read in. Each split
    keeps that hash order.
    """
    sizes = split_sizes(len(sentences), fractions)
    key = str(int(seed)).encode("ascii")
    order = sorted(range(len(sentences)), key=lambda i: (_sentence_key(sentences[i], key), i))
    ranked = [sentences[i] for i in order]
    bounds = [0, sizes[0], sizes[0] + sizes[1], len(ranked)]
    return {split: ranked[bounds[i] : bounds[i + 1]] for i, split in enumerate(SPLITS)}


def find_unsplit(root, code: str) -> Path:
    """The original (unsplit) WikiANN file of ``code``: ``wikiann-<code>.bio`` or ``<code>.bio``.

    Pan et al. (2017) distribute one file of all sentences per language.
    """
    candidates = [Path(root) / f"wikiann-{code}.bio", Path(root) / f"{code}.bio"]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"no unsplit WikiANN file for '{code}' in {root} (looked for "
        f"{candidates[0].name} and {candidates[1].name})"
    )


def load_unsplit(
    path, split: str, seed: int, fractions=(0.8, 0.1, 0.1), lang: str | None = None
) -> list[NERSentence]:
    """One split of an original (unsplit) WikiANN file, via ``deterministic_split``;
    ``lang`` as for ``read_ner``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split '{split}' (known: {', '.join(SPLITS)})")
    return deterministic_split(labelled_split(path, lang), seed, fractions)[split]


# --------------------------------------------------------------------------- download


def _extract_language(outer: Path, code: str, work: Path) -> Path:
    """Pull ``<code>.tar.gz`` out of the outer archive and unpack it under ``work``."""
    wanted = f"{code}.tar.gz"
    with tarfile.open(outer) as tar:
        member = next((m for m in tar if PurePosixPath(m.name).name == wanted), None)
        if member is None or not member.isfile():
            raise ValueError(f"{outer}: no {wanted} (is '{code}' a Rahimi WikiANN language?)")
        inner = work / wanted
        with tar.extractfile(member) as src, inner.open("wb") as out:
            shutil.copyfileobj(src, out)
    return safe_extract(inner, work / "unpacked")


def _collect_splits(unpacked: Path, code: str, dest: Path) -> None:
    found = sorted(p for p in unpacked.rglob("*") if p.is_file() and p.name in SPLITS)
    names = [p.name for p in found]
    if sorted(names) != sorted(SPLITS):
        raise ValueError(f"the archive of '{code}' should hold one train, dev and test: {names}")
    dest.mkdir()
    for path in found:
        os.replace(path, dest / path.name)


def download_rahimi(
    code: str, dest, *, archive=None, url: str = RAHIMI_URL, **fetch_options
) -> Path:
    """Fetch the Rahimi split of WikiANN code ``code`` into ``dest/{train,dev,test}``.

    The outer archive (all languages) is downloaded once to ``archive``
    (default ``<dest>/../panx_dataset.tar``) and reused for other languages.
    Atomic like ``xlt.data.sources.ud.download_release``: on failure no ``dest`` exists; an
    existing ``dest`` is returned unchanged. ``fetch_options`` go to
    ``xlt.data.sources.ud.fetch_url``.
    """
    dest = Path(dest)
    if dest.exists():
        return dest
    archive = Path(archive) if archive else dest.parent / "panx_dataset.tar"
    if not archive.is_file():
        fetch_url(url, archive, **fetch_options)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside dest so that the final rename stays on one file system.
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        staged = work / "out"
        _collect_splits(_extract_language(archive, code, work), code, staged)
        os.replace(staged, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


# --------------------------------------------------------------------------- the source


def _sentences(root, lang: str, split: str, cfg: dict) -> tuple[list, object]:
    code = convert(lang, "wikiann")
    if cfg["source"] == "unsplit":
        path = find_unsplit(root, code)
        return load_unsplit(path, split, cfg["split_seed"], lang=code), path
    path = find_split(root, code, split)
    return labelled_split(path, code), path


def ner_source(root, lang: str, split: str, role: str, cfg: dict) -> dict:
    """The file a pipeline split is read from, and the split it stands for (a
    target's test is ``data.ner.eval_split``)."""
    code = convert(lang, "wikiann")
    split, notes = scored_split(split, cfg, "ner")
    if cfg["source"] == "unsplit":
        path = find_unsplit(root, code)
        notes.append(f"the {split} part of a seeded 80/10/10 split (seed {cfg['split_seed']})")
    else:
        path = find_split(root, code, split)
    return {"files": [str(path)], "notes": notes}


def ner_split(root, lang: str, split: str, role: str, cfg: dict, seed: int, task: str):
    """Records of ``split``; evaluation ("test") reads ``data.ner.eval_split``.

    With eval_split dev, a source language evaluated on itself is scored on
    the dev data its model was selected on: an optimistic in-language number.
    """
    check_root(root, "data.ner.local_dir")
    split, _ = scored_split(split, cfg, "ner")
    sentences, path = _sentences(root, lang, split, cfg)
    return checked_ner_records(sentences, path)


def _root(cfg: dict) -> str:
    return cfg["local_dir"] or f"resources/wikiann/{cfg['source']}"


def _inputs(cfg: dict, root: str, lang: str, split: str | None = None) -> list[str]:
    """The local directory, or the language's own download."""
    if cfg["local_dir"]:
        return local_input(cfg["local_dir"])
    return [f"{root}/{convert(lang, 'wikiann')}"]


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    if not codes["wikiann"]:
        return f"no WikiANN data for '{lang}' (metadata/language_codes.tsv)"
    if cfg["source"] != "unsplit" and codes["wikiann_rahimi"] == "no":
        return f"'{lang}' is not in the Rahimi et al. split of WikiANN (data.ner.source)"
    root = cfg.get("local_dir")
    if root and Path(root).is_dir():
        try:
            ner_source(root, lang, split, "test", cfg)
        except FileNotFoundError:
            read = cfg.get("eval_split", "test") if split == "test" else split
            scored = " (the scored split, data.ner.eval_split)" if read != split else ""
            return f"no WikiANN {read} file of '{lang}' in {root}{scored}"
    return None


def _text(root, lang: str, cfg: dict, files_only: bool) -> list[str]:
    """The train and dev files of ``lang`` or their sentences; the split targets
    are scored on stays unseen, even unlabelled."""
    splits = [s for s in ("train", "dev") if s != cfg["eval_split"]]
    found = []
    for split in splits:
        if files_only and not Path(root).is_dir():
            break
        try:
            if files_only:
                located = ner_source(root, lang, split, "test", cfg)
                found += [f for f in located["files"] if f not in found]
            else:
                sentences, _ = _sentences(root, lang, split, cfg)
                found += [" ".join(s.words) for s in sentences]
        except FileNotFoundError:
            continue
    return found


def _check(cfg: dict, used: bool) -> list[str]:
    if cfg["source"] == "unsplit" and not cfg["local_dir"]:
        return ["config key 'data.ner.local_dir' is required when data.ner.source is unsplit"]
    return []


SOURCE = DataSource(
    kind="wikiann",
    config_key="ner",
    downloads="the Rahimi et al. split of a language (data.ner.source: rahimi) or the hub's copy",
    local_files=(
        "<code>/{train,dev,test} (Rahimi et al.), {train,dev,test}-<code>.tsv (XTREME's "
        "PAN-X), or one unsplit file per language (data.ner.source: unsplit)"
    ),
    root=_root,
    from_local_dir=lambda cfg: bool(cfg["local_dir"]),
    inputs=_inputs,
    locate=ner_source,
    read=ner_split,
    gap=_gap,
    text=_text,
    check=_check,
)
