# Paths, wildcard constraints, input functions and targets of rules/data.smk
# (snakemake --lint wants rules and functions in separate files).

REAL = config["data"]["source"] == "real"


wildcard_constraints:
    version=r"2\.\d+",
    ner_source="rahimi|hub",
    wikiann_code=r"[a-z]{2,3}(?:-[a-z]+)*",
    xnli_split="train|dev|test",
    qa_file=r"train-v1\.1\.json|dev-v1\.1\.json|xquad\.[a-z]{2}\.json",


def synthetic_spec(lang):
    """Only what language ``lang`` depends on, so adding a language reruns nothing else."""
    spec = config["synthetic"]
    keep = {spec["source"], lang}
    return {
        **spec,
        "languages": {k: v for k, v in spec["languages"].items() if k in keep},
    }


def data_key(task):
    """The data block (``ud``, ``ner``, ``conll``, ``xnli``, ``sentiment``, ``qa``) a task's corpora are configured in."""
    return real_data.DATA_BLOCKS[task_registry.get(task).corpus]


def data_root(task):
    """Where a task's real corpora are read from."""
    roots = {
        "ud": ud_root,
        "ner": ner_root,
        "conll": conll_root,
        "xnli": xnli_root,
        "sentiment": sentiment_root,
        "qa": qa_root,
    }
    return roots[data_key(task)]()


def from_local_dir(task):
    """Whether a task's real corpora come from a user's directory (not a download)."""
    data = config["data"][data_key(task)]
    if data_key(task) == "conll":
        return False  # per file: found in local_dir or downloaded (conll_input)
    if data_key(task) in ("xnli", "qa"):
        return data["source"] == "local"
    return bool(data["local_dir"])


def sentiment_root():
    """Labelled sentences: only from a user's directory (nothing to download)."""
    return config["data"]["sentiment"]["local_dir"]


def xnli_root():
    """XNLI files in XTREME's layout: a user's directory, or the hub download."""
    xnli = config["data"]["xnli"]
    return xnli["local_dir"] if xnli["source"] == "local" else "resources/xnli/hub"


def qa_root():
    """SQuAD v1.1 and XQuAD files: a user's directory, or the hub download."""
    qa = config["data"]["qa"]
    return qa["local_dir"] if qa["source"] == "local" else "resources/qa/hub"


def conll_root():
    """Where CoNLL-2002 is downloaded (data.conll.download); CoNLL files found in
    data.conll.local_dir are read where they are."""
    return "resources/conll/conll2002"


def conll_input(lang, splits):
    """The CoNLL files of (lang, each split): found in data.conll.local_dir, or
    CoNLL-2002's download; none for a split whose file is missing while a
    directory of local_dir does not exist yet: the job then fails naming the key
    (config validation has reported every other missing file). None for a
    language CoNLL does not have (a shared target list skips it, logged)."""
    if lang not in real_data.conll.LANGUAGES:
        return []
    files = []
    for split in splits:
        try:
            files += real_data.conll_source(
                conll_root(), lang, split, config["data"]["conll"]
            )["files"]
        except FileNotFoundError:
            continue
    return files


def ud_root():
    """The UD release: a directory the user already has, or the downloaded one."""
    ud = config["data"]["ud"]
    return ud["local_dir"] or f"resources/ud/ud-treebanks-v{ud['version']}"


def local_input(directory):
    """A user's data directory as an input only once it exists, so that a paper
    config builds its DAG (dry run) before the data is in place; a job whose
    directory is still missing then fails naming the config key."""
    return [directory] if Path(directory).exists() else []


def ner_root():
    ner = config["data"]["ner"]
    return ner["local_dir"] or f"resources/wikiann/{ner['source']}"


def ner_input(lang):
    """What a language's NER data depends on: the local directory or its own download."""
    ner = config["data"]["ner"]
    if ner["local_dir"]:
        return local_input(ner["local_dir"])
    return [f"{ner_root()}/{convert(lang, 'wikiann')}"]


def real_input(task, lang, split=None):
    """Paths (a list) the real data of (task, lang) depends on (XNLI: of one split,
    the files the download writes)."""
    if data_key(task) == "xnli":
        if config["data"]["xnli"]["source"] == "local":
            return local_input(xnli_root())
        splits = [split] if split else ["train", "dev", "test"]
        return [
            path
            for s in splits
            for path in real_data.xnli_source(
                xnli_root(), lang, s, config["data"]["xnli"]
            )["files"]
            if lang == "en" or not path.endswith("train-en.tsv")
        ]
    if data_key(task) == "qa":
        if config["data"]["qa"]["source"] == "local":
            return local_input(qa_root())
        splits = (
            [split] if split else ["test"] + (["train", "dev"] if lang == "en" else [])
        )
        return [
            path
            for s in splits
            for path in real_data.qa_source(qa_root(), lang, s, config["data"]["qa"])[
                "files"
            ]
        ]
    if data_key(task) == "sentiment":
        return local_input(sentiment_root())
    if data_key(task) == "conll":
        # without a split: what pretraining reads, train and dev (testa)
        return conll_input(lang, [split] if split else ["train", "dev"])
    if data_key(task) == "ner":
        return ner_input(lang)
    local = config["data"]["ud"]["local_dir"]
    return local_input(local) if local else [ud_root()]


@functools.cache
def local_files(task, lang, split):
    """The files of a user's local directory that (task, lang, split) is read from
    (the treebank files the policy picks, the WikiANN file), so that editing one of
    them reruns its preprocessing and what depends on it, and nothing else. [] if
    the directory is missing (the job then fails naming the config key)."""
    root = data_root(task)
    if not Path(root).is_dir():
        return []
    try:
        found = real_data.source(
            task, root, lang, split, role(config, lang), config["data"]
        )
    except (ValueError, FileNotFoundError) as error:
        raise WorkflowError(f"{task} {lang} {split}: {error}") from None
    return found["files"]


def pretraining_sources(lang):
    """What a language's pretraining text is read from: from a user's local
    directory the files themselves, else the download (directories)."""
    text_tasks = [t for t in config["tasks"] if data_key(t) in ("ud", "ner", "conll")]
    local = [task for task in text_tasks if from_local_dir(task)]
    files = real_data.unlabelled_text_files(
        lang, local, ud_root(), ner_root(), config["data"]
    )
    downloads = [
        path
        for task in text_tasks
        if task not in local
        for path in real_input(task, lang)
    ]
    return list(dict.fromkeys(files + downloads))


def raw_corpus(wildcards):
    """The raw file one corpus is read from: real data (from a local directory its
    files, else the download), or the synthetic language's treebank (pos, dep)
    or WikiANN-style file (ner), XNLI-style file (xnli), labelled sentences
    (sentiment) or SQuAD-style questions (qa)."""
    w = wildcards
    if REAL:
        if from_local_dir(w.task):
            return local_files(w.task, w.lang, w.split)
        return real_input(w.task, w.lang, w.split)
    kind = data_key(wildcards.task)
    return rules.generate_synthetic_language.output[f"{kind}_{wildcards.split}"].format(
        lang=wildcards.lang
    )


# Every (task, split) a synthetic language's raw files hold, in the order of the
# outputs of rule preprocess_synthetic.
SYNTHETIC_UNITS = [
    (task, split) for task in config["tasks"] for split in ("train", "dev", "test")
]


def synthetic_outputs(path):
    """``path(task, lang, split)`` for every unit of SYNTHETIC_UNITS, {lang} left open."""
    return [path(task, "{lang}", split) for task, split in SYNTHETIC_UNITS]


def synthetic_raw_corpora(wildcards):
    """The raw file of every unit of SYNTHETIC_UNITS of one synthetic language."""
    outputs = rules.generate_synthetic_language.output
    return {
        "raw": [
            outputs[f"{data_key(task)}_{split}"].format(lang=wildcards.lang)
            for task, split in SYNTHETIC_UNITS
        ]
    }


def language_feature_sets():
    """The lang2vec sets the language table adds to the usual ones: those of the
    distances and of the transfer analysis' feature variants, and the survey's
    word-order features."""
    sets = list(config["languages"]["distance_features"])
    for variant in config["zero_shot"]["feature_variants"].values():
        sets += list(variant)
    if survey_family.FAMILY.is_active(
        config
    ) and "word_order" in survey_family.analyses(config):
        sets.append(config["survey"]["word_order"]["feature_set"])
    return list(dict.fromkeys(sets))
