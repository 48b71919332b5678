"""Universal Dependencies releases: download, find treebanks, choose splits.

A release (or a local directory laid out like one) holds one directory per
treebank, ``UD_<Language>-<Treebank>/<code>_<tb>-ud-{train,dev,test}.conllu``.
Not every treebank has every split: many small ones have only a test split.
``split_files`` implements the rule of Ponti et al. (2021) for them.

The download helpers (``fetch_url``, ``safe_extract``) are shared with
``xlt.data.sources.wikiann``.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from xlt import tasks
from xlt.data.conllu_io import read_conllu
from xlt.data.corpus import CorpusFormatError
from xlt.data.download import fetch_url, safe_extract
from xlt.data.sources.base import DataSource, check_root, local_input, missing_directory
from xlt.tasks.metrics import universal_relation

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


# --------------------------------------------------------------------------- the source


def tree_records(sentences, source) -> list[dict]:
    """Parsing records of UD sentences read from ``source``."""
    relations = set(tasks.labels("dep"))
    records = []
    for sentence in sentences:
        lines = sentence.word_lines or [sentence.line] * len(sentence.forms)
        deprels = []
        for i, (head, deprel) in enumerate(zip(sentence.heads, sentence.deprels, strict=True)):
            if head is None:
                raise CorpusFormatError(source, lines[i], "word without a HEAD: no tree to parse")
            relation = universal_relation(deprel)
            if relation not in relations:
                raise CorpusFormatError(
                    source,
                    lines[i],
                    f"DEPREL {deprel!r} is not a universal dependency relation "
                    "(metadata/tagsets.yaml, dep)",
                )
            deprels.append(relation)
        records.append(
            {
                "words": sentence.forms,
                "upos": sentence.upos,
                "heads": sentence.heads,
                "deprels": deprels,
            }
        )
    return records


@functools.cache
def _scanned(root: str) -> ReleaseIndex:
    """One scan per release and process (with its sentence counts): the DAG asks
    for the source of every corpus of a grid."""
    return scan_release(root)


def _records(paths, task: str = "pos") -> list[dict]:
    """POS records (words, UPOS labels, heads, relations) or, for ``dep``, parsing
    records of the given CoNLL-U files."""
    allowed = set(tasks.labels("pos"))
    if task == "dep":
        return [r for path in paths for r in tree_records(read_conllu(path, allowed), path)]
    return [
        {"words": s.forms, "labels": s.upos, "heads": s.heads, "deprels": s.deprels}
        for path in paths
        for s in read_conllu(path, upos_tagset=allowed)
    ]


def ud_split(
    root, lang: str, split: str, role: str, ud_cfg: dict, seed: int, task: str = "pos"
) -> list[dict]:
    """Records of ``task`` (pos or dep) of ``split`` for a language whose role is
    ``train`` (source) or ``test``: a source without dev data holds a seeded share
    of its training sentences out (``xlt.data.holdout``); a treebank without train
    trains on its test split when its language is a source."""
    from xlt.data.holdout import split_off_dev

    index = scan_release(root)
    explicit = ud_cfg.get("treebanks", {}).get(lang)
    selected = select_treebanks(index, lang, ud_cfg["policy"], explicit)
    if split == "test" or role == "test":  # "partitioned" trains like "train"
        return _records(split_files(selected, split, role), task)
    dev_files = split_files(selected, "dev", role)
    train = _records(split_files(selected, "train", role), task)
    if dev_files:
        return train if split == "train" else _records(dev_files, task)
    train, dev = split_off_dev(train, seed)
    return train if split == "train" else dev


def ud_source(root, lang: str, split: str, role: str, ud_cfg: dict) -> dict:
    """Where ``ud_split`` takes a split from: the treebanks chosen (and how), the
    files, and notes on any stand-in (test data training, dev held out of train)."""
    from xlt.data.holdout import DEV_HOLDOUT

    index = _scanned(str(root))
    explicit = ud_cfg.get("treebanks", {}).get(lang)
    selected = select_treebanks(index, lang, ud_cfg["policy"], explicit)
    candidates = index.get(lang, [])
    size_split = "train" if any(tb.has("train") for tb in candidates) else "test"
    how = "data.ud.treebanks" if explicit else f"policy {ud_cfg['policy']}"
    chosen = [f"{tb.name} ({tb.sentences(size_split)} {size_split} sentences)" for tb in selected]
    others = [tb.name for tb in candidates if tb not in selected]
    notes = [f"treebank chosen by {how}: {', '.join(chosen)}"]
    if others:
        notes.append(f"not used: {', '.join(others)}")
    if split == "test" or role == "test":  # as ud_split reads it
        plan = split_plan(selected, split, role)
    else:
        train_plan, dev_plan = (split_plan(selected, s, role) for s in ("train", "dev"))
        plan = dev_plan if split == "dev" and dev_plan else train_plan
        if not dev_plan:
            notes.append(
                f"no dev split: a seeded {DEV_HOLDOUT:.0%} of the training sentences is the "
                "dev split, the rest the train split"
            )
    stand_ins = [tb.name for tb, file_split in plan if file_split == "test" != split]
    if stand_ins:
        notes.append(f"no train split: the test data of {', '.join(stand_ins)} trains")
    files = [str(path) for tb, file_split in plan for path in tb.files[file_split]]
    return {"treebanks": [tb.name for tb in selected], "files": files, "notes": notes}


def _root(cfg: dict) -> str:
    """The release: a directory the user already has, or the downloaded one."""
    return cfg["local_dir"] or f"resources/ud/ud-treebanks-v{cfg['version']}"


def _inputs(cfg: dict, root: str, lang: str, split: str | None = None) -> list[str]:
    return local_input(root) if cfg["local_dir"] else [root]


def _read(root, lang: str, split: str, role: str, cfg: dict, seed: int, task: str):
    check_root(root, "data.ud.local_dir")
    return ud_split(root, lang, split, role, cfg, seed, task)


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    if not codes["ud"]:
        return f"no UD treebank of '{lang}' (metadata/language_codes.tsv)"
    root = cfg.get("local_dir")
    if root and Path(root).is_dir():
        treebanks = _scanned(str(root)).get(lang, [])
        if not treebanks:
            return f"no UD treebank of '{lang}' in {root}"
        if split == "test" and not any(tb.has("test") for tb in treebanks):
            return f"no UD test split of '{lang}' in {root}"
    return None


def own_split_gap(lang: str, split: str, cfg: dict) -> str | None:
    """Why a target language has no ``split`` file of its own in a local release
    (no chosen treebank has it; a target never trains on a stand-in such as test
    data), or None."""
    root = cfg.get("local_dir")
    if split == "test" or not (root and Path(root).is_dir()):
        return None
    explicit = cfg.get("treebanks", {}).get(lang)
    selected = select_treebanks(_scanned(str(root)), lang, cfg["policy"], explicit)
    if not any(tb.has(split) for tb in selected):
        names = ", ".join(tb.name for tb in selected)
        return f"no UD {split} file of '{lang}' in {root} ({names})"
    return None


def _text_files(index, lang: str, cfg: dict) -> list[Path]:
    """The train and dev files of ``lang``'s chosen treebanks (role "test": a test
    split never stands in), or none if the release has no treebank of it."""
    if not index.get(lang):
        return []
    selected = select_treebanks(index, lang, cfg["policy"], cfg["treebanks"].get(lang))
    return [
        path
        for split in ("train", "dev")
        for treebank, file_split in split_plan(selected, split, "test")
        for path in treebank.files[file_split]
    ]


def _text(root, lang: str, cfg: dict, files_only: bool) -> list[str]:
    """The train and dev files of ``lang`` (where the release exists), or their
    sentences."""
    if files_only:
        return (
            [str(p) for p in _text_files(_scanned(str(root)), lang, cfg)]
            if Path(root).is_dir()
            else []
        )
    return [
        " ".join(s.forms)
        for path in _text_files(scan_release(root), lang, cfg)
        for s in read_conllu(path)
    ]


def _check(cfg: dict, used: bool) -> list[str]:
    problems = missing_directory("ud", cfg.get("local_dir"), used)
    if not cfg.get("local_dir") and cfg["version"] not in UD_RELEASES:
        problems.insert(
            0,
            f"config key 'data.ud.version': no download known for UD release "
            f"'{cfg['version']}' (known: {', '.join(UD_RELEASES)}); or set "
            "data.ud.local_dir to an extracted release",
        )
    return problems


SOURCE = DataSource(
    kind="ud",
    config_key="ud",
    downloads="the UD release data.ud.version (LINDAT tarball) into resources/ud/",
    local_files="an unpacked release: UD_*/<code>_<tb>-ud-{train,dev,test}.conllu",
    root=_root,
    from_local_dir=lambda cfg: bool(cfg["local_dir"]),
    inputs=_inputs,
    locate=ud_source,
    read=_read,
    gap=_gap,
    text=_text,
    check=_check,
)
