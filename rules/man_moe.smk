# MAN-MoE (Chen et al. 2019): the leave-one-out grid of multi-source transfer on
# the frozen encoder's cached word vectors. One job per (task, target, seed)
# trains every system of that target (the baselines, MAN, MAN-MoE and its
# ablations), each resuming from its own checkpoint when killed.


rule train_man_moe:
    """Train and score every system of one target: its sources label, every
    language of the set (the target too) gives the discriminator unlabelled words;
    with characters, the corpora give every word's characters."""
    input:
        checked=ancient(CORPORA_CHECKED),
        features=man_moe_features,
        corpora=man_moe_corpora,
    output:
        results=f"{MM_RUN}/results.json",
    log:
        logs("train_man_moe", MM_UNIT),
    benchmark:
        bench("train_man_moe", MM_UNIT)
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=8000,
        runtime=720,
        gpu=1,
    params:
        languages=man_moe_family.languages(config),
        runs=man_moe_runs,
        settings=lambda wildcards: man_moe_family.settings(config, wildcards.task),
        device=config["training"]["device"],
        checkpoints=f"{CHECKPOINTS}/train_man_moe/{MM_UNIT}",
    script:
        "../workflow_scripts/train_man_moe.py"


rule aggregate_man_moe:
    """Every target's results -> the scores of every model, the gate weights, the
    results table (mean ± std over seeds) in Markdown."""
    input:
        results=man_moe_results(),
    output:
        scores=R("tables/man_moe_scores.csv"),
        gates=R("tables/man_moe_gates.csv"),
        summary=report(
            R("tables/man_moe.md"),
            category="Tables",
            caption="../report/man_moe.rst",
        ),
    log:
        logs("aggregate_man_moe"),
    benchmark:
        bench("aggregate_man_moe")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        experiment=config["experiment"],
    script:
        "../workflow_scripts/aggregate_man_moe.py"


rule plot_man_moe_gates:
    """MAN-MoE's mean expert-gate weights per target (Figure 4)."""
    input:
        gates=R("tables/man_moe_gates.csv"),
    output:
        png=report(
            R("figures/man_moe_gates.png"),
            category="Figures",
            caption="../report/man_moe_gates.rst",
        ),
        pdf=R("figures/man_moe_gates.pdf"),
    log:
        logs("plot_man_moe_gates"),
    benchmark:
        bench("plot_man_moe_gates")
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
        "../workflow_scripts/plot_man_moe_gates.py"
