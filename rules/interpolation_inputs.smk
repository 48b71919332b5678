# Paths, input functions and targets of rules/interpolation.smk (snakemake
# --lint wants rules and functions in separate files).

IP_PAIR = "{task}/{source}-{target}/seed{seed}"
IP_RUN = R(f"interpolation/{IP_PAIR}")
IP_MODELS = "|".join(interpolation_family.MODELS)


def interpolation_corpora(wildcards, split):
    """The corpora a trained model of the study reads: the target's for the
    target model, the source's and the target's for the bilingual one."""
    langs = [wildcards.target]
    if wildcards.model == "bilingual":
        langs = [wildcards.source, wildcards.target]
    return [corpus(wildcards.task, lang, split) for lang in langs]


def interpolation_models(wildcards):
    """The source (zero-shot), target and bilingual model directories of a pair."""
    run = IP_RUN.format(**wildcards)
    return {
        "source": R(
            f"runs/zero_shot/{wildcards.task}/{wildcards.source}/seed{wildcards.seed}/model"
        ),
        "target": f"{run}/target/model",
        "bilingual": f"{run}/bilingual/model",
    }


def interpolation_grids():
    """Every grid file of the study: one per (task, pair, seed, kind)."""
    return [
        f"{IP_RUN}/{{kind}}.csv".format(kind=kind, **unit)
        for unit in interpolation_family.units(config)
        for kind in interpolation_family.KINDS
    ]


def interpolation_targets():
    return [R("tables/interpolation.md")] + figure_files(
        [
            "interpolation_lines",
            "interpolation_variance",
            "interpolation_plane",
            "interpolation_geometry",
        ]
    )


FAMILY_TARGETS[interpolation_family.FAMILY.name] = interpolation_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "interpolation.md": ("interpolation", "interpolation"),
    }
)
