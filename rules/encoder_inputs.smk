# Paths, wildcard constraints, input functions and targets of rules/encoder.smk
# (snakemake --lint wants rules and functions in separate files).

FEATURES = R("features/{task}/{lang}.pt")


def pretraining_text(wildcards):
    """Raw text of every pretraining language of the embedded encoder."""
    languages = config["encoder"]["embedded"]["pretrain"]["languages"]
    if REAL:
        return expand(
            f"resources/pretraining-text/{EXPERIMENT}/{{lang}}.txt", lang=languages
        )
    return expand(f"{SYNTHETIC}/unlabelled/{{lang}}.txt", lang=languages)
