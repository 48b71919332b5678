# Paths, input functions and targets of rules/few_shot.smk (snakemake --lint
# wants rules and functions in separate files).

FS_RUN = R("runs/few_shot/{task}/{source}/seed{seed}/{target}")
FS_UNIT = "{task}/{source}/seed{seed}/{target}"
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


def few_shot_settings(task):
    """The task's training settings with few_shot.training's overrides."""
    return {**training_settings(task), **config["few_shot"]["training"]}


def few_shot_points():
    """Points file of every (task, source set, seed, target) of the grid."""
    return [
        f"{FS_RUN}/points.json".format(**unit)
        for unit in few_shot_family.training_units(config)
    ]


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
