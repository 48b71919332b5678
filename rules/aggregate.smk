# Every run's metrics -> one tidy table and a Markdown summary (mean +- std
# over seeds per method x task x source x target).


rule aggregate:
    input:
        metrics=run_metrics(),
        languages="results/languages/languages.tsv",
    output:
        scores=report(
            "results/tables/scores.csv",
            category="Tables",
            caption="../report/scores.rst",
        ),
        summary=report(
            "results/tables/summary.md",
            category="Tables",
            caption="../report/summary.rst",
        ),
    log:
        "logs/aggregate.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    params:
        experiment=config["experiment"],
        distance_features=config["languages"]["distance_features"],
    script:
        "../workflow_scripts/aggregate_scores.py"
