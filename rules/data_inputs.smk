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
    return data_registry.config_block(task)


def data_root(task):
    """Where a task's real corpora are read from (its source's ``root``)."""
    return real_data.data_root(task, config["data"])


def from_local_dir(task):
    """Whether a task's real corpora come from a user's directory (not a download)."""
    return data_registry.for_task(task).from_local_dir(config["data"][data_key(task)])


def ud_root():
    """The UD release: a directory the user already has, or the downloaded one."""
    return data_registry.SOURCES["ud"].root(config["data"]["ud"])


def real_input(task, lang, split=None):
    """Paths (a list) the real data of (task, lang) depends on, as its source
    declares them (a local directory once it exists, else what the download
    writes; XNLI and QA: of one split)."""
    source = data_registry.for_task(task)
    return source.inputs(
        config["data"][source.config_key], data_root(task), lang, split
    )


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
    text_tasks = [
        t for t in config["tasks"] if data_registry.for_task(t).text is not None
    ]
    local = [task for task in text_tasks if from_local_dir(task)]
    files = real_data.unlabelled_text_files(lang, local, config["data"])
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
