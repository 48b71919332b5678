"""Real corpora -> the pipeline's records: UD treebanks for POS and DEP, WikiANN for
NER, the CoNLL-2002/2003 shared tasks' files for conll_ner, XNLI (XTREME's layout) for
xnli.

Which files serve as a language's train/dev/test depends on the language's
role in the experiment (a source trains, a target is evaluated) and on what
its data has; these rules live here, in one place:

* UD (Ponti et al. 2021): a treebank without train trains on its test split
  when its language is a source; a language's treebanks follow
  ``data.ud.policy`` (largest or all) unless ``data.ud.treebanks`` names them.
* A source language without dev data holds out a deterministic 10% of its
  training sentences for model selection (never the target's data).
* NER test files without labels (XTREME's PAN-X) are never scored: the config
  must say ``data.ner.eval_split: dev`` explicitly, otherwise it is an error;
  XNLI likewise (``data.xnli.eval_split``).
* XNLI trains on English MultiNLI (``train-en.tsv``) and selects on English
  dev; ``data.xnli.train_from_dev`` stands in for MultiNLI where it is not at
  hand: the first rows of the source's dev train, the next select, and every
  language is scored on the rows after them only (XNLI's dev sets are
  translations of one another, row by row).
* CoNLL NER (``data.conll``): a language's ``train`` file trains, ``testa`` selects
  (dev) and ``testb`` is scored (test), whatever its role; the files are found in
  ``data.conll.local_dir`` or, for CoNLL-2002 only, downloaded (``xlt.data.conll``).
* QA trains on English SQuAD v1.1 train and selects on SQuAD v1.1 dev without
  the paragraphs XQuAD took from it (XQuAD is 240 of its paragraphs, same
  question ids); every language, English included, is scored on XQuAD.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from xlt import tasks
from xlt.data import conll, sentences, squad, ud, wikiann, xnli
from xlt.data.conllu_io import read_conllu
from xlt.data.ner_io import checked_ner_records
from xlt.data.preprocess import tree_records
from xlt.languages.codes import convert

# The config data block of each raw corpus kind (``Task.corpus``).
DATA_BLOCKS = {
    "ud": "ud",
    "wikiann": "ner",
    "conll": "conll",
    "xnli": "xnli",
    "sentences": "sentiment",
    "squad": "qa",
}
DEV_HOLDOUT = 0.1  # share of a dev-less source language's train used as its dev


def _holdout_rank(words: list[str], seed: int) -> bytes:
    text = "\t".join(words).encode("utf-8")
    return hashlib.blake2b(text, key=str(seed).encode(), digest_size=16).digest()


def split_off_dev(records: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """(train, dev): dev = the ``DEV_HOLDOUT`` share with the lowest keyed hash.

    Independent of record order; at least one sentence on each side.
    """
    if len(records) < 2:
        raise ValueError("need at least 2 training sentences to hold out a dev split")
    size = min(len(records) - 1, max(1, round(DEV_HOLDOUT * len(records))))
    ranked = sorted(
        range(len(records)), key=lambda i: (_holdout_rank(records[i]["words"], seed), i)
    )
    held = set(ranked[:size])
    train = [r for i, r in enumerate(records) if i not in held]
    dev = [r for i, r in enumerate(records) if i in held]
    return train, dev


# --------------------------------------------------------------------------- UD (POS)


def _ud_records(paths, task: str = "pos") -> list[dict]:
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
    ``train`` (source) or ``test``."""
    index = ud.scan_release(root)
    explicit = ud_cfg.get("treebanks", {}).get(lang)
    selected = ud.select_treebanks(index, lang, ud_cfg["policy"], explicit)
    if split == "test" or role == "test":  # "partitioned" trains like "train"
        return _ud_records(ud.split_files(selected, split, role), task)
    dev_files = ud.split_files(selected, "dev", role)
    train = _ud_records(ud.split_files(selected, "train", role), task)
    if dev_files:
        return train if split == "train" else _ud_records(dev_files, task)
    train, dev = split_off_dev(train, seed)
    return train if split == "train" else dev


# --------------------------------------------------------------------------- WikiANN (NER)


def _ner_sentences(root, lang: str, split: str, ner_cfg: dict) -> tuple[list, object]:
    code = convert(lang, "wikiann")
    if ner_cfg["source"] == "unsplit":
        path = wikiann.find_unsplit(root, code)
        return wikiann.load_unsplit(path, split, ner_cfg["split_seed"], lang=code), path
    path = wikiann.find_split(root, code, split)
    return wikiann.labelled_split(path, code), path


def ner_split(root, lang: str, split: str, role: str, ner_cfg: dict, seed: int) -> list[dict]:
    """Records of ``split``; evaluation ("test") reads ``data.ner.eval_split``.

    With eval_split dev, a source language evaluated on itself is scored on
    the dev data its model was selected on: an optimistic in-language number.
    """
    if split == "test":
        split = ner_cfg["eval_split"]
    sentences, path = _ner_sentences(root, lang, split, ner_cfg)
    return checked_ner_records(sentences, path)


# --------------------------------------------------------------------------- CoNLL (NER)


def conll_source(root, lang: str, split: str, conll_cfg: dict) -> dict:
    """The file a split of CoNLL NER is read from (``root``: where CoNLL-2002 is
    downloaded; the file need not exist yet), and what it is."""
    path = conll.resolve(conll_cfg, lang, split, root)
    shared_task, _ = conll.check_language(lang)
    year = shared_task.removeprefix("conll")
    notes = [f"CoNLL-{year} {path.name}"]
    if split == "dev":
        notes[0] += " (the shared task's development data)"
    if conll.find_local(conll_cfg.get("local_dir"), lang, split) is None:
        notes.append(f"CoNLL-{year} from NLTK's data (data.conll.download)")
    return {"files": [str(path)], "notes": notes}


def conll_split(root, lang: str, split: str, conll_cfg: dict) -> list[dict]:
    """The records of a split of CoNLL NER, tags in IOB2 (CoNLL-2003's IOB1 converted)."""
    path = Path(conll_source(root, lang, split, conll_cfg)["files"][0])
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: the download_conll2002 rule writes CoNLL-2002 there "
            f"(data.conll.download), unless its files are in a directory of {conll.KEY}"
        )
    return conll.conll_records(path)


# --------------------------------------------------------------------------- sentences


def sentences_source(root, lang: str, split: str, cfg: dict) -> dict:
    """The file a split of labelled sentences is read from (targets: eval_split)."""
    notes = []
    if split == "test" and cfg["eval_split"] != "test":
        notes.append(f"evaluated on the {cfg['eval_split']} split (data.sentiment.eval_split)")
        split = cfg["eval_split"]
    return {"files": [str(sentences.find_file(root, lang, split))], "notes": notes}


def _sentences_gap(lang: str, split: str, cfg: dict) -> str | None:
    root = cfg.get("local_dir")
    if not root:
        return "no labelled sentences: set data.sentiment.local_dir"
    if Path(root).is_dir():
        try:
            sentences_source(root, lang, split, cfg)
        except FileNotFoundError as error:
            return str(error)
    return None


# --------------------------------------------------------------------------- SQuAD / XQuAD


def qa_source(root, lang: str, split: str, qa_cfg: dict | None = None) -> dict:
    """The files a pipeline split of QA is read from (they need not exist yet: a
    download makes them): SQuAD v1.1 train or dev (English), XQuAD (test)."""
    reserved = (qa_cfg or {}).get("reserved_articles", 0)
    if split == "train" and lang != "en":
        return {
            "files": [str(squad.layout_path(root, lang, "test"))],
            "notes": [f"XQuAD's first {reserved} articles (data.qa.reserved_articles)"],
        }
    files = [str(squad.layout_path(root, lang, split))]
    notes = []
    if split == "dev":
        files.append(str(squad.layout_path(root, "en", "test")))
        notes.append("SQuAD v1.1 dev without the paragraphs of XQuAD (a subset of it)")
    elif split == "test":
        notes.append(
            f"XQuAD without its first {reserved} articles (data.qa.reserved_articles)"
            if reserved
            else "XQuAD"
        )
    return {"files": files, "notes": notes}


def qa_split(root, lang: str, split: str, qa_cfg: dict | None = None) -> list[dict]:
    """The questions of a pipeline split of QA: a target's train split is the XQuAD
    articles ``data.qa.reserved_articles`` keeps out of its test split (the paper's
    few-shot pool)."""
    few_shot_pool = split == "train" and lang != "en"
    path = squad.find_file(root, lang, "test" if few_shot_pool else split)
    records = squad.read_squad(path)
    if split == "test" or few_shot_pool:
        reserved = set(squad.articles(records)[: (qa_cfg or {}).get("reserved_articles", 0)])
        return [r for r in records if (r["article"] in reserved) == few_shot_pool]
    if split != "dev":
        return records
    xquad = squad.read_squad(squad.find_file(root, "en", "test"))
    return squad.drop_paragraphs_with(records, {r["id"] for r in xquad})


def _qa_gap(lang: str, split: str, qa_cfg: dict) -> str | None:
    if lang not in squad.XQUAD_LANGUAGES:
        return f"XQuAD has no '{lang}' (its languages: {', '.join(squad.XQUAD_LANGUAGES)})"
    if split == "train" and lang != "en" and not qa_cfg.get("reserved_articles"):
        return (
            "SQuAD v1.1 (QA training) is English only, and no XQuAD articles are reserved "
            "for training (data.qa.reserved_articles)"
        )
    if split == "dev" and lang != "en":
        return "SQuAD v1.1 (QA model selection) is English only"
    root = qa_cfg.get("local_dir")
    if qa_cfg["source"] == "local" and root and Path(root).is_dir():
        for path in qa_source(root, lang, split, qa_cfg)["files"]:
            if not Path(path).is_file():
                return f"no {Path(path).name} in {root}"
    return None


# --------------------------------------------------------------------------- XNLI


def _xnli_rows(xnli_cfg: dict, split: str) -> tuple[str, slice | None, list[str]]:
    """(file split, row range or None for all, notes) of a pipeline split."""
    rows = xnli_cfg.get("train_from_dev")
    if rows:
        train, dev = rows["train"], rows["dev"]
        ranges = {"train": slice(0, train), "dev": slice(train, train + dev)}
        part = ranges.get(split, slice(train + dev, None))
        note = (
            f"rows {part.start + 1}-{part.stop if part.stop else 'end'} of the dev file, each "
            "cut moved to the end of its premise's rows (data.xnli.train_from_dev: no MultiNLI "
            "at hand; every language is scored on the dev rows after those that train and select)"
        )
        return "dev", part, [note]
    if split == "test" and xnli_cfg["eval_split"] != "test":
        return (
            xnli_cfg["eval_split"],
            None,
            [f"evaluated on the {xnli_cfg['eval_split']} split (data.xnli.eval_split)"],
        )
    return split, None, ["English MultiNLI (XTREME's train-en.tsv)"] if split == "train" else []


def _translated(lang: str, split: str, xnli_cfg: dict) -> bool:
    """Whether (lang, split) is XNLI-MT's translation of MultiNLI."""
    return split == "train" and lang != "en" and bool(xnli_cfg.get("translated_train"))


def xnli_source(root, lang: str, split: str, xnli_cfg: dict) -> dict:
    """The file (and rows) a pipeline split of XNLI is read from; the file need not
    exist yet (a download makes it). A translated training set (XNLI-MT) is the
    release's own file for a local copy, XTREME's layout for a hub download."""
    if _translated(lang, split, xnli_cfg):
        note = (
            f"XNLI-MT 1.0: MultiNLI machine-translated into '{lang}' (data.xnli.translated_train)"
        )
        if xnli_cfg["source"] == "local":
            return {"files": [str(xnli.mt_path(root, lang))], "notes": [note]}
        return {"files": [str(xnli.xtreme_path(root, lang, "train"))], "notes": [note]}
    file_split, _, notes = _xnli_rows(xnli_cfg, split)
    return {"files": [str(xnli.xtreme_path(root, lang, file_split))], "notes": notes}


def _premise_boundary(examples: list[dict], row: int | None) -> int | None:
    """``row`` moved forward past the rest of its premise's group (XNLI writes a
    premise's hypotheses on consecutive rows), so no premise straddles a cut."""
    if row is None:
        return None
    while 0 < row < len(examples) and examples[row]["premise"] == examples[row - 1]["premise"]:
        row += 1
    return row


def xnli_split(root, lang: str, split: str, xnli_cfg: dict) -> list[dict]:
    """The examples of a pipeline split of XNLI."""
    if _translated(lang, split, xnli_cfg) and xnli_cfg["source"] == "local":
        path = xnli.mt_path(root, lang)
        if not path.is_file():
            raise FileNotFoundError(
                f"no XNLI-MT training file for '{lang}': {path} does not exist (unpack "
                "XNLI-MT-1.0.zip in data.xnli.local_dir, or set data.xnli.translated_train: false)"
            )
        return xnli.read_mt(path)
    file_split, part, _ = _xnli_rows(xnli_cfg, split)
    examples = xnli.read_xtreme(xnli.find_file(root, lang, file_split))
    if part is None:
        return examples
    start, stop = (_premise_boundary(examples, row) for row in (part.start, part.stop))
    return examples[start:stop]


@functools.cache
def _scanned(root: str) -> ud.ReleaseIndex:
    """One scan per release and process (with its sentence counts): the DAG asks
    for the source of every corpus of a grid."""
    return ud.scan_release(root)


def ud_source(root, lang: str, split: str, role: str, ud_cfg: dict) -> dict:
    """Where ``ud_split`` takes a split from: the treebanks chosen (and how), the
    files, and notes on any stand-in (test data training, dev held out of train)."""
    index = _scanned(str(root))
    explicit = ud_cfg.get("treebanks", {}).get(lang)
    selected = ud.select_treebanks(index, lang, ud_cfg["policy"], explicit)
    candidates = index.get(lang, [])
    size_split = "train" if any(tb.has("train") for tb in candidates) else "test"
    how = "data.ud.treebanks" if explicit else f"policy {ud_cfg['policy']}"
    chosen = [f"{tb.name} ({tb.sentences(size_split)} {size_split} sentences)" for tb in selected]
    others = [tb.name for tb in candidates if tb not in selected]
    notes = [f"treebank chosen by {how}: {', '.join(chosen)}"]
    if others:
        notes.append(f"not used: {', '.join(others)}")
    if split == "test" or role == "test":  # as ud_split reads it
        plan = ud.split_plan(selected, split, role)
    else:
        train_plan, dev_plan = (ud.split_plan(selected, s, role) for s in ("train", "dev"))
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


def ner_source(root, lang: str, split: str, ner_cfg: dict) -> dict:
    """Where ``ner_split`` takes a split from (the file, and the split it stands for)."""
    code = convert(lang, "wikiann")
    notes = []
    if split == "test" and ner_cfg["eval_split"] != "test":
        notes.append(f"evaluated on the {ner_cfg['eval_split']} split (data.ner.eval_split)")
        split = ner_cfg["eval_split"]
    if ner_cfg["source"] == "unsplit":
        path = wikiann.find_unsplit(root, code)
        notes.append(f"the {split} part of a seeded 80/10/10 split (seed {ner_cfg['split_seed']})")
    else:
        path = wikiann.find_split(root, code, split)
    return {"files": [str(path)], "notes": notes}


def source(task: str, root, lang: str, split: str, role: str, data_cfg: dict) -> dict:
    """Where ``records`` takes (task, lang, split) from."""
    corpus = tasks.get(task).corpus
    if corpus == "ud":
        return ud_source(root, lang, split, role, data_cfg["ud"])
    if corpus == "xnli":
        return xnli_source(root, lang, split, data_cfg["xnli"])
    if corpus == "sentences":
        return sentences_source(root, lang, split, data_cfg["sentiment"])
    if corpus == "squad":
        return qa_source(root, lang, split, data_cfg["qa"])
    if corpus == "conll":
        return conll_source(root, lang, split, data_cfg["conll"])
    return ner_source(root, lang, split, data_cfg["ner"])


def check_root(root, key: str) -> None:
    """Raise FileNotFoundError, naming config key ``key``, unless ``root`` is a directory."""
    if not Path(root).is_dir():
        raise FileNotFoundError(f"config key '{key}': {root} is not a directory")


def records(task: str, root, lang: str, split: str, role: str, data_cfg: dict) -> list[dict]:
    """The records of (task, lang, split) from the real sources under ``root``
    (CoNLL: from data.conll.local_dir, ``root`` holding CoNLL-2002's download)."""
    corpus = tasks.get(task).corpus
    if corpus == "conll":
        return conll_split(root, lang, split, data_cfg["conll"])
    check_root(root, f"data.{DATA_BLOCKS[corpus]}.local_dir")
    if corpus == "xnli":
        return xnli_split(root, lang, split, data_cfg["xnli"])
    if corpus == "squad":
        return qa_split(root, lang, split, data_cfg["qa"])
    if corpus == "sentences":
        path = sentences_source(root, lang, split, data_cfg["sentiment"])["files"][0]
        return sentences.read_sentences(path, tasks.labels(task))
    seed = data_cfg["ner"]["split_seed"]  # also the dev hold-out's
    if corpus == "ud":
        return ud_split(root, lang, split, role, data_cfg["ud"], seed, task)
    if corpus == "wikiann":
        return ner_split(root, lang, split, role, data_cfg["ner"], seed)
    raise ValueError(f"no real data source for task '{task}'")


def _ud_text_files(index, lang: str, data_cfg: dict) -> list[Path]:
    """The train and dev files of ``lang``'s chosen treebanks (role "test": a test
    split never stands in), or none if the release has no treebank of it."""
    if not index.get(lang):
        return []
    selected = ud.select_treebanks(
        index, lang, data_cfg["ud"]["policy"], data_cfg["ud"]["treebanks"].get(lang)
    )
    return [
        path
        for split in ("train", "dev")
        for treebank, file_split in ud.split_plan(selected, split, "test")
        for path in treebank.files[file_split]
    ]


def _conll_text_files(lang: str, data_cfg: dict, conll_root) -> list[Path]:
    """CoNLL's train and dev (testa) files of ``lang`` (local, or to be downloaded
    into ``conll_root``); none where it has no such file."""
    if lang not in conll.LANGUAGES:
        return []
    files = []
    for split in ("train", "dev"):
        try:
            files.append(conll.resolve(data_cfg["conll"], lang, split, conll_root))
        except FileNotFoundError:
            continue
    return files


def unlabelled_text_files(
    lang: str, task_list, ud_root, ner_root, data_cfg: dict, conll_root=None
) -> list[str]:
    """The files ``unlabelled_text`` reads for ``lang`` (where its roots exist; CoNLL's
    where found, or where ``conll_root`` will hold CoNLL-2002's download)."""
    files = []
    corpora = {tasks.get(task).corpus for task in task_list}
    if "conll" in corpora:
        files += [str(path) for path in _conll_text_files(lang, data_cfg, conll_root)]
    if "ud" in corpora and Path(ud_root).is_dir():
        files += [str(path) for path in _ud_text_files(_scanned(str(ud_root)), lang, data_cfg)]
    if "wikiann" in corpora and Path(ner_root).is_dir():
        for split in [s for s in ("train", "dev") if s != data_cfg["ner"]["eval_split"]]:
            try:
                found = ner_source(ner_root, lang, split, {**data_cfg["ner"], "eval_split": "test"})
            except FileNotFoundError:
                continue
            files += [f for f in found["files"] if f not in files]
    return files


def unlabelled_text(
    lang: str, task_list, ud_root, ner_root, data_cfg: dict, conll_root=None
) -> list[str]:
    """Sentences of ``lang``'s train and dev splits (never test), words joined by spaces.

    Pretraining the embedded encoder on test text would leak the evaluation
    data into the encoder, so test splits are excluded whatever the role
    (CoNLL: train and testa, never testb).
    """
    lines = []
    corpora = {tasks.get(task).corpus for task in task_list}
    if "conll" in corpora:
        for path in _conll_text_files(lang, data_cfg, conll_root):
            lines += [" ".join(s.words) for s in conll.read_conll(path)]
    if "ud" in corpora:
        for path in _ud_text_files(ud.scan_release(ud_root), lang, data_cfg):
            lines += [" ".join(s.forms) for s in read_conllu(path)]
    if "wikiann" in corpora:
        # the split targets are scored on stays unseen, even unlabelled
        for split in [s for s in ("train", "dev") if s != data_cfg["ner"]["eval_split"]]:
            try:
                sentences, _ = _ner_sentences(ner_root, lang, split, data_cfg["ner"])
            except FileNotFoundError:
                continue
            lines += [" ".join(s.words) for s in sentences]
    if not lines:
        raise ValueError(
            f"no train or dev text for '{lang}' to pretrain the embedded encoder on; "
            "remove it from encoder.embedded.pretrain.languages"
        )
    return lines


def data_gap(task: str, lang: str, split: str, data_cfg: dict) -> str | None:
    """Why ``lang`` has no ``split`` data for ``task``, or None when it has (or may
    have: a release still to be downloaded is only known by its language codes).

    Read from metadata/language_codes.tsv and, for a local directory, from the
    files in it (the UD treebanks found, the WikiANN files).
    """
    from xlt.languages.codes import load_codes

    table = load_codes().set_index("code")
    corpus = tasks.get(task).corpus
    ud_root, ner_root = data_cfg["ud"].get("local_dir"), data_cfg["ner"].get("local_dir")
    if lang not in table.index:
        return f"'{lang}' is not in metadata/language_codes.tsv"
    if corpus == "xnli":
        return _xnli_gap(lang, split, data_cfg["xnli"])
    if corpus == "squad":
        return _qa_gap(lang, split, data_cfg["qa"])
    if corpus == "sentences":
        return _sentences_gap(lang, split, data_cfg["sentiment"])
    if corpus == "conll":
        return _conll_gap(lang, split, data_cfg["conll"])
    if corpus == "ud":
        if not table.loc[lang, "ud"]:
            return f"no UD treebank of '{lang}' (metadata/language_codes.tsv)"
        if ud_root and Path(ud_root).is_dir():
            treebanks = _scanned(str(ud_root)).get(lang, [])
            if not treebanks:
                return f"no UD treebank of '{lang}' in {ud_root}"
            if split == "test" and not any(tb.has("test") for tb in treebanks):
                return f"no UD test split of '{lang}' in {ud_root}"
        return None
    if not table.loc[lang, "wikiann"]:
        return f"no WikiANN data for '{lang}' (metadata/language_codes.tsv)"
    if data_cfg["ner"]["source"] != "unsplit" and table.loc[lang, "wikiann_rahimi"] == "no":
        return f"'{lang}' is not in the Rahimi et al. split of WikiANN (data.ner.source)"
    if ner_root and Path(ner_root).is_dir():
        try:
            ner_source(ner_root, lang, split, data_cfg["ner"])
        except FileNotFoundError:
            read = data_cfg["ner"].get("eval_split", "test") if split == "test" else split
            scored = " (the scored split, data.ner.eval_split)" if read != split else ""
            return f"no WikiANN {read} file of '{lang}' in {ner_root}{scored}"
    return None


def target_split_gap(task: str, lang: str, split: str, data_cfg: dict) -> str | None:
    """Why a target language has no ``split`` of its own for ``task`` (``data_gap``,
    and for UD in a local directory: no chosen treebank has that split's file; a
    target never trains on a stand-in such as test data), or None."""
    gap = data_gap(task, lang, split, data_cfg)
    ud_root = data_cfg["ud"].get("local_dir")
    if gap or tasks.get(task).corpus != "ud" or split == "test":
        return gap
    if ud_root and Path(ud_root).is_dir():
        explicit = data_cfg["ud"].get("treebanks", {}).get(lang)
        index = _scanned(str(ud_root))
        selected = ud.select_treebanks(index, lang, data_cfg["ud"]["policy"], explicit)
        if not any(tb.has(split) for tb in selected):
            names = ", ".join(tb.name for tb in selected)
            return f"no UD {split} file of '{lang}' in {ud_root} ({names})"
    return None


def _conll_gap(lang: str, split: str, conll_cfg: dict) -> str | None:
    """CoNLL has four languages; a file that is neither in data.conll.local_dir nor
    downloadable is a gap, unless a directory of local_dir does not exist yet (a
    paper config's DAG is built before its data is in place; the job then fails
    naming the key)."""
    if lang not in conll.LANGUAGES:
        return f"CoNLL NER has no '{lang}' (its languages: {', '.join(sorted(conll.LANGUAGES))})"
    if conll.find_local(conll_cfg.get("local_dir"), lang, split) or conll.downloadable(
        lang, conll_cfg
    ):
        return None
    dirs = conll.local_dirs(conll_cfg.get("local_dir"))
    if dirs and not all(d.is_dir() for d in dirs):
        return None
    return conll.missing_message(lang, split, conll_cfg)


def _xnli_gap(lang: str, split: str, xnli_cfg: dict) -> str | None:
    if lang not in xnli.XNLI_LANGUAGES:
        return f"XNLI has no '{lang}' (its languages: {', '.join(xnli.XNLI_LANGUAGES)})"
    if (
        split == "train"
        and lang != "en"
        and not xnli_cfg.get("train_from_dev")
        and not xnli_cfg.get("translated_train")
    ):
        return (
            "XNLI's training data (MultiNLI) is English only; data.xnli.translated_train "
            "trains on XNLI-MT's translations"
        )
    root = xnli_cfg.get("local_dir")
    if xnli_cfg["source"] == "local" and root and Path(root).is_dir():
        path = xnli_source(root, lang, split, xnli_cfg)["files"][0]
        if not Path(path).is_file():
            return f"no {Path(path).name} in {root}"
    return None
