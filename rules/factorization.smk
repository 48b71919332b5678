# The factorization family (Ponti et al., TACL 2021): PF-d, PF-lr and the
# baselines LS, NS, JM and BEA on held-out task-language pairs; its tables
# and figures. Every method puts linear classifiers on the same encoder.
# factorization.encoder: frozen reads the cached vectors of rules/encoder.smk;
# fine_tuned trains the encoder with each method, as in the paper.


rule factorization_partitions:
    """Seen and held-out pairs (and, for Table 2, the subset's languages)."""
    input:
        corpora=lambda wildcards: [
            corpus(task, lang, split)
            for task in FACTORIZATION_TASKS
            for lang in [*FACTORIZATION["languages"], *FACTORIZATION["always_seen"]]
            for split in ("train", "test")
        ],
        languages=LANGUAGE_TABLE,
    output:
        partitions=PARTITIONS,
    log:
        logs("factorization_partitions", "{subset}"),
    benchmark:
        bench("factorization_partitions", "{subset}")
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        tasks=FACTORIZATION_TASKS,
        languages=FACTORIZATION.get("languages", []),
        always_seen=FACTORIZATION.get("always_seen", []),
        partitions=FACTORIZATION.get("partitions"),
        corpus=lambda wildcards: CORPUS_PATTERN,
    script:
        "../workflow_scripts/factorization_partitions.py"


rule factorization_corpora:
    """The digest of every corpus the fine-tuned jobs of the family may read."""
    input:
        corpora=lambda wildcards: family_corpora(),
    output:
        manifest=CORPUS_MANIFEST,
    log:
        logs("factorization_corpora"),
    benchmark:
        bench("factorization_corpora")
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../workflow_scripts/factorization_corpora.py"


rule train_language_heads:
    """One linear head per (task, language) on cached vectors: NS and BEA's sources."""
    input:
        unpack(lambda wildcards: family_data()),
        checked=ancient(CORPORA_CHECKED),
    output:
        heads=f"{LANGUAGE_HEADS}/heads.pt",
        summary=f"{LANGUAGE_HEADS}/train.json",
    log:
        logs("train_language_heads", "seed{seed}"),
    benchmark:
        bench("train_language_heads", "seed{seed}")
    priority: LONG_CHAIN  # the baselines' chain to the scorecard, not left to the end
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=64000,  # every language's cached vectors (mBERT: ~0.3 GB per 20k sentences)
        runtime=240,
    params:
        tasks=FACTORIZATION_TASKS,
        languages=family_languages(),
        settings=FACTORIZATION.get("head"),
    script:
        "../workflow_scripts/train_language_heads.py"


rule train_language_model:
    """One fine-tuned classifier per (task, language): NS and BEA's sources when
    the encoder is fine-tuned."""
    input:
        checked=ancient(CORPORA_CHECKED),
        train=lambda wildcards: corpus(wildcards.task, wildcards.lang, "train"),
        dev=lambda wildcards: corpus(wildcards.task, wildcards.lang, "dev"),
        encoder=ENCODER_DIR,
    output:
        model=directory(f"{LANGUAGE_MODEL}/model"),
        summary=f"{LANGUAGE_MODEL}/train.json",
    log:
        logs("train_language_model", "seed{seed}/{task}/{lang}"),
    benchmark:
        bench("train_language_model", "seed{seed}/{task}/{lang}")
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=720,
        gpu=1,
    params:
        settings=config["training"],
        max_length=config["encoder"]["max_length"],
        checkpoints=f"{CHECKPOINTS}/train_language_model/seed{{seed}}/{{task}}/{{lang}}",
    script:
        "../workflow_scripts/train_language_model.py"


rule train_pooled_head:
    """LS (largest source) or JM (all seen languages): one classifier per task
    (with a frozen encoder, every LS and JM model of a seed in one job)."""
    input:
        unpack(lambda wildcards: family_data()),
        checked=ancient(CORPORA_CHECKED),
        partitions=training_partitions,
    output:
        model=trained(FACT_MODEL, POOLED, model=True),
        summary=trained(f"{FACT_RUN}/train.json", POOLED),
    log:
        logs("train_pooled_head", TRAINING_UNIT),
    benchmark:
        bench("train_pooled_head", TRAINING_UNIT)
    priority: LONG_CHAIN  # the baselines' chain to the scorecard, not left to the end
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=64000,
        runtime=1440,  # fine-tuned: one model per task, one after another
        gpu=1,
    params:
        tasks=FACTORIZATION_TASKS,
        largest_source=FACTORIZATION.get("largest_source"),
        cut_tasks=FACTORIZATION.get("cut_largest_source"),
        settings=FACTORIZATION.get("head"),
        features=lambda wildcards: FACTORIZATION_FEATURES,
        encoder=FACTORIZATION.get("encoder"),
        training=config["training"],
        jm_frozen_layers=FACTORIZATION.get("jm_frozen_layers"),
        jm_language_alpha=FACTORIZATION.get("jm_language_alpha"),
        max_length=config["encoder"]["max_length"],
        corpus=lambda wildcards: CORPUS_PATTERN,
        units=lambda wildcards: training_units(wildcards, POOLED),
    script:
        "../workflow_scripts/train_pooled_head.py"


rule train_factorization:
    """PF-d or PF-lr by stochastic variational inference over the seen pairs
    (with a frozen encoder, every PF model of a seed in one job)."""
    input:
        unpack(lambda wildcards: family_data()),
        checked=ancient(CORPORA_CHECKED),
        partitions=training_partitions,
    output:
        model=trained(FACT_MODEL, GENERATORS, model=True),
        summary=trained(f"{FACT_RUN}/train.json", GENERATORS),
        posterior=trained(f"{FACT_RUN}/language_posterior.json", GENERATORS),
    log:
        logs("train_factorization", TRAINING_UNIT),
    benchmark:
        bench("train_factorization", TRAINING_UNIT)
    priority: LONGEST_JOB
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=64000,
        runtime=1440,
        gpu=1,
    params:
        settings=FACTORIZATION.get("model"),
        features=lambda wildcards: FACTORIZATION_FEATURES,
        units=lambda wildcards: training_units(wildcards, GENERATORS),
        encoder=FACTORIZATION.get("encoder"),
        corpus=lambda wildcards: CORPUS_PATTERN,
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/train_factorization.py"


rule evaluate_heldout:
    """Score every model of one seed (each method, subset and partition) on the
    held-out pairs of its partition: one job per seed, vectors loaded once."""
    input:
        unpack(lambda wildcards: family_data()),
        partitions=expand(PARTITIONS, subset=SUBSETS),
        models=lambda wildcards: sorted(
            {path for unit in seed_units(wildcards) for path in unit["models"]}
        ),
        languages=LANGUAGE_TABLE,
    output:
        scores=SEED_SCORES,
    log:
        logs("evaluate_heldout", "seed{seed}"),
    benchmark:
        bench("evaluate_heldout", "seed{seed}")
    priority: LONG_CHAIN
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=32000,
        # a fine-tuned model encodes its held-out test sets; frozen ones take seconds
        runtime=lambda wildcards: 30 + (20 if FINE_TUNED else 1) * len(SEED_SCORES),
        gpu=1,
    params:
        units=seed_units,
        features=lambda wildcards: FACTORIZATION_FEATURES,
        encoder=FACTORIZATION.get("encoder"),
        corpus=lambda wildcards: CORPUS_PATTERN,
        language_model=lambda wildcards: f"{LANGUAGE_MODEL}/model",
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
        similarity_features=FACTORIZATION.get("similarity_features"),
        prediction=FACTORIZATION.get("prediction"),
        entropy=FACTORIZATION.get("entropy"),
    script:
        "../workflow_scripts/evaluate_heldout.py"


rule aggregate_heldout:
    """Tables 1 and 2, per-language scores, the entropy correlation and how each
    generator's SVI ended (steps, best step, converged)."""
    input:
        scores=lambda wildcards: heldout_scores(),
        training=lambda wildcards: generator_summaries(),
    output:
        scores=R("tables/factorization_scores.csv"),
        summary=R("tables/factorization.md"),
        entropy=R("tables/factorization_entropy.csv"),
        training=R("tables/factorization_training.csv"),
    log:
        logs("aggregate_heldout"),
    benchmark:
        bench("aggregate_heldout")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../workflow_scripts/aggregate_heldout.py"


rule plot_heldout_per_language:
    """Figure 2 of the factorization experiment."""
    input:
        scores=R("tables/factorization_scores.csv"),
    output:
        png=report(
            R("figures/factorization_per_language.png"),
            category=REPORT_CATEGORIES["factorization"],
            subcategory="Figures",
            caption="../report/factorization_per_language.rst",
            labels={"figure": "Held-out scores per language"},
        ),
        pdf=R("figures/factorization_per_language.pdf"),
    log:
        logs("plot_heldout_per_language"),
    benchmark:
        bench("plot_heldout_per_language")
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
        "../workflow_scripts/plot_heldout_per_language.py"


rule plot_entropy:
    """Figure 3 of the factorization experiment."""
    input:
        scores=R("tables/factorization_scores.csv"),
    output:
        png=report(
            R("figures/factorization_entropy.png"),
            category=REPORT_CATEGORIES["factorization"],
            subcategory="Figures",
            caption="../report/factorization_entropy.rst",
            labels={"figure": "Predictive entropy against score"},
        ),
        pdf=R("figures/factorization_entropy.pdf"),
    log:
        logs("plot_entropy"),
    benchmark:
        bench("plot_entropy")
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
        "../workflow_scripts/plot_entropy.py"


rule plot_language_pca:
    """Figure 4: language posteriors of one PF model (PF-lr if run, first seed, partition 1)."""
    input:
        posterior=lambda wildcards: pca_posterior(),
        languages=LANGUAGE_TABLE,
    output:
        png=report(
            R("figures/factorization_language_pca.png"),
            category=REPORT_CATEGORIES["factorization"],
            subcategory="Figures",
            caption="../report/factorization_language_pca.rst",
            labels={"figure": "Language posteriors (PCA)"},
        ),
        pdf=R("figures/factorization_language_pca.pdf"),
    log:
        logs("plot_language_pca"),
    benchmark:
        bench("plot_language_pca")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
        samples=100,
        seed=0,
    script:
        "../workflow_scripts/plot_language_pca.py"
