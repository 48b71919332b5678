# The few-shot family: the zero-shot models continued on k examples of each
# target. Samples are drawn once per (task, target) and shared by every seed;
# one job per (task, source set, seed) runs every target's samples. Finished
# points are kept outside the declared outputs, so a killed job, or one rerun
# for a new k or a new target, trains only the points not yet done.


rule few_shot_samples:
    """Draw every sample (strategy, k, run) of one target from its pool split."""
    input:
        checked=ancient(CORPORA_CHECKED),
        pool=few_shot_pool,
    output:
        samples=FS_SAMPLES,
    log:
        logs("few_shot_samples", "{task}/{target}"),
    benchmark:
        bench("few_shot_samples", "{task}/{target}")
    # ahead of the few-shot trainings that read them; at the lowest priority they
    # were drawn in the last minute and the few-shot chain ended the run. Ready with
    # pretraining, they can still take a core it cannot use alone (about 3 s).
    priority: LONG_CHAIN + 1
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        points=lambda wildcards: few_shot_family.points(config, wildcards.task),
        split=lambda wildcards: few_shot_family.pool_split(config, wildcards.task),
        seed=config["few_shot"]["sampling_seed"],
    script:
        "../workflow_scripts/few_shot_samples.py"


rule train_few_shot:
    """Continue one zero-shot model on each sample of every target; score the
    target's test split after each (a points file per target)."""
    input:
        unpack(few_shot_job_inputs),
        model=R("runs/zero_shot/{task}/{source}/seed{seed}/model"),
        encoder=ENCODER_DIR,
    output:
        points=directory(FS_DIR),
    log:
        logs("train_few_shot", FS_JOB),
    benchmark:
        bench("train_few_shot", FS_JOB)
    priority: LONG_CHAIN
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=720,
        gpu=1,
    params:
        targets=few_shot_job_targets,
        settings=lambda wildcards: few_shot_settings(wildcards.task),
        options=lambda wildcards: task_options(wildcards.task),
        fine_tune=config["encoder"]["fine_tune"],
        max_length=lambda wildcards: task_max_length(wildcards.task),
        checkpoints=f"{CHECKPOINTS}/train_few_shot/{FS_JOB}",
    script:
        "../workflow_scripts/train_few_shot.py"


rule aggregate_few_shot:
    """Every point and the zero-shot scores (k = 0) -> the tidy table, the mean
    over targets per strategy and k (Table 4) and per target (Table 5)."""
    input:
        runs=few_shot_directories(),
        zero_shot=few_shot_zero_shot_metrics(),
    output:
        scores=R("tables/few_shot_scores.csv"),
        by_k=R("tables/few_shot_by_k.csv"),
        per_language=R("tables/few_shot_per_language.csv"),
        summary=R("tables/few_shot.md"),
    log:
        logs("aggregate_few_shot"),
    benchmark:
        bench("aggregate_few_shot")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        points=few_shot_points(),
        experiment=config["experiment"],
        skipped={
            task: {t: r for t, r in skipped.items() if r != "a source language"}
            for task, skipped in FS_SKIPPED.items()
        },
    script:
        "../workflow_scripts/aggregate_few_shot.py"


rule plot_few_shot_gains:
    """Heatmaps of the mean gain over zero-shot, strategy x k, one per task."""
    input:
        by_k=R("tables/few_shot_by_k.csv"),
    output:
        png=report(
            R("figures/few_shot_gains.png"),
            category=REPORT_CATEGORIES["few_shot"],
            subcategory="Figures",
            caption="../report/few_shot_gains.rst",
            labels={"figure": "Few-shot gain per target"},
        ),
        pdf=R("figures/few_shot_gains.pdf"),
    log:
        logs("plot_few_shot_gains"),
    benchmark:
        bench("plot_few_shot_gains")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_few_shot_gains.py"


rule plot_few_shot_curves:
    """Each target's score over k (random samples), one panel per task."""
    input:
        per_language=R("tables/few_shot_per_language.csv"),
    output:
        png=report(
            R("figures/few_shot_curves.png"),
            category=REPORT_CATEGORIES["few_shot"],
            subcategory="Figures",
            caption="../report/few_shot_curves.rst",
            labels={"figure": "Score by number of target examples"},
        ),
        pdf=R("figures/few_shot_curves.pdf"),
    log:
        logs("plot_few_shot_curves"),
    benchmark:
        bench("plot_few_shot_curves")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_few_shot_curves.py"
