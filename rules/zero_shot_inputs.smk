# Paths, wildcard constraints, input functions and targets of rules/zero_shot.smk
# (snakemake --lint wants rules and functions in separate files).

ZS_RUN = R("runs/{method}/{task}/{source}/seed{seed}")
ZS_UNIT = "{method}/{task}/{source}/seed{seed}"
ZS_EVALUATION = "{method}/{source}/seed{seed}"  # an evaluation job: every task's model
ZS_METHODS = "|".join(zero_shot_family.METHODS)
ZS_TARGETS = zero_shot_family.targets(config)
# Per task, the targets it is not scored on, and why. A pair a shared target
# list skips for lack of data is logged once, here; with a list per task the
# config already says which pairs are scored.
ZS_SKIPPED = {
    task: zero_shot_family.skipped_targets(config, task) for task in config["tasks"]
}
ZS_DATA_GAPS = {} if zero_shot_family.per_task_targets(config) else ZS_SKIPPED
for _task, _skipped in ZS_DATA_GAPS.items():
    for _target, _reason in _skipped.items():
        logger.info(f"zero_shot: {_task} is not scored on {_target}: {_reason}")


wildcard_constraints:
    source=rf"{LANG}(?:\+{LANG})*",


def source_corpora(wildcards, split, path=corpus):
    """The source languages' corpora of ``split`` (or, with ``path=corpus_source``,
    where they came from)."""
    return [
        path(wildcards.task, lang, split)
        for lang in zero_shot_family.source_languages(wildcards.source)
    ]


def zero_shot_runs(wildcards, name):
    """``name`` (model, train.json) of every task's run of an evaluation job."""
    return [
        f"{ZS_RUN}/{name}".format(
            method=wildcards.method,
            task=task,
            source=wildcards.source,
            seed=wildcards.seed,
        )
        for task in config["tasks"]
    ]


def evaluated(name):
    """An evaluation job's outputs: ``name`` (metrics.json, predictions.tsv) per
    task and target, task by task."""
    return [
        f"{ZS_RUN}/eval/{target}/{name}".replace("{task}", task)
        for task in config["tasks"]
        for target in ZS_TARGETS
    ]


def evaluation_splits():
    """The split each task's targets are scored on: test, or the eval_split of the
    task's data block (data.ner, data.xnli)."""
    if not REAL:
        return {task: "test" for task in config["tasks"]}
    splits = {
        task: config["data"][data_key(task)].get("eval_split", "test")
        for task in config["tasks"]
    }
    if "xnli" in splits and config["data"]["xnli"]["train_from_dev"]:
        splits["xnli"] = "held-out dev rows"  # not the rows that selected the model
    return splits


def zero_shot_metrics():
    """Metrics file of every (training unit, target) in the grid."""
    return [
        f"{ZS_RUN}/eval/{target}/metrics.json".format(**unit)
        for unit in zero_shot_family.training_units(config)
        for target in ZS_TARGETS
    ]


ZS_PUBLISHED = zero_shot_family.published_scores(config)


def analysis_scores():
    """The scores the transfer analysis reads: a published table, or this run's."""
    return ZS_PUBLISHED or R("tables/scores.csv")


def analysis_sizes():
    """Per experiment, whose pretraining corpora give SIZE (zero_shot.sizes; this
    run's own experiment from its encoder)."""
    sizes = dict(config["zero_shot"]["sizes"])
    model = size_model(config["encoder"]["name"])
    if not ZS_PUBLISHED and model:
        sizes.setdefault(EXPERIMENT, model)
    return sizes


def zero_shot_targets():
    analysis = [R("tables/transfer_analysis.md")] + figure_files(["transfer_features"])
    if ZS_PUBLISHED:
        return analysis
    return [
        R("tables/scores.csv"),
        R("tables/summary.md"),
        *analysis,
    ] + figure_files(["per_language", "transfer_vs_distance"])


FAMILY_TARGETS[zero_shot_family.FAMILY.name] = zero_shot_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "scores.csv": ("zero_shot", "scores"),
        "summary.md": ("zero_shot", "summary"),
        "transfer_analysis.md": ("zero_shot", "transfer_analysis"),
    }
)
