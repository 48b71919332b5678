"""CoNLL-2002 and CoNLL-2003 shared-task NER files (task ``conll_ner``).

The original files, named ``<prefix>.<file split>``: CoNLL-2003 ``eng`` (English,
``<token> <POS> <chunk> <tag>``) and ``deu`` (German, ``<token> <lemma> <POS>
<chunk> <tag>``, Latin-1), tagged in IOB1; CoNLL-2002 ``esp`` (Spanish, ``<token>
<tag>`` or ``<token> <POS> <tag>``) and ``ned`` (Dutch, ``<token> <POS> <tag>``),
tagged in IOB2. ``train`` trains, ``testa`` (the shared tasks' development data)
is the pipeline's dev split and ``testb`` its test split. ``xlt.data.ner_io``
reads the columns (``-DOCSTART-`` lines end a sentence and are dropped); every
sentence's tags are then made valid IOB2 with ``xlt.tasks.metrics.repair_bio``:
IOB1's ``I-X`` that opens an entity becomes ``B-X``, an IOB2 file stays as it is.

Where the files are (``data.conll.local_dir``: one directory or a list searched
in order): a file ``<prefix>.<split>`` directly in a directory or in its
``conll2003/`` (eng, deu) or ``conll2002/`` (esp, ned) subdirectory. CoNLL-2003
is licensed (Reuters RCV1 and Frankfurter Rundschau text): it is never
downloaded. CoNLL-2002 is, where ``data.conll.download`` allows and the files
are not in local_dir, from NLTK's data (``download_conll2002``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from xlt.data.corpus import NERSentence
from xlt.data.download import fetch_url
from xlt.data.ner_io import checked_ner_records, read_ner
from xlt.data.sources.base import DataSource
from xlt.tasks.metrics import repair_bio

# pipeline language code -> (shared task, file prefix)
LANGUAGES = {
    "de": ("conll2003", "deu"),
    "en": ("conll2003", "eng"),
    "es": ("conll2002", "esp"),
    "nl": ("conll2002", "ned"),
}
# pipeline split -> the shared tasks' file suffix
FILE_SPLITS = {"train": "train", "dev": "testa", "test": "testb"}
DOWNLOADABLE = "conll2002"  # CoNLL-2003's text is licensed (Reuters): local files only
NLTK_URL = (
    "https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/corpora/conll2002.zip"
)
# The original files are Latin-1; copies (NLTK's, converted ones) may be UTF-8.
FALLBACK_ENCODING = "latin-1"
KEY = "data.conll.local_dir"


def check_language(lang: str) -> tuple[str, str]:
    """(shared task, file prefix) of pipeline code ``lang``; ValueError naming the
    languages CoNLL has otherwise."""
    try:
        return LANGUAGES[lang]
    except KeyError:
        known = ", ".join(
            f"{code} ({prefix}, {task})" for code, (task, prefix) in LANGUAGES.items()
        )
        raise ValueError(f"CoNLL NER has no language '{lang}' (its languages: {known})") from None


def file_name(lang: str, split: str) -> str:
    """``<prefix>.<file split>`` of (lang, split), e.g. ``eng.testa`` for (en, dev)."""
    _, prefix = check_language(lang)
    if split not in FILE_SPLITS:
        raise ValueError(f"unknown split '{split}' (known: {', '.join(FILE_SPLITS)})")
    return f"{prefix}.{FILE_SPLITS[split]}"


def local_dirs(local_dir) -> list[Path]:
    """``data.conll.local_dir`` (null, one directory or a list) as a list."""
    if not local_dir:
        return []
    if isinstance(local_dir, str | os.PathLike):
        return [Path(local_dir)]
    return [Path(d) for d in local_dir]


def candidates(local_dir, lang: str, split: str) -> list[Path]:
    """Where (lang, split)'s file is looked for, in order."""
    shared_task, _ = check_language(lang)
    name = file_name(lang, split)
    return [path for d in local_dirs(local_dir) for path in (d / name, d / shared_task / name)]


def find_local(local_dir, lang: str, split: str) -> Path | None:
    """The first of ``candidates`` that is a file, or None."""
    return next((p for p in candidates(local_dir, lang, split) if p.is_file()), None)


def downloadable(lang: str, cfg: dict) -> bool:
    """Whether (lang)'s files may come from the CoNLL-2002 download (``data.conll.download``)."""
    return check_language(lang)[0] == DOWNLOADABLE and bool(cfg.get("download", True))


def missing_message(lang: str, split: str, cfg: dict) -> str:
    """Why (lang, split) has no file: where it was looked for, and what to do."""
    shared_task, prefix = check_language(lang)
    name = file_name(lang, split)
    looked = [str(p) for p in candidates(cfg.get("local_dir"), lang, split)]
    where = f"looked for {', '.join(looked)}" if looked else f"{KEY} is not set"
    absent = [str(d) for d in local_dirs(cfg.get("local_dir")) if not d.is_dir()]
    if absent:
        where += f"; not a directory: {', '.join(absent)}"
    if shared_task == DOWNLOADABLE:
        download = (
            ""
            if cfg.get("download", True)
            else (", or set data.conll.download: true to fetch them from NLTK's data")
        )
        return (
            f"no CoNLL-2002 file {name} for '{lang}' ({where}); put {prefix}.train, "
            f"{prefix}.testa and {prefix}.testb in a directory of {KEY}{download}"
        )
    return (
        f"no CoNLL-2003 file {name} for '{lang}' ({where}); CoNLL-2003 is licensed "
        f"(Reuters) and cannot be downloaded: put {prefix}.train, {prefix}.testa and "
        f"{prefix}.testb (the shared task's files) in a directory of {KEY}"
    )


def resolve(cfg: dict, lang: str, split: str, download_root) -> Path:
    """The file (lang, split) is read from: found in ``data.conll.local_dir``, else
    CoNLL-2002's download under ``download_root`` (it need not exist yet) where
    ``data.conll.download`` allows; FileNotFoundError naming the config key."""
    found = find_local(cfg.get("local_dir"), lang, split)
    if found is not None:
        return found
    if download_root is not None and downloadable(lang, cfg):
        return Path(download_root) / file_name(lang, split)
    raise FileNotFoundError(missing_message(lang, split, cfg))


def read_conll(path) -> list[NERSentence]:
    """The sentences of a CoNLL-2002/2003 file (UTF-8 or Latin-1), tags in IOB2.

    The token is the first column and the tag the last (any columns between
    are ignored; every line must have as many as the file's first). IOB1
    (CoNLL-2003) becomes IOB2: an ``I-X`` that does not continue an ``X``
    entity opens one as ``B-X``.
    """
    sentences = read_ner(path, fallback=FALLBACK_ENCODING)
    for sentence in sentences:
        sentence.tags = repair_bio(sentence.tags)  # read_ner refused malformed tags
    return sentences


def conll_records(path, task: str = "conll_ner") -> list[dict]:
    """Records (words, IOB2 labels) of a CoNLL-2002/2003 file; a tag outside
    ``task``'s tag set is an error naming file, line and the tag as written."""
    records = checked_ner_records(read_ner(path, fallback=FALLBACK_ENCODING), path, task)
    for record in records:
        record["labels"] = repair_bio(record["labels"])
    return records


# --------------------------------------------------------------------------- download


def _nltk_members(archive: Path, names: list[str]) -> dict[str, zipfile.ZipInfo]:
    """The archive's members named ``names`` (``esp.train``, ...), wherever they lie."""
    with zipfile.ZipFile(archive) as zf:
        found = {
            PurePosixPath(info.filename).name: info
            for info in zf.infolist()
            if not info.is_dir() and PurePosixPath(info.filename).name in names
        }
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"{archive}: no {', '.join(missing)} (not NLTK's conll2002.zip?)")
    return found


def download_conll2002(dest, *, archive=None, url: str = NLTK_URL, **fetch_options) -> Path:
    """Fetch CoNLL-2002 (NLTK's copy) into ``dest/{esp,ned}.{train,testa,testb}``.

    The zip is downloaded to ``archive`` (default ``<dest>/../conll2002.zip``)
    and reused. Each file is written atomically and a ``dest`` that already
    holds all six is returned unchanged; on failure none is written. Only the
    six files are extracted, under their own names (no path from the archive
    is used). ``fetch_options`` go to ``xlt.data.sources.ud.fetch_url``.
    """
    dest = Path(dest)
    names = sorted(file_name(lang, split) for lang in ("es", "nl") for split in FILE_SPLITS)
    if all((dest / name).is_file() for name in names):
        return dest
    archive = Path(archive) if archive else dest.parent / "conll2002.zip"
    if not archive.is_file():
        fetch_url(url, archive, **fetch_options)
    members = _nltk_members(archive, names)
    dest.mkdir(parents=True, exist_ok=True)
    # Staged beside the files so that each final rename stays on one file system.
    work = Path(tempfile.mkdtemp(prefix=".conll2002.", dir=dest))
    try:
        with zipfile.ZipFile(archive) as zf:
            for name in names:
                with zf.open(members[name]) as src, (work / name).open("wb") as out:
                    shutil.copyfileobj(src, out)
        for name in names:
            os.replace(work / name, dest / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


# --------------------------------------------------------------------------- the source

DOWNLOAD_ROOT = "resources/conll/conll2002"  # where download_conll2002 writes


def conll_source(root, lang: str, split: str, role: str, cfg: dict) -> dict:
    """The file a split of CoNLL NER is read from (``root``: where CoNLL-2002 is
    downloaded; the file need not exist yet), and what it is: a language's
    ``train`` file trains, ``testa`` selects (dev) and ``testb`` is scored (test),
    whatever its role."""
    path = resolve(cfg, lang, split, root)
    shared_task, _ = check_language(lang)
    year = shared_task.removeprefix("conll")
    notes = [f"CoNLL-{year} {path.name}"]
    if split == "dev":
        notes[0] += " (the shared task's development data)"
    if find_local(cfg.get("local_dir"), lang, split) is None:
        notes.append(f"CoNLL-{year} from NLTK's data (data.conll.download)")
    return {"files": [str(path)], "notes": notes}


def conll_split(root, lang: str, split: str, role: str, cfg: dict, seed=None, task=None):
    """The records of a split of CoNLL NER, tags in IOB2 (CoNLL-2003's IOB1 converted)."""
    path = Path(conll_source(root, lang, split, role, cfg)["files"][0])
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: the download_conll2002 rule writes CoNLL-2002 there "
            f"(data.conll.download), unless its files are in a directory of {KEY}"
        )
    return conll_records(path)


def _inputs(cfg: dict, root: str, lang: str, split: str | None = None) -> list[str]:
    """The files of (lang, split; without a split: train and dev, what pretraining
    reads), found in data.conll.local_dir or CoNLL-2002's download; none for a split
    whose file is missing while a directory of local_dir does not exist yet (the job
    then fails naming the key; config validation has reported every other missing
    file), none for a language CoNLL does not have (a shared target list skips it)."""
    if lang not in LANGUAGES:
        return []
    files = []
    for each in [split] if split else ["train", "dev"]:
        try:
            files += conll_source(root, lang, each, "test", cfg)["files"]
        except FileNotFoundError:
            continue
    return files


def _gap(lang: str, split: str, cfg: dict, codes) -> str | None:
    """CoNLL has four languages; a file that is neither in data.conll.local_dir nor
    downloadable is a gap, unless a directory of local_dir does not exist yet (a
    paper config's DAG is built before its data is in place; the job then fails
    naming the key)."""
    if lang not in LANGUAGES:
        return f"CoNLL NER has no '{lang}' (its languages: {', '.join(sorted(LANGUAGES))})"
    if find_local(cfg.get("local_dir"), lang, split) or downloadable(lang, cfg):
        return None
    dirs = local_dirs(cfg.get("local_dir"))
    if dirs and not all(d.is_dir() for d in dirs):
        return None
    return missing_message(lang, split, cfg)


def _text(root, lang: str, cfg: dict, files_only: bool) -> list[str]:
    """CoNLL's train and dev (testa) files of ``lang`` (local, or to be downloaded
    into ``root``), never testb, or their sentences."""
    files = [Path(f) for f in _inputs(cfg, root, lang)]
    if files_only:
        return [str(f) for f in files]
    return [" ".join(s.words) for path in files for s in read_conll(path)]


SOURCE = DataSource(
    kind="conll",
    config_key="conll",
    downloads="CoNLL-2002 (es, nl) from NLTK's data; CoNLL-2003 (en, de) is licensed: never",
    local_files="the shared tasks' train, testa and testb files (data.conll.local_dir)",
    root=lambda cfg: DOWNLOAD_ROOT,
    from_local_dir=lambda cfg: False,  # per file: found in local_dir or downloaded
    inputs=_inputs,
    locate=conll_source,
    read=conll_split,
    gap=_gap,
    text=_text,
)
