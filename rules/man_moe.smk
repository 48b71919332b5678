# MAN-MoE (Chen et al. 2019): the leave-one-out grid of multi-source transfer on
# the frozen encoder's cached word vectors. One job per (task, target, seed)
# trains every system of that target (the baselines, MAN, MAN-MoE and its
# ablations), each resuming from its own checkpoint when killed.


rule encode_man_moe_text:
    """Frozen-encoder word vectors of each language's raw text (its first
    man_moe.unlabelled.max_sentences lines): the discriminator's unlabelled words,
    a file per language."""
    input:
        texts=man_moe_raw_texts,
        encoder=ENCODER_DIR,
    output:
        features=directory(MM_TEXT_FEATURES),
    log:
        logs("encode_man_moe_text"),
    benchmark:
        bench("encode_man_moe_text")
    priority: LONG_JOB
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=120,
        gpu=1,
    params:
        languages=man_moe_family.text_languages(config),
        max_sentences=man_moe_family.unlabelled(config)["max_sentences"],
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/encode_man_moe_text.py"


rule train_man_moe:
    """Train and score every system of one target: its sources label, every
    language of the set (the target too) gives the discriminator unlabelled words
    (its train split's or its raw text's); with characters, the corpora and raw
    texts give every word's characters."""
    input:
        checked=ancient(CORPORA_CHECKED),
        features=man_moe_features,
        text_features=man_moe_text_features,
        corpora=man_moe_corpora,
        texts=man_moe_texts,
    output:
        results=f"{MM_RUN}/results.json",
    log:
        logs("train_man_moe", MM_UNIT),
    benchmark:
        bench("train_man_moe", MM_UNIT)
    priority: LONG_JOB
    conda:
        "../envs/torch.yaml"
    # cached vectors only, never the encoder: a 128-wide BiLSTM, one thread per job
    # and the targets side by side
    threads: 1
    resources:
        mem_mb=8000,
        runtime=720,
        gpu=1,
    params:
        languages=man_moe_family.languages(config),
        text_languages=man_moe_family.text_languages(config),
        max_sentences=man_moe_family.unlabelled(config)["max_sentences"],
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
        sentences=R("tables/man_moe_sentences.csv"),
        sentence_gates=R("tables/man_moe_sentence_gates.csv"),
        summary=R("tables/man_moe.md"),
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
            category=REPORT_CATEGORIES["man_moe"],
            subcategory="Figures",
            caption="../report/man_moe_gates.rst",
            labels={"figure": "Expert-gate weights per target"},
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
