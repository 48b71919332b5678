# Paths, wildcard constraints, input functions and targets of rules/factorization.smk
# (snakemake --lint wants rules and functions in separate files).

FACTORIZATION = config.get("factorization") or {}
# The tagging tasks among config tasks (pos, ner): what the family's classifiers predict.
FACTORIZATION_TASKS = factorization_family.family_tasks(config)
FINE_TUNED = factorization_family.fine_tuned(config)
PARTITIONS = R("factorization/{subset}/partitions.json")
LANGUAGE_HEADS = R("factorization/language_heads/seed{seed}")
LANGUAGE_MODEL = R("factorization/language_models/seed{seed}/{task}/{lang}")
FACT_RUN = R("factorization/{subset}/{method}/partition{partition}/seed{seed}")
FACT_UNIT = "{subset}/{method}/partition{partition}/seed{seed}"
# A trained model is a file, or with a fine-tuned encoder a directory.
FACT_MODEL = f"{FACT_RUN}/model" if FINE_TUNED else f"{FACT_RUN}/model.pt"
FACT_CHECKPOINTS = f"{CHECKPOINTS}/factorization/{FACT_UNIT}"
GENERATORS = factorization_methods.GENERATORS
POOLED = factorization_methods.POOLED
# Partitions are numbered 1..count: a target for another number is refused
# when the DAG is built, before its inputs are made.
PARTITION_COUNT = FACTORIZATION["partitions"]["count"] if FACTORIZATION else 0


wildcard_constraints:
    subset=r"all|(?:similar|different)\d+",
    partition="|".join(str(p) for p in range(1, PARTITION_COUNT + 1)) or r"\d+",


def family_languages(with_largest_source=False):
    """The grid's languages and the always-seen ones (and LS's source)."""
    languages = [*FACTORIZATION["languages"], *FACTORIZATION.get("always_seen", [])]
    if with_largest_source and FACTORIZATION.get("largest_source"):
        languages.append(FACTORIZATION["largest_source"])
    return languages


def family_corpora():
    """Every corpus (task, language incl. LS's source, split) a fine-tuned job may read."""
    return [
        corpus(task, lang, split)
        for task in FACTORIZATION_TASKS
        for lang in family_languages(with_largest_source=True)
        for split in ("train", "dev", "test")
    ]


# With a fine-tuned encoder a job reads the corpora of its partition's pairs. It
# declares the family's manifest of corpus digests instead of every corpus: one
# input for each of a paper grid's fine-tuned jobs, not hundreds (a DAG built in
# seconds); a changed corpus rewrites the manifest, which reruns them.
CORPUS_MANIFEST = R("factorization/corpora.json")


def family_data():
    """What the family reads for every (task, language) of the grid and of LS's
    source: cached vectors, or the corpora (their manifest) and the encoder to
    fine-tune."""
    if FINE_TUNED:
        return {"corpora": CORPUS_MANIFEST, "encoder": ENCODER_DIR}
    return {
        "features": [feature_dir("factorization", task) for task in FACTORIZATION_TASKS]
    }


# the vectors of LS's source too, though only LS and the heldout scores read them
WORD_VECTOR_LANGUAGES["factorization"] = lambda task: family_languages(True)
# the file of one (task, language), for the jobs that read a few at a time
FACTORIZATION_FEATURES = FEATURES.replace("{family}", "factorization")


# With a frozen encoder a model trains in seconds, most of them process start-up
# (importing torch, its optimiser's first step): one job per seed trains every
# model of a training rule. A fine-tuned model is a (GPU) job of its own.
TRAINING_UNIT = FACT_UNIT if FINE_TUNED else "seed{seed}"


def trained(path, methods, model=False):
    """Outputs ``path`` (a FACT_RUN path) of the job that trains ``methods``
    (one model's, or with a frozen encoder those of every model of the seed)."""
    if FINE_TUNED:
        pattern = path.replace("{method}", "{method," + "|".join(methods) + "}")
        return directory(pattern) if model else pattern
    return [
        path.format(**unit, seed="{seed}")
        for unit in SEED_UNITS
        if unit["method"] in methods
    ]


def training_units(wildcards, methods):
    """The models one training job trains, in the order of its outputs (subset,
    method, partition, seed), with their partition file and checkpoints."""
    if FINE_TUNED:
        units = [
            {key: getattr(wildcards, key) for key in ("subset", "method", "partition")}
        ]
    else:
        units = [unit for unit in SEED_UNITS if unit["method"] in methods]
    return [
        {
            **unit,
            "partition": int(unit["partition"]),
            "seed": int(wildcards.seed),
            "partitions": PARTITIONS.format(subset=unit["subset"]),
            "checkpoints": FACT_CHECKPOINTS.format(**unit, seed=wildcards.seed),
        }
        for unit in units
    ]


def training_partitions(wildcards):
    """The partition files a training job reads."""
    if FINE_TUNED:
        return PARTITIONS.format(subset=wildcards.subset)
    return expand(PARTITIONS, subset=SUBSETS)


def heldout_models(unit):
    """What a unit's method predicts with: the per-language methods (NS, BEA)
    pick among per-language classifiers (one file of heads, or one fine-tuned
    model per pair); the others have a model of their own."""
    if unit["method"] in factorization_methods.PER_LANGUAGE:
        if FINE_TUNED:
            return expand(
                f"{LANGUAGE_MODEL}/model",
                seed=unit["seed"],
                task=FACTORIZATION_TASKS,
                lang=FACTORIZATION["languages"],
            )
        return [f"{LANGUAGE_HEADS}/heads.pt".format(seed=unit["seed"])]
    return [FACT_MODEL.format(**unit)]


def generator_summaries():
    """The training summaries (train.json) of every PF model: how its SVI ended."""
    return [
        f"{FACT_RUN}/train.json".format(**unit)
        for unit in factorization_family.units(config)
        if unit["method"] in factorization_methods.GENERATORS
    ]


def heldout_scores():
    return [
        f"{FACT_RUN}/heldout.json".format(**unit)
        for unit in factorization_family.units(config)
    ]


SUBSETS = factorization_family.subset_names(config)
# The models of one seed, in a fixed order: (subset, method, partition).
SEED_UNITS = [
    {key: unit[key] for key in ("subset", "method", "partition")}
    for unit in factorization_family.units(config)
    if unit["seed"] == config["seeds"][0]
]
SEED_SCORES = [
    f"{FACT_RUN}/heldout.json".format(**unit, seed="{seed}") for unit in SEED_UNITS
]


def seed_units(wildcards):
    """Every model of seed ``wildcards.seed`` (in the order of the evaluation
    job's outputs): the files it predicts with and its partition file."""
    units = []
    for unit in SEED_UNITS:
        unit = {**unit, "seed": int(wildcards.seed)}
        units.append(
            {
                **unit,
                "models": heldout_models(unit),
                "partitions": PARTITIONS.format(subset=unit["subset"]),
            }
        )
    return units


def pca_posterior():
    """Figure 4 shows the low-rank generator's language posteriors if it ran,
    else those of the first generator configured."""
    generators = factorization_family.generators(config)
    method = (
        factorization_methods.LOW_RANK
        if factorization_methods.LOW_RANK in generators
        else generators[0]
    )
    return f"{FACT_RUN}/language_posterior.json".format(
        subset="all", method=method, partition=1, seed=config["seeds"][0]
    )


def factorization_targets():
    names = ["factorization_per_language"]
    if factorization_family.generators(config):
        names += ["factorization_entropy", "factorization_language_pca"]
    return [
        R("tables/factorization_scores.csv"),
        R("tables/factorization.md"),
    ] + figure_files(names)


FAMILY_TARGETS[factorization_family.FAMILY.name] = factorization_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "factorization_scores.csv": ("factorization", "factorization_scores"),
        "factorization.md": ("factorization", "factorization_summary"),
    }
)
