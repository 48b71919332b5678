# Paths, wildcard constraints, input functions and targets of rules/encoder.smk
# (snakemake --lint wants rules and functions in separate files).

FEATURES = R("features/{task}/{lang}.pt")


def raw_text(lang):
    """A language's raw text, a sentence per line: the synthetic benchmark's
    unlabelled portion, or on real data its corpora's train and dev sentences."""
    if REAL:
        return f"resources/pretraining-text/{EXPERIMENT}/{lang}.txt"
    return f"{SYNTHETIC}/unlabelled/{lang}.txt"


def pretraining_text(wildcards):
    """Raw text of every pretraining language of the embedded encoder."""
    return [
        raw_text(lang)
        for lang in config["encoder"]["embedded"]["pretrain"]["languages"]
    ]
