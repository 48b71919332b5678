"""Universal Dependencies releases: download, find treebanks, choose splits.

A release (or a local directory laid out like one) holds one directory per
treebank, ``UD_<Language>-<Treebank>/<code>_<tb>-ud-{train,dev,test}.conllu``.
Not every treebank has every split: many small ones have only a test split.
``split_files`` implements the rule of Ponti et al. (2021) for them.

The download helpers (``fetch_url``, ``safe_extract``) are shared with
``xlt.data.wikiann``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path, PurePosixPath

from xlt.core.fileio import atomic_path

log = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
POLICIES = ("all", "largest")
# "partitioned": a language of the factorization grid, seen in some partitions
# and held out in others, so it needs both a train and a test split.
ROLES = ("train", "dev", "test", "partitioned")

_LINDAT = "https://lindat.mff.cuni.cz/repository/xmlui/bitstream/handle/11234"
# Official release tarballs on LINDAT/CLARIAH-CZ, one persistent handle per release
# (http://hdl.handle.net/11234/1-NNNN is the landing page). Handles and file names
# as registered for versions 2.0-2.16 in pyconll's integration tests
# (pyconll/pyconll, tests/int/test_corpora.py); those of 2.0-2.10 also appear in
# the download scripts of Lematus, UDify, MaChAmp and XTREME (2.5).
UD_RELEASES: dict[str, str] = {
    version: f"{_LINDAT}/1-{item}/ud-treebanks-v{version}.tgz"
    for version, item in {
        "2.0": 1983,
        "2.1": 2515,
        "2.2": 2837,
        "2.3": 2895,
        "2.4": 2988,
        "2.5": 3105,
        "2.6": 3226,
        "2.7": 3424,
        "2.8": 3687,
        "2.9": 4611,
        "2.10": 4758,
        "2.11": 4923,
        "2.12": 5150,
        "2.13": 5287,
        "2.14": 5502,
        "2.15": 5787,
        "2.16": 5901,
    }.items()
}

# <code>_<tb>-ud-<split>.conllu; a large split may come in parts in the treebank's
# repository (cs_pdt-ud-train-c.conllu, de_hdt-ud-train-a-1.conllu), which the
# release tarballs join into one file.
_FILE = re.compile(r"([a-z]+)_([a-z0-9]+)-ud-(train|dev|test)(-[a-z0-9-]+)?\.conllu")
# Transient failures worth another try; anything else (404, bad URL) fails at once.
_RETRYABLE = (urllib.error.URLError, HTTPException, ConnectionError, TimeoutError)


def release_handle(version: str) -> str:
    """The persistent landing page (hdl.handle.net) of a UD release."""
    item = re.search(r"/11234/(1-\d+)/", release_url(version)).group(1)
    return f"http://hdl.handle.net/11234/{item}"


def release_url(version: str) -> str:
    """The tarball URL of a UD release listed in ``UD_RELEASES``."""
    try:
        return UD_RELEASES[version]
    except KeyError:
        known = ", ".join(UD_RELEASES)
        raise ValueError(f"unknown UD release '{version}' (known: {known})") from None


# --------------------------------------------------------------------------- download


def _is_permanent(error: Exception) -> bool:
    """A client error such as 404 will not go away by retrying."""
    return isinstance(error, urllib.error.HTTPError) and 400 <= error.code < 500


def _copy_response(url: str, dest: Path, opener, timeout: float) -> None:
    with opener(url, timeout=timeout) as response, dest.open("wb") as out:
        expected = response.headers.get("Content-Length") if response.headers else None
        shutil.copyfileobj(response, out, length=1 << 20)
    size = dest.stat().st_size
    if expected is not None and int(expected) != size:
        raise ConnectionError(f"{url}: got {size} bytes of {expected} (connection dropped?)")


def fetch_url(
    url: str,
    dest,
    *,
    retries: int = 3,
    timeout: float = 60.0,
    backoff: float = 5.0,
    opener=None,
    sleep=time.sleep,
) -> Path:
    """Download ``url`` to ``dest`` atomically, retrying transient failures.

    ``retries`` further attempts follow a failed one, ``backoff * 2**i`` seconds
    apart. A truncated transfer (fewer bytes than Content-Length) counts as a
    failure. ``opener`` (default ``urllib.request.urlopen``) and ``sleep`` exist
    for tests.
    """
    opener = opener or urllib.request.urlopen
    dest = Path(dest)
    for attempt in range(retries + 1):
        try:
            with atomic_path(dest) as tmp:
                _copy_response(url, tmp, opener, timeout)
            return dest
        except _RETRYABLE as error:
            if attempt == retries or _is_permanent(error):
                raise ConnectionError(
                    f"downloading {url} failed after {attempt + 1} attempt(s): {error}"
                ) from error
            sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def _check_member(member: tarfile.TarInfo, archive) -> None:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"{archive}: unsafe path {member.name!r} in archive")
    if not (member.isfile() or member.isdir()):
        # Links and device files could point outside the target directory;
        # data releases need neither.
        raise ValueError(f"{archive}: {member.name!r} is not a regular file or directory")


def safe_extract(archive, dest) -> Path:
    """Extract a tar archive (any compression) into ``dest``, refusing unsafe members."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for member in members:
            _check_member(member, archive)
        # The "data" filter repeats the checks and drops permission bits.
        tar.extractall(dest, members=members, filter="data")
    return dest


def _release_root(extracted: Path) -> Path:
    """The directory holding the UD_* treebanks inside an extracted release."""
    if any(extracted.glob("UD_*")):
        return extracted
    children = [p for p in extracted.iterdir() if p.is_dir()]
    if len(children) == 1 and any(children[0].glob("UD_*")):
        return children[0]
    raise ValueError("the archive holds no UD_* treebank directories (not a UD release?)")


def download_release(version: str, dest_dir, *, url: str | None = None, **fetch_options) -> Path:
    """Download and unpack UD release ``version`` so that ``dest_dir/UD_*`` are its treebanks.

    Atomic: everything happens in a temporary sibling of ``dest_dir`` that is
    renamed onto it at the end, so a failure leaves no ``dest_dir``. An
    existing ``dest_dir`` is taken as complete and returned unchanged. ``url``
    overrides the LINDAT URL (a mirror, or ``file://`` in tests);
    ``fetch_options`` go to ``fetch_url``.
    """
    dest_dir = Path(dest_dir)
    url = url or release_url(version)
    if dest_dir.exists():
        return dest_dir
    dest_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest_dir.name}.", dir=dest_dir.parent))
    try:
        archive = fetch_url(url, work / "release.tgz", **fetch_options)
        root = _release_root(safe_extract(archive, work / "extracted"))
        os.replace(root, dest_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest_dir


# --------------------------------------------------------------------------- scanning


@dataclass
class Treebank:
    """One treebank of one language: its directory name and its split files."""

    name: str  # directory name, e.g. "UD_Finnish-TDT"
    code: str  # UD language code from the file names, e.g. "fi"
    # split -> its .conllu file(s), sorted; more than one only for a split in parts
    files: dict[str, list[Path]] = field(default_factory=dict)
    _sizes: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def stem(self) -> str:
        """The file-name prefix, e.g. ``fi_tdt``."""
        return next(iter(self.files.values()))[0].name.split("-ud-")[0]

    def has(self, split: str) -> bool:
        """Whether the treebank has a file for ``split``."""
        return split in self.files

    def sentences(self, split: str) -> int:
        """Number of sentences in a split (0 if absent): blank-line-terminated blocks."""
        if split not in self.files:
            return 0
        if split not in self._sizes:
            self._sizes[split] = sum(_count_sentences(p) for p in self.files[split])
        return self._sizes[split]


def _count_sentences(path: Path) -> int:
    """Sentences (blocks of non-blank lines) of a CoNLL-U file, counted on its
    bytes: choosing the largest treebank must not fail on a file that is not
    UTF-8 when only another split is read (that split's reader names the problem)."""
    count, in_sentence = 0, False
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                in_sentence = True
            elif in_sentence:
                count, in_sentence = count + 1, False
    return count + in_sentence


class ReleaseIndex(dict):
    """``scan_release``'s result: UD code -> treebanks, remembering the scanned root."""

    def __init__(self, root: Path, items):
        super().__init__(items)
        self.root = root


def _treebank_dirs(root: Path) -> list[Path]:
    dirs = [p for p in root.glob("UD_*") if p.is_dir()]
    if not dirs:  # root is the parent of an unpacked release (ud-treebanks-v2.X/UD_*)
        dirs = [p for p in root.glob("*/UD_*") if p.is_dir()]
    return sorted(dirs, key=lambda p: (p.name, str(p)))


# Files that look like treebank data but are not read (logged, never silently dropped).
_DATA_LIKE = re.compile(r".*\.(conllu|conll|conllx)(\.gz)?", re.IGNORECASE)


def _scan_dir(directory: Path) -> list[Treebank]:
    by_code: dict[str, Treebank] = {}
    ignored = []
    for path in sorted(directory.iterdir()):
        m = _FILE.fullmatch(path.name)
        if m and path.is_file():
            tb = by_code.setdefault(m.group(1), Treebank(directory.name, m.group(1)))
            tb.files.setdefault(m.group(3), []).append(path)
        elif _DATA_LIKE.fullmatch(path.name):
            ignored.append(path.name)
    if ignored:
        log.warning(
            "%s: not read, the name is not <code>_<treebank>-ud-<train|dev|test>.conllu: %s",
            directory,
            ", ".join(ignored),
        )
    for tb in by_code.values():
        tb.files = {s: tb.files[s] for s in SPLITS if s in tb.files}
    return list(by_code.values())


def scan_release(root) -> ReleaseIndex:
    """Find every treebank under ``root``, keyed by UD language code (sorted).

    ``root`` is a release (``root/UD_*``) or the directory it was unpacked in
    (``root/ud-treebanks-v2.X/UD_*``). Each language's treebanks are sorted by
    name. Directories without ``*-ud-<split>.conllu`` files are skipped.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"UD directory {root} does not exist")
    found: dict[str, list[Treebank]] = {}
    for directory in _treebank_dirs(root):
        for tb in _scan_dir(directory):
            found.setdefault(tb.code, []).append(tb)
    items = sorted((code, sorted(tbs, key=lambda t: t.name)) for code, tbs in found.items())
    return ReleaseIndex(root, items)


# --------------------------------------------------------------------------- selection


def _where(treebanks) -> str:
    return str(getattr(treebanks, "root", "the scanned release"))


def _explicit(candidates: list[Treebank], lang: str, names: list[str]) -> list[Treebank]:
    by_name = {tb.name: tb for tb in candidates} | {tb.stem: tb for tb in candidates}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        known = ", ".join(tb.name for tb in candidates)
        raise ValueError(
            f"treebank(s) {', '.join(unknown)} not found for language '{lang}' (has: {known})"
        )
    return list({id(by_name[n]): by_name[n] for n in names}.values())


def _largest(candidates: list[Treebank]) -> Treebank:
    split = "train" if any(tb.has("train") for tb in candidates) else "test"
    # max() keeps the first of equals; candidates are sorted by name.
    return max(candidates, key=lambda tb: tb.sentences(split))


def select_treebanks(
    treebanks, lang: str, policy: str = "largest", explicit: list[str] | None = None
) -> list[Treebank]:
    """The treebanks of ``lang`` to use.

    ``explicit`` (directory names like ``UD_Finnish-TDT`` or file prefixes like
    ``fi_tdt``) overrides ``policy``. Policy ``all`` takes every treebank of the
    language (their files are concatenated downstream); ``largest`` the one
    with the most training sentences or, if none has a train split, the most
    test sentences (ties: first by name).
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown treebank policy '{policy}' (known: {', '.join(POLICIES)})")
    candidates = treebanks.get(lang, [])
    if not candidates:
        raise ValueError(f"language '{lang}' has no treebank in {_where(treebanks)}")
    if explicit:
        return _explicit(candidates, lang, explicit)
    return list(candidates) if policy == "all" else [_largest(candidates)]


def split_plan(selected: list[Treebank], split: str, role: str) -> list[tuple[Treebank, str]]:
    """Which split file of each selected treebank serves as ``split``: (treebank, file split).

    See ``split_files`` for the rules; this form also tells where data came from.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split '{split}' (known: {', '.join(SPLITS)})")
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLES)})")
    plan = []
    for tb in selected:
        # Ponti et al. (2021): a treebank without train trains on its test split
        # when its language is a training language.
        test_is_train = role in ("train", "partitioned") and not tb.has("train")
        if split == "train" and test_is_train:
            plan.append((tb, "test"))
        # When held out, a partitioned language is evaluated on the test data
        # that trains it when seen (never both within one partition).
        elif tb.has(split) and not (split == "test" and test_is_train and role == "train"):
            plan.append((tb, split))
    return plan


def split_files(selected: list[Treebank], split: str, role: str) -> list[Path]:
    """The .conllu files that make up ``split`` for a language playing ``role``.

    ``role`` is what the language's data is used for in the experiment:
    ``train`` (a seen/source language whose data trains the model), ``dev``
    (used for model selection only) or ``test`` (held out, evaluated).

    * train: the train files. Under role ``train`` a treebank without a train
      split contributes its test file instead (Ponti et al. 2021, §4.1) --
      that test data is then training data, so under role ``train`` such a
      treebank has no test file for evaluation (``split='test'`` leaves it out).
    * dev: the dev files, or ``[]`` when no selected treebank has one: the
      caller then falls back explicitly (e.g. model selection on the dev data
      of the other source languages, or on training loss).
    * test: the test files (minus those used for training, see above).
      Under role ``partitioned`` (a factorization-grid language, seen in some
      partitions and held out in others) a treebank without train gives its
      test file both as train and as test: each partition uses one of them.

    An empty train or test result raises ValueError naming language and split.
    """
    files = [path for tb, s in split_plan(selected, split, role) for path in tb.files[s]]
    if files or split == "dev":
        return files
    names = ", ".join(tb.name for tb in selected) or "none"
    lang = selected[0].code if selected else "?"
    reason = ""
    if split == "test" and role == "train":
        reason = " (a test split without a train split serves as training data)"
    raise ValueError(
        f"language '{lang}' has no {split} data for role '{role}' in treebank(s) {names}{reason}"
    )
