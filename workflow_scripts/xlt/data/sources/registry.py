"""The real data sources by the corpus kind of the tasks they serve
(``Task.corpus``): the workflow's input functions and ``xlt.data.real_data`` ask
this registry instead of branching on the kind. Adding a dataset: its module in
``xlt.data.sources`` with a ``SOURCE``, its entry here, its config block in the
schema (``data.<config_key>``), and a task whose ``corpus`` names its kind."""

from __future__ import annotations

from xlt import tasks
from xlt.data.sources import conll, sentences, squad, ud, wikiann, xnli
from xlt.data.sources.base import DataSource

SOURCES: dict[str, DataSource] = {
    source.kind: source
    for source in (
        ud.SOURCE,
        wikiann.SOURCE,
        conll.SOURCE,
        xnli.SOURCE,
        sentences.SOURCE,
        squad.SOURCE,
    )
}


def for_task(task: str) -> DataSource:
    """The source of ``task``'s real corpora."""
    kind = tasks.get(task).corpus
    if kind not in SOURCES:
        raise ValueError(f"no real data source for task '{task}' (corpus kind '{kind}')")
    return SOURCES[kind]


def config_block(task: str) -> str:
    """The block under ``data`` that configures ``task``'s real corpora."""
    return for_task(task).config_key
