# Paths, wildcard constraints, input functions and targets of rules/encoder.smk
# (snakemake --lint wants rules and functions in separate files).

# Frozen-encoder word vectors: one job per (family, task) encodes the family's
# languages into a directory of one file per language. The family's jobs read
# all its languages together, so a batch costs them no extra reruns, and one
# process loads torch, transformers and the encoder once instead of once per
# language (seconds of start-up against a second of encoding each).
FEATURE_DIR = R("features/{family}/{task}")
FEATURES = f"{FEATURE_DIR}/{{lang}}.pt"
# family name -> function(task) -> the languages whose vectors it reads; each
# family's inputs file adds its entry
WORD_VECTOR_LANGUAGES = {}


def feature_dir(family, task):
    """The directory of ``family``'s word vectors of ``task``."""
    return FEATURE_DIR.format(family=family, task=task)


def feature_languages(wildcards):
    """The languages an encode_features job encodes, in the family's order."""
    return WORD_VECTOR_LANGUAGES[wildcards.family](wildcards.task)


def feature_corpora(wildcards):
    """The train, dev and test corpora of every language of feature_languages."""
    return {
        split: [
            corpus(wildcards.task, lang, split) for lang in feature_languages(wildcards)
        ]
        for split in ("train", "dev", "test")
    }


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
