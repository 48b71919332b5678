# Paths, input functions and targets of rules/few_shot.smk (snakemake --lint
# wants rules and functions in separate files).

# one job per zero-shot model continues it on every target: a directory of one
# {target}/points.json each (a second process per target would spend most of
# its time importing torch and loading the model again)
FS_JOB = "{task}/{source}/seed{seed}"
FS_DIR = R(f"runs/few_shot/{FS_JOB}")
FS_RUN = f"{FS_DIR}/{{target}}"
FS_SAMPLES = R("few_shot/samples/{task}/{target}.json")
FS_SKIPPED = {
    task: few_shot_family.skipped_targets(config, task)
    for task in few_shot_family.active_tasks(config)
}
for _task, _skipped in FS_SKIPPED.items():
    for _target, _reason in _skipped.items():
        if _reason != "a source language":
            logger.info(f"few_shot: {_task} is not continued on {_target}: {_reason}")


def few_shot_pool(wildcards):
    """The target's split the samples are drawn from (few_shot.pool_split)."""
    split = few_shot_family.pool_split(config, wildcards.task)
    return corpus(wildcards.task, wildcards.target, split)


def few_shot_job_targets(wildcards):
    """The targets one train_few_shot job continues its model on."""
    return few_shot_family.targets(config, wildcards.task)


def few_shot_job_inputs(wildcards):
    """Each target's samples, pool and test split, in the order of its targets."""
    split = few_shot_family.pool_split(config, wildcards.task)
    targets = few_shot_job_targets(wildcards)
    return {
        "samples": [FS_SAMPLES.format(task=wildcards.task, target=t) for t in targets],
        "pools": [corpus(wildcards.task, t, split) for t in targets],
        "tests": [corpus(wildcards.task, t, "test") for t in targets],
    }


def few_shot_settings(task):
    """The task's training settings with few_shot.training's overrides."""
    return {**training_settings(task), **config["few_shot"]["training"]}


def few_shot_points():
    """Points file of every (task, source set, seed, target) of the grid."""
    return [
        f"{FS_RUN}/points.json".format(**unit)
        for unit in few_shot_family.training_units(config)
    ]


def few_shot_directories():
    """The output directory of every train_few_shot job."""
    return list(
        dict.fromkeys(
            FS_DIR.format(**unit) for unit in few_shot_family.training_units(config)
        )
    )


def few_shot_zero_shot_metrics():
    """The zero-shot metrics (k = 0) of every unit the grid continues."""
    return [
        f"{ZS_RUN}/eval/{{target}}/metrics.json".format(method="zero_shot", **unit)
        for unit in few_shot_family.training_units(config)
    ]


def few_shot_targets():
    if not few_shot_family.active_tasks(config):
        return []
    return [R("tables/few_shot.md")] + figure_files(
        ["few_shot_gains", "few_shot_curves"]
    )


FAMILY_TARGETS[few_shot_family.FAMILY.name] = few_shot_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "few_shot.md": ("few_shot", "few_shot"),
    }
)
