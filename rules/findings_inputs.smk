# Inputs of the findings stage (rules/findings.smk).


def findings_language_table():
    """The language table, for the claims that compare languages' distances
    (MAN-MoE's gate, the few-shot gains); none when no such family runs."""
    needs = {man_moe_family.FAMILY.name, few_shot_family.FAMILY.name}
    return [LANGUAGE_TABLE] if needs & {f.name for f in active_families(config)} else []


def findings_tables():
    """Every family's final tables (not its figures: a figure's style reruns no
    statistic)."""
    return [path for path in final_targets() if "/figures/" not in path]


def findings_config():
    """The config keys the claims read: which families ran (methods), the
    feature sets that define distance between languages, and which paper model
    each experiment of a transfer analysis stands for (zero_shot.sizes, and this
    run's own experiment by its encoder)."""
    return {
        "methods": list(config["methods"]),
        "languages": {
            "distance_features": list(config["languages"]["distance_features"])
        },
        "zero_shot": {
            "sizes": (
                analysis_sizes() if zero_shot_family.FAMILY.is_active(config) else {}
            )
        },
    }
