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
