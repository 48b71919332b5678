# The survey's analyses (seeds/002): the all-pairs transfer matrix, entity
# word-piece overlap and shared word-order features against it, and
# nearest-neighbour translation per layer on parallel sentences. Everything reads
# the encoder as pretrained (no fine-tuning) or the scores other rules wrote.


rule survey_transfer:
    """All-pairs transfer on the frozen encoder: a linear classifier per source
    language on its cached word vectors, scored on every language's test split."""
    input:
        features=survey_features,
    output:
        scores=R(f"runs/survey/{SV_UNIT}/scores.csv"),
    log:
        logs("survey_transfer", SV_UNIT),
    benchmark:
        bench("survey_transfer", SV_UNIT)
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        languages=survey_family.languages(config),
        settings=config["survey"]["head"],
    script:
        "../workflow_scripts/survey_transfer.py"


rule entity_wordpiece_overlap:
    """The encoder's word pieces inside gold entities of every language's train and
    test split, and their Jaccard overlap for every (source, target) pair."""
    input:
        train=survey_overlap_corpora("train"),
        test=survey_overlap_corpora("test"),
        encoder=ENCODER_DIR,
    output:
        overlap=R("tables/survey_entity_overlap.csv"),
    log:
        logs("entity_wordpiece_overlap"),
    benchmark:
        bench("entity_wordpiece_overlap")
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        task=config["survey"]["overlap"]["task"],
        languages=survey_family.languages(config),
    script:
        "../workflow_scripts/entity_wordpiece_overlap.py"


rule aggregate_survey:
    """The all-pairs scores (mean over seeds), each pair's word-piece overlap and
    shared word-order features, and their correlations with the pair's score."""
    input:
        scores=survey_scores(),
        overlap=(
            R("tables/survey_entity_overlap.csv") if "overlap" in SV_ANALYSES else []
        ),
        languages=LANGUAGE_TABLE,
    output:
        all_pairs=R("tables/survey_all_pairs.csv"),
        pairs=R("tables/survey_pairs.csv"),
        correlations=R("tables/survey_correlations.csv"),
    log:
        logs("aggregate_survey"),
    benchmark:
        bench("aggregate_survey")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        experiment=config["experiment"],
        transfer=survey_family.transfer_kind(config),
        languages=survey_family.languages(config),
        tasks=survey_family.scored_tasks(config),
        analyses=SV_ANALYSES,
        overlap=config["survey"]["overlap"],
        word_order=config["survey"]["word_order"],
    script:
        "../workflow_scripts/aggregate_survey.py"


rule encode_sentence_vectors:
    """Mean-pooled sentence vectors of every hidden layer of the encoder (as
    pretrained) for each language of a parallel text (a file per language); its
    files are checked for alignment first."""
    input:
        texts=lambda wildcards: survey_text_inputs(wildcards.text),
        encoder=ENCODER_DIR,
    output:
        vectors=directory(SV_VECTORS),
    log:
        logs("encode_sentence_vectors", "{text}"),
    benchmark:
        bench("encode_sentence_vectors", "{text}")
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=8000,
        runtime=60,
        gpu=1,
    params:
        kind=SV_TRANSLATION["corpus"],
        languages=lambda wildcards: survey_family.text_languages(config, wildcards.text),
        files=lambda wildcards: survey_text_files(wildcards.text),
        pud_root=lambda wildcards: (
            pud_root() if SV_TRANSLATION["corpus"] == "pud" else None
        ),
        max_sentences=SV_TRANSLATION["max_sentences"],
        batch_size=SV_TRANSLATION["batch_size"],
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/encode_sentence_vectors.py"


rule nn_translation:
    """Nearest-neighbour translation accuracy per layer for every configured pair."""
    input:
        vectors=survey_vectors(),
    output:
        accuracy=R("tables/survey_translation.csv"),
    log:
        logs("nn_translation"),
    benchmark:
        bench("nn_translation")
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        pairs=survey_family.translation_pairs(config),
        texts={
            t: survey_family.text_languages(config, t)
            for t in survey_family.text_ids(config)
        },
        fit_fraction=SV_TRANSLATION["fit_fraction"],
    script:
        "../workflow_scripts/nn_translation.py"


# Figures read only the survey's tables.


rule plot_survey_all_pairs:
    """The source x target score matrix per task."""
    input:
        scores=R("tables/survey_all_pairs.csv"),
    output:
        png=report(
            R("figures/survey_all_pairs.png"),
            category=REPORT_CATEGORIES["survey"],
            subcategory="Figures",
            caption="../report/survey_all_pairs.rst",
            labels={"figure": "Transfer between all pairs of languages"},
        ),
        pdf=R("figures/survey_all_pairs.pdf"),
    log:
        logs("plot_survey_all_pairs"),
    benchmark:
        bench("plot_survey_all_pairs")
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
        "../workflow_scripts/plot_survey_all_pairs.py"


rule plot_survey_measure:
    """A pair measure (entity word-piece overlap, shared word-order features)
    against the pair's zero-shot score (the survey's Figures 2 and 3)."""
    input:
        pairs=R("tables/survey_pairs.csv"),
        correlations=R("tables/survey_correlations.csv"),
    output:
        png=report(
            R("figures/survey_{measure}.png"),
            category=REPORT_CATEGORIES["survey"],
            subcategory="Figures",
            caption="../report/survey_measure.rst",
            labels={"figure": "Transfer against {measure}"},
        ),
        pdf=R("figures/survey_{measure}.pdf"),
    log:
        logs("plot_survey_measure", "{measure}"),
    benchmark:
        bench("plot_survey_measure", "{measure}")
    wildcard_constraints:
        measure="overlap|word_order",
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
        "../workflow_scripts/plot_survey_measure.py"


rule plot_survey_translation:
    """Nearest-neighbour translation accuracy per layer (the survey's Figure 4)."""
    input:
        accuracy=R("tables/survey_translation.csv"),
    output:
        png=report(
            R("figures/survey_translation.png"),
            category=REPORT_CATEGORIES["survey"],
            subcategory="Figures",
            caption="../report/survey_translation.rst",
            labels={"figure": "Nearest-neighbour translation per layer"},
        ),
        pdf=R("figures/survey_translation.pdf"),
    log:
        logs("plot_survey_translation"),
    benchmark:
        bench("plot_survey_translation")
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
        "../workflow_scripts/plot_survey_translation.py"
