"""What a real data source declares (``DataSource``), and the helpers its
declarations share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataSource:
    """One real data source of a task's corpora, registered by ``kind`` (the
    ``Task.corpus`` of the tasks it serves) in ``xlt.data.sources.registry``.

    ``config_key``: its block under ``data``; ``downloads`` and ``local_files``
    say, for people, what it fetches and what it reads from ``local_dir``. The
    callables take the source's config block (``cfg``):

    * ``root(cfg)``: the directory its files are read from (a user's directory,
      or where its download rule writes);
    * ``from_local_dir(cfg)``: whether that is a user's directory;
    * ``inputs(cfg, root, lang, split)``: the paths the DAG makes a corpus depend on
      (``split`` None: every split the language has);
    * ``locate(root, lang, split, role, cfg)``: the files (and notes) a pipeline
      split is read from: ``{"files": [...], "notes": [...]}``;
    * ``read(root, lang, split, role, cfg, seed, task)``: the split's records;
    * ``gap(lang, split, cfg, codes)``: why a language has no such split (None
      when it has, or may have), ``codes`` its row of metadata/language_codes.tsv;
    * ``text(root, lang, cfg, files_only)``: for sources with running text, the
      train and dev files (``files_only``) or their sentences, never test data;
    * ``check(cfg, used)``: problems of its config block, each naming its key
      (``used``: whether a configured task reads the source).
    """

    kind: str
    config_key: str
    downloads: str
    local_files: str
    root: Callable[[dict], str]
    from_local_dir: Callable[[dict], bool]
    inputs: Callable[..., list[str]]
    locate: Callable[..., dict]
    read: Callable[..., list[dict]]
    gap: Callable[..., str | None]
    text: Callable[..., list[str]] | None = None
    check: Callable[[dict, bool], list[str]] = lambda cfg, used: []


def local_or_hub_problems(key: str, cfg: dict, used: bool) -> list[str]:
    """Of a block with ``source: local | hub``: a local source needs its
    ``local_dir``, and that directory must be there when a task reads it."""
    local = cfg["source"] == "local"
    problems = missing_directory(key, local and cfg["local_dir"], used)
    if local and not cfg["local_dir"]:
        problems.append(
            f"config key 'data.{key}.local_dir' is required when data.{key}.source is local"
        )
    return problems


def missing_directory(key: str, named, used: bool) -> list[str]:
    """A directory the user names must be there (nothing is downloaded into it)."""
    if used and named and not Path(named).expanduser().is_dir():
        return [f"config key 'data.{key}.local_dir': no directory {named}"]
    return []


def local_input(directory) -> list[str]:
    """A user's data directory as an input only once it exists, so that a paper
    config builds its DAG (dry run) before the data is in place; a job whose
    directory is still missing then fails naming the config key."""
    return [str(directory)] if Path(directory).exists() else []


def check_root(root, key: str) -> None:
    """Raise FileNotFoundError, naming config key ``key``, unless ``root`` is a directory."""
    if not Path(root).is_dir():
        raise FileNotFoundError(f"config key '{key}': {root} is not a directory")


def scored_split(split: str, cfg: dict, key: str) -> tuple[str, list[str]]:
    """The split read for pipeline split ``split``: a target's test is the block's
    ``eval_split`` where that is not test (with a note saying so)."""
    if split == "test" and cfg.get("eval_split", "test") != "test":
        return cfg["eval_split"], [
            f"evaluated on the {cfg['eval_split']} split (data.{key}.eval_split)"
        ]
    return split, []
