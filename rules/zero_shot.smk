# The zero-shot family: one fine-tuned model per (method, task, source set,
# seed), scored on every target language; its table and figures. Checkpoints
# live outside the declared outputs, so a killed job resumes when it is rerun.
# One evaluation job per (method, source set, seed) scores every task's model on
# every target: adding a target reruns the evaluations (seconds per model) and
# trains nothing.


rule train_zero_shot:
    """Fine-tune the encoder and the task's head on the source language(s)."""
    input:
        checked=ancient(CORPORA_CHECKED),
        train=lambda wildcards: source_corpora(wildcards, "train"),
        dev=lambda wildcards: source_corpora(wildcards, "dev"),
        sources=lambda wildcards: source_corpora(wildcards, "train", corpus_source)
        + source_corpora(wildcards, "dev", corpus_source),
        encoder=ENCODER_DIR,
    output:
        model=directory(f"{ZS_RUN}/model"),
        summary=f"{ZS_RUN}/train.json",
    log:
        logs("train_zero_shot", ZS_UNIT),
    benchmark:
        bench("train_zero_shot", ZS_UNIT)
    wildcard_constraints:
        method=ZS_METHODS,
    priority: longest_training_first(FIRST_RESULTS)
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=720,
        gpu=1,
    params:
        settings=lambda wildcards: training_settings(wildcards.task),
        options=lambda wildcards: task_options(wildcards.task),
        fine_tune=config["encoder"]["fine_tune"],
        max_length=lambda wildcards: task_max_length(wildcards.task),
        checkpoints=f"{CHECKPOINTS}/train_zero_shot/{ZS_UNIT}",
    script:
        "../workflow_scripts/train_zero_shot.py"


rule evaluate_zero_shot:
    """Score the models of every task of one (method, source set, seed) on every
    target language's test split: one metrics and one predictions file per (task,
    target), each model loaded once and all of them in one process (a target a
    task skips gets a metrics file that says why)."""
    input:
        models=lambda wildcards: zero_shot_runs(wildcards, "model"),
        train_summaries=lambda wildcards: zero_shot_runs(wildcards, "train.json"),
        encoder=ENCODER_DIR,
        test=[
            corpus(task, target, "test")
            for task in config["tasks"]
            for target in zero_shot_family.scored_targets(config, task)
        ],
    output:
        metrics=evaluated("metrics.json"),
        predictions=evaluated("predictions.tsv"),
    log:
        logs("evaluate_zero_shot", ZS_EVALUATION),
    benchmark:
        bench("evaluate_zero_shot", ZS_EVALUATION)
    wildcard_constraints:
        method=ZS_METHODS,
    priority: FIRST_RESULTS
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=16000,
        runtime=240,
        gpu=1,
    params:
        device=config["training"]["device"],
        tasks=config["tasks"],
        targets=ZS_TARGETS,
        skipped=ZS_SKIPPED,
        options={task: task_options(task) for task in config["tasks"]},
    script:
        "../workflow_scripts/evaluate_zero_shot.py"


rule aggregate_zero_shot:
    """Every run's metrics -> one tidy table, a Markdown summary (mean ± std over
    seeds per method x task x source x target) and the transfer gap from the
    source language's own score (Lauscher et al. 2020, Table 1)."""
    input:
        metrics=zero_shot_metrics(),
        languages=LANGUAGE_TABLE,
    output:
        scores=R("tables/scores.csv"),
        summary=R("tables/summary.md"),
        gap=R("tables/transfer_gap.csv"),
    log:
        logs("aggregate_zero_shot"),
    benchmark:
        bench("aggregate_zero_shot")
    priority: FIRST_RESULTS
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        experiment=config["experiment"],
        distance_features=config["languages"]["distance_features"],
        eval_splits=evaluation_splits(),
        skipped=ZS_DATA_GAPS,
    script:
        "../workflow_scripts/aggregate_zero_shot.py"


# Figures read only the aggregated table: changing plotting code or style
# reruns these rules and nothing upstream.


rule plot_per_language:
    """Scores per target language."""
    input:
        scores=R("tables/scores.csv"),
    output:
        png=report(
            R("figures/per_language.png"),
            category=REPORT_CATEGORIES["zero_shot"],
            subcategory="Figures",
            caption="../report/per_language.rst",
            labels={"figure": "Scores per target language"},
        ),
        pdf=R("figures/per_language.pdf"),
    log:
        logs("plot_per_language"),
    benchmark:
        bench("plot_per_language")
    priority: FIRST_RESULTS
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
        "../workflow_scripts/plot_per_language.py"


rule plot_transfer_vs_distance:
    """Score against typological distance from the source, with Pearson's r."""
    input:
        scores=R("tables/scores.csv"),
    output:
        png=report(
            R("figures/transfer_vs_distance.png"),
            category=REPORT_CATEGORIES["zero_shot"],
            subcategory="Figures",
            caption="../report/transfer_vs_distance.rst",
            labels={"figure": "Transfer against typological distance"},
        ),
        pdf=R("figures/transfer_vs_distance.pdf"),
    log:
        logs("plot_transfer_vs_distance"),
    benchmark:
        bench("plot_transfer_vs_distance")
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
        "../workflow_scripts/plot_transfer_vs_distance.py"


rule transfer_analysis:
    """Each target's score against its similarity to the source per feature set:
    correlations and the leave-one-out meta-regression (Lauscher et al. 2020,
    Tables 2 and 3), and the same under every feature variant."""
    input:
        scores=analysis_scores(),
        languages=LANGUAGE_TABLE,
    output:
        correlations=R("tables/transfer_correlations.csv"),
        regression=R("tables/meta_regression.csv"),
        samples=R("tables/transfer_features.csv"),
        variants=R("tables/transfer_variants.csv"),
        variant_regression=R("tables/transfer_variants_regression.csv"),
        summary=R("tables/transfer_analysis.md"),
    log:
        logs("transfer_analysis"),
    benchmark:
        bench("transfer_analysis")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        feature_sets=config["languages"]["distance_features"],
        sizes=analysis_sizes(),
        size_measures=config["zero_shot"]["size_measures"],
        variants=config["zero_shot"]["feature_variants"],
        code_variants=config["zero_shot"]["code_variants"],
    script:
        "../workflow_scripts/transfer_analysis.py"


rule plot_transfer_features:
    """Each target's score against each feature of the transfer analysis."""
    input:
        samples=R("tables/transfer_features.csv"),
    output:
        png=report(
            R("figures/transfer_features.png"),
            category=REPORT_CATEGORIES["zero_shot"],
            subcategory="Figures",
            caption="../report/transfer_features.rst",
            labels={"figure": "Transfer against each language feature"},
        ),
        pdf=R("figures/transfer_features.pdf"),
    log:
        logs("plot_transfer_features"),
    benchmark:
        bench("plot_transfer_features")
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
        "../workflow_scripts/plot_transfer_features.py"
