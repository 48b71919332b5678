# Figures read only the aggregated tables: changing plotting code or style
# reruns these rules and nothing upstream.


rule plot_per_language:
    input:
        scores="results/tables/scores.csv",
    output:
        png=report(
            "results/figures/per_language.png",
            category="Figures",
            caption="../report/per_language.rst",
        ),
        pdf="results/figures/per_language.pdf",
    log:
        "logs/figures/per_language.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_per_language.py"


rule plot_transfer_vs_distance:
    input:
        scores="results/tables/scores.csv",
    output:
        png=report(
            "results/figures/transfer_vs_distance.png",
            category="Figures",
            caption="../report/transfer_vs_distance.rst",
        ),
        pdf="results/figures/transfer_vs_distance.pdf",
    log:
        "logs/figures/transfer_vs_distance.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_transfer_vs_distance.py"


rule plot_heldout_per_language:
    """Figure 2 of the factorization experiment."""
    input:
        scores="results/tables/factorization_scores.csv",
    output:
        png=report(
            "results/figures/factorization_per_language.png",
            category="Factorization",
            caption="../report/factorization_per_language.rst",
        ),
        pdf="results/figures/factorization_per_language.pdf",
    log:
        "logs/figures/factorization_per_language.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_heldout_per_language.py"


rule plot_entropy:
    """Figure 3 of the factorization experiment."""
    input:
        scores="results/tables/factorization_scores.csv",
    output:
        png=report(
            "results/figures/factorization_entropy.png",
            category="Factorization",
            caption="../report/factorization_entropy.rst",
        ),
        pdf="results/figures/factorization_entropy.pdf",
    log:
        "logs/figures/factorization_entropy.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_entropy.py"


rule plot_language_pca:
    """Figure 4: language posteriors of one PF model (PF-lr if run, first seed, partition 1)."""
    input:
        posterior=lambda wildcards: pca_posterior(),
        languages="results/languages/languages.tsv",
    output:
        png=report(
            "results/figures/factorization_language_pca.png",
            category="Factorization",
            caption="../report/factorization_language_pca.rst",
        ),
        pdf="results/figures/factorization_language_pca.pdf",
    log:
        "logs/figures/factorization_language_pca.log",
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        style=config["figures"],
        samples=100,
        seed=0,
    script:
        "../workflow_scripts/plot_language_pca.py"
