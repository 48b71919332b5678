"""Real corpora -> the pipeline's records, for any task: the source a task's
corpora come from (``xlt.data.sources.registry``) says where a split is read
from, how it becomes records and what a language lacks; this module adds what is
the same for every source.

Which files serve as a language's train/dev/test depends on the language's role
in the experiment (a source trains, a target is evaluated) and on what its data
has; each source module says how (``xlt.data.sources.ud``: a treebank without
train trains on its test split when its language is a source, a source without
dev data holds a seeded 10 % of its training sentences out; WikiANN and XNLI
test files without labels are never scored: ``data.<block>.eval_split``; CoNLL's
testa selects and testb is scored; QA trains on English SQuAD and is scored on
XQuAD). Targets never train on a stand-in, and pretraining text never includes
test data.
"""

from __future__ import annotations

from xlt.data.sources import ud
from xlt.data.sources.registry import SOURCES, for_task


def _block(data_cfg: dict, task: str) -> dict:
    return data_cfg[for_task(task).config_key]


def data_root(task: str, data_cfg: dict) -> str:
    """Where ``task``'s real corpora are read from (a user's directory or a download)."""
    return for_task(task).root(_block(data_cfg, task))


def source(task: str, root, lang: str, split: str, role: str, data_cfg: dict) -> dict:
    """Where ``records`` takes (task, lang, split) from: ``files`` and ``notes``."""
    return for_task(task).locate(root, lang, split, role, _block(data_cfg, task))


def records(task: str, root, lang: str, split: str, role: str, data_cfg: dict) -> list[dict]:
    """The records of (task, lang, split) from the real source under ``root`` (CoNLL:
    from data.conll.local_dir, ``root`` holding CoNLL-2002's download). The seed of
    a held-out dev split is ``data.ner.split_seed``."""
    seed = (data_cfg.get("ner") or {}).get("split_seed")
    return for_task(task).read(root, lang, split, role, _block(data_cfg, task), seed, task)


def data_gap(task: str, lang: str, split: str, data_cfg: dict) -> str | None:
    """Why ``lang`` has no ``split`` data for ``task``, or None when it has (or may
    have: a release still to be downloaded is only known by its language codes).

    Read from metadata/language_codes.tsv and, for a local directory, from the
    files in it (the UD treebanks found, the WikiANN files).
    """
    from xlt.languages.codes import load_codes

    table = load_codes().set_index("code")
    if lang not in table.index:
        return f"'{lang}' is not in metadata/language_codes.tsv"
    return for_task(task).gap(lang, split, _block(data_cfg, task), table.loc[lang])


def target_split_gap(task: str, lang: str, split: str, data_cfg: dict) -> str | None:
    """Why a target language has no ``split`` of its own for ``task`` (``data_gap``,
    and for UD in a local directory: no chosen treebank has that split's file; a
    target never trains on a stand-in such as test data), or None."""
    gap = data_gap(task, lang, split, data_cfg)
    if gap or for_task(task) is not ud.SOURCE:
        return gap
    return ud.own_split_gap(lang, split, data_cfg["ud"])


def _text_sources(task_list) -> list:
    """The sources of ``task_list`` with running text, each once, in registry order."""
    kinds = {for_task(task).kind for task in task_list}
    return [s for s in SOURCES.values() if s.kind in kinds and s.text is not None]


def unlabelled_text_files(lang: str, task_list, data_cfg: dict) -> list[str]:
    """The files ``unlabelled_text`` reads for ``lang`` (where the sources' roots
    exist; CoNLL's where found, or where CoNLL-2002's download will be)."""
    files: list[str] = []
    for text_source in _text_sources(task_list):
        block = data_cfg[text_source.config_key]
        found = text_source.text(text_source.root(block), lang, block, True)
        files += [f for f in found if f not in files]
    return files


def unlabelled_text(lang: str, task_list, data_cfg: dict) -> list[str]:
    """Sentences of ``lang``'s train and dev splits (never test), words joined by spaces.

    Pretraining the embedded encoder on test text would leak the evaluation
    data into the encoder, so test splits are excluded whatever the role
    (CoNLL: train and testa, never testb; WikiANN: the split targets are scored
    on stays unseen).
    """
    lines: list[str] = []
    for text_source in _text_sources(task_list):
        block = data_cfg[text_source.config_key]
        lines += text_source.text(text_source.root(block), lang, block, False)
    if not lines:
        raise ValueError(
            f"no train or dev text for '{lang}' to pretrain the embedded encoder on; "
            "remove it from encoder.embedded.pretrain.languages"
        )
    return lines
