# Evaluation per (training run, target language): predictions + metrics.
# Adding a target language evaluates only the new target.


rule evaluate_target:
    """Score one trained model on one target language's test split."""
    input:
        model=f"{RUN}/model",
        train_summary=f"{RUN}/train.json",
        encoder=ENCODER_DIR,
        test=lambda wildcards: corpus(wildcards.task, wildcards.target, "test"),
    output:
        metrics=METRICS,
        predictions=f"{RUN}/eval/{{target}}/predictions.tsv",
    log:
        f"logs/{RUN}/eval/{{target}}.log",
    # On a cluster the evaluations of one trained model are one group job (one
    # submission; see group-components in profiles/slurm). Ignored in local runs.
    group:
        "evaluate_{method}_{task}_{source}_seed{seed}"
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        device=config["training"]["device"],
    script:
        "../workflow_scripts/evaluate_target.py"
