# One training job per (method, task, source set, seed). Checkpoints live
# outside the declared outputs, so a killed job resumes when it is rerun.


rule train_zero_shot:
    """Fine-tune encoder + token classifier on the source language(s)."""
    input:
        train=lambda wildcards: source_corpora(wildcards, "train"),
        dev=lambda wildcards: source_corpora(wildcards, "dev"),
        encoder=ENCODER_DIR,
    output:
        model=directory(f"{RUN}/model"),
        summary=f"{RUN}/train.json",
    log:
        f"logs/{RUN}/train.log",
    conda:
        "../envs/torch.yaml"
    threads: 2
    params:
        settings=config["training"],
        fine_tune=config["encoder"]["fine_tune"],
        max_length=config["encoder"]["max_length"],
        checkpoints=CHECKPOINTS,
    script:
        "../workflow_scripts/train_zero_shot.py"
