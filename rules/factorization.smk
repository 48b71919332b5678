# The factorization experiment (Ponti et al., TACL 2021): PF-d, PF-lr and the
# baselines LS, NS, JM and BEA on held-out task-language pairs. Every method
# puts linear classifiers on the same encoder. factorization.encoder: frozen
# computes its word vectors once per (task, language) and caches them;
# fine_tuned trains the encoder with each method, as in the paper.


rule encode_features:
    """Frozen-encoder word vectors of one (task, language)'s train, dev and test."""
    input:
        train=lambda wildcards: corpus(wildcards.task, wildcards.lang, "train"),
        dev=lambda wildcards: corpus(wildcards.task, wildcards.lang, "dev"),
        test=lambda wildcards: corpus(wildcards.task, wildcards.lang, "test"),
        encoder=ENCODER_DIR,
    output:
        features=FEATURES,
    log:
        "logs/features/{task}/{lang}.log",
    conda:
        "../envs/torch.yaml"
    threads: 2
    params:
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/encode_features.py"


rule factorization_partitions:
    """Seen and held-out pairs (and, for Table 2, the subset's languages)."""
    input:
        corpora=lambda wildcards: factorization_corpora(),
        languages="results/languages/languages.tsv",
    output:
        partitions=PARTITIONS,
    log:
        "logs/factorization/{subset}/partitions.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    params:
        tasks=config["tasks"],
        languages=FACTORIZATION.get("languages", []),
        partitions=FACTORIZATION.get("partitions"),
        corpus=lambda wildcards: corpus("{task}", "{lang}", "{split}"),
    script:
        "../workflow_scripts/make_partitions.py"


rule train_language_heads:
    """One linear head per (task, language) on cached vectors: NS and BEA's sources."""
    input:
        unpack(lambda wildcards: family_data()),
    output:
        heads=LANGUAGE_HEADS,
        summary="results/factorization/language_heads/seed{seed}/train.json",
    log:
        "logs/factorization/language_heads/seed{seed}.log",
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        settings=FACTORIZATION.get("head"),
    script:
        "../workflow_scripts/train_language_heads.py"


rule train_language_model:
    """One fine-tuned classifier per (task, language): NS and BEA's sources when
    the encoder is fine-tuned."""
    input:
        train=lambda wildcards: corpus(wildcards.task, wildcards.lang, "train"),
        dev=lambda wildcards: corpus(wildcards.task, wildcards.lang, "dev"),
        encoder=ENCODER_DIR,
    output:
        model=directory(f"{LANGUAGE_MODEL}/model"),
        summary=f"{LANGUAGE_MODEL}/train.json",
    log:
        f"logs/{LANGUAGE_MODEL}/train.log",
    conda:
        "../envs/torch.yaml"
    threads: 2
    params:
        settings=config["training"],
        max_length=config["encoder"]["max_length"],
        checkpoints=f"checkpoints/{LANGUAGE_MODEL}",
    script:
        "../workflow_scripts/train_language_model.py"


rule train_pooled_head:
    """LS (largest source) or JM (all seen languages): one classifier per task."""
    input:
        unpack(lambda wildcards: family_data(with_largest_source=True)),
        partitions=PARTITIONS,
    output:
        model=family_model("ls|jm"),
        summary=f"{FACT_RUN}/train.json".replace("{method}", "{method,ls|jm}"),
    log:
        f"logs/{FACT_RUN}/train.log",
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        tasks=config["tasks"],
        largest_source=FACTORIZATION.get("largest_source"),
        cut_tasks=FACTORIZATION.get("cut_largest_source"),
        settings=FACTORIZATION.get("head"),
        features=lambda wildcards: FEATURES,
        encoder=FACTORIZATION.get("encoder"),
        training=config["training"],
        jm_frozen_layers=FACTORIZATION.get("jm_frozen_layers"),
        max_length=config["encoder"]["max_length"],
        corpus=lambda wildcards: corpus("{task}", "{lang}", "{split}"),
        checkpoints=FACT_CHECKPOINTS,
    script:
        "../workflow_scripts/train_pooled_head.py"


rule train_factorization:
    """PF-d or PF-lr by stochastic variational inference over the seen pairs."""
    input:
        unpack(lambda wildcards: family_data()),
        partitions=PARTITIONS,
    output:
        model=family_model("pf_d|pf_lr"),
        summary=f"{FACT_RUN}/train.json".replace("{method}", "{method,pf_d|pf_lr}"),
        posterior=f"{FACT_RUN}/language_posterior.json".replace(
            "{method}", "{method,pf_d|pf_lr}"
        ),
    log:
        f"logs/{FACT_RUN}/train.log",
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        settings=FACTORIZATION.get("model"),
        features=lambda wildcards: FEATURES,
        checkpoints=FACT_CHECKPOINTS,
        encoder=FACTORIZATION.get("encoder"),
        corpus=lambda wildcards: corpus("{task}", "{lang}", "{split}"),
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/train_factorization.py"


rule evaluate_heldout:
    """Score one model of the family on every held-out pair of its partition."""
    input:
        unpack(lambda wildcards: family_data()),
        partitions=PARTITIONS,
        model=heldout_model,
        languages="results/languages/languages.tsv",
    output:
        scores=f"{FACT_RUN}/heldout.json",
    log:
        f"logs/{FACT_RUN}/evaluate.log",
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        features=lambda wildcards: FEATURES,
        encoder=FACTORIZATION.get("encoder"),
        corpus=lambda wildcards: corpus("{task}", "{lang}", "{split}"),
        language_model=lambda wildcards: f"{LANGUAGE_MODEL}/model",
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
        similarity_features=FACTORIZATION.get("similarity_features"),
        prediction=FACTORIZATION.get("prediction"),
        entropy=FACTORIZATION.get("entropy"),
    script:
        "../workflow_scripts/evaluate_heldout.py"


rule aggregate_heldout:
    """Tables 1 and 2, per-language scores and the entropy correlation."""
    input:
        scores=lambda wildcards: heldout_scores(),
    output:
        scores=report(
            "results/tables/factorization_scores.csv",
            category="Factorization",
            caption="../report/factorization_scores.rst",
        ),
        summary=report(
            "results/tables/factorization.md",
            category="Factorization",
            caption="../report/factorization_summary.rst",
        ),
        entropy="results/tables/factorization_entropy.csv",
    log:
        "logs/factorization/aggregate.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    script:
        "../workflow_scripts/aggregate_heldout.py"
