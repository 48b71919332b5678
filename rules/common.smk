# Config validation (before any job runs), wildcard constraints, paths and
# target functions shared by every stage.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow_scripts"))

from snakemake.exceptions import WorkflowError

from xlt.config import (
    ConfigError,
    corpus_languages,
    factorization_languages,
    factorization_methods,
    factorization_units,
    source_languages,
    training_units,
    validate_config,
)
from xlt.encoder import encoder_directory
from xlt.language_codes import convert

try:
    _validated = validate_config(config)
except ConfigError as error:
    raise WorkflowError(str(error)) from None
config.clear()
config.update(_validated)

LANG = r"[a-z]{2,3}(?:-[a-z0-9]+)?"
# Partitions are numbered 1..count: a target for another number is refused
# when the DAG is built, before its inputs are made.
FACTORIZATION = config.get("factorization") or {}
PARTITION_COUNT = FACTORIZATION["partitions"]["count"] if FACTORIZATION else 0
PARTITION = "|".join(str(p) for p in range(1, PARTITION_COUNT + 1)) or r"\d+"


wildcard_constraints:
    method="|".join(config["methods"]),
    task="|".join(config["tasks"]),
    lang=LANG,
    target=LANG,
    source=rf"{LANG}(?:\+{LANG})*",
    seed=r"\d+",
    split="train|dev|test",
    version=r"2\.\d+",
    ner_source="rahimi|hub",
    wikiann_code=r"[a-z]{2,3}(?:-[a-z]+)*",
    subset=r"all|(?:similar|different)\d+",
    partition=PARTITION,


ENCODER_DIR = encoder_directory(config["encoder"]["name"])
SYNTHETIC = "resources/synthetic"
RUN = "results/runs/{method}/{task}/{source}/seed{seed}"
METRICS = "results/runs/{method}/{task}/{source}/seed{seed}/eval/{target}/metrics.json"
CHECKPOINTS = "checkpoints/{method}/{task}/{source}/seed{seed}"
# The factorization experiment (rules/factorization.smk).
FEATURES = "results/features/{task}/{lang}.pt"
PARTITIONS = "results/factorization/{subset}/partitions.json"
LANGUAGE_HEADS = "results/factorization/language_heads/seed{seed}/heads.pt"
FACT_RUN = "results/factorization/{subset}/{method}/partition{partition}/seed{seed}"
# factorization.encoder: frozen (cached vectors, files) or fine_tuned (each
# model is a directory with its own encoder; NS/BEA get one model per pair).
FINE_TUNED = FACTORIZATION.get("encoder") == "fine_tuned"
FACT_MODEL = f"{FACT_RUN}/model" if FINE_TUNED else f"{FACT_RUN}/model.pt"
LANGUAGE_MODEL = "results/factorization/language_models/seed{seed}/{task}/{lang}"
FACT_CHECKPOINTS = (
    "checkpoints/factorization/{subset}/{method}/partition{partition}/seed{seed}"
)


def corpus(task, lang, split):
    return f"results/data/{task}/{lang}/{split}.jsonl"


def source_corpora(wildcards, split):
    return [
        corpus(wildcards.task, lang, split)
        for lang in source_languages(wildcards.source)
    ]


def needed_corpora():
    """Train and dev splits of every source language, test splits of every target
    (the factorization family needs every split of its languages)."""
    sources = source_set()
    paths = [
        corpus(task, lang, split)
        for task in config["tasks"]
        for lang in sorted(sources)
        for split in ("train", "dev")
    ]
    paths += [
        corpus(task, lang, "test")
        for task in config["tasks"]
        for lang in zero_shot_targets() + factorization_languages(config)
    ]
    return list(dict.fromkeys(paths))


def zero_shot_targets():
    return config["languages"]["targets"] if "zero_shot" in config["methods"] else []


def run_metrics():
    """Metrics file of every (training unit, target) in the grid."""
    return [
        METRICS.format(**unit, target=target)
        for unit in training_units(config)
        for target in config["languages"]["targets"]
    ]


def figures():
    names = []
    if "zero_shot" in config["methods"]:
        names += ["per_language", "transfer_vs_distance"]
    if factorization_methods(config):
        names.append("factorization_per_language")
        if {"pf_d", "pf_lr"} & set(config["methods"]):
            names += ["factorization_entropy", "factorization_language_pca"]
    return expand(
        "results/figures/{name}.{ext}",
        name=list(dict.fromkeys(names)),
        ext=["png", "pdf"],
    )


def final_targets():
    """Everything the default target builds: tables and figures of every experiment configured."""
    targets = ["results/tables/corpora.csv"]
    if "zero_shot" in config["methods"]:
        targets += ["results/tables/scores.csv", "results/tables/summary.md"]
    if factorization_methods(config):
        targets += [
            "results/tables/factorization_scores.csv",
            "results/tables/factorization.md",
        ]
    return targets + figures()


def factorization_corpora():
    """Train and test corpora of every (task, language) of the factorization grid."""
    return [
        corpus(task, lang, split)
        for task in config["tasks"]
        for lang in FACTORIZATION["languages"]
        for split in ("train", "test")
    ]


def family_data(with_largest_source=False):
    """What the family reads for every (task, language) of the grid (and of LS's
    source): cached vectors, or the corpora and the encoder to fine-tune."""
    languages = list(FACTORIZATION["languages"])
    if with_largest_source and FACTORIZATION.get("largest_source"):
        languages.append(FACTORIZATION["largest_source"])
    if FINE_TUNED:
        corpora = [
            corpus(task, lang, split)
            for task in config["tasks"]
            for lang in languages
            for split in ("train", "dev", "test")
        ]
        return {"corpora": corpora, "encoder": ENCODER_DIR}
    return {"features": expand(FEATURES, task=config["tasks"], lang=languages)}


def family_model(methods):
    """A trained model of the family (methods: a regex): a file, or with a
    fine-tuned encoder a directory."""
    path = FACT_MODEL.replace("{method}", f"{{method,{methods}}}")
    return directory(path) if FINE_TUNED else path


def heldout_model(wildcards):
    """What a method predicts with: NS and BEA pick among per-language
    classifiers (one file of heads, or one fine-tuned model per pair)."""
    if wildcards.method in ("ns", "bea"):
        if FINE_TUNED:
            return expand(
                f"{LANGUAGE_MODEL}/model",
                seed=wildcards.seed,
                task=config["tasks"],
                lang=FACTORIZATION["languages"],
            )
        return LANGUAGE_HEADS.format(seed=wildcards.seed)
    return FACT_MODEL.format(**wildcards)


def heldout_scores():
    return [
        f"{FACT_RUN}/heldout.json".format(**unit)
        for unit in factorization_units(config)
    ]


def pca_posterior():
    """Figure 4 shows PF-lr's language posteriors if it ran, else PF-d's."""
    method = "pf_lr" if "pf_lr" in config["methods"] else "pf_d"
    return f"{FACT_RUN}/language_posterior.json".format(
        subset="all", method=method, partition=1, seed=config["seeds"][0]
    )


def synthetic_spec(lang):
    """Only what language ``lang`` depends on, so adding a language reruns nothing else."""
    spec = config["synthetic"]
    source = spec["source"]
    keep = {source, lang}
    return {
        **spec,
        "languages": {k: v for k, v in spec["languages"].items() if k in keep},
    }


REAL = config["data"]["source"] == "real"


def source_set():
    """Languages whose train and dev splits are used (zero-shot sources, and every
    language of the factorization grid: any of its pairs may be seen)."""
    langs = set()
    if "zero_shot" in config["methods"]:
        langs = {lang for group in config["languages"]["sources"] for lang in group}
    return langs | set(factorization_languages(config))


def role(lang):
    """What a language's real data is for: a zero-shot source or LS's source
    trains (train); a factorization-grid language is seen in some partitions and
    held out in others (partitioned); any other language is evaluated (test)."""
    if "zero_shot" in config["methods"] and any(
        lang in group for group in config["languages"]["sources"]
    ):
        return "train"
    if factorization_methods(config) and lang in FACTORIZATION["languages"]:
        return "partitioned"
    return "train" if lang in source_set() else "test"


def ud_root():
    """The UD release: a directory the user already has, or the downloaded one."""
    ud = config["data"]["ud"]
    return ud["local_dir"] or f"resources/ud/ud-treebanks-v{ud['version']}"


def local_input(directory):
    """A user's data directory as an input only once it exists, so that a paper
    config builds its DAG (dry run) before the data is in place; a job whose
    directory is still missing then fails naming the config key."""
    return [directory] if Path(directory).exists() else []


def ner_root():
    ner = config["data"]["ner"]
    return ner["local_dir"] or f"resources/wikiann/{ner['source']}"


def ner_input(lang):
    """What a language's NER data depends on: the local directory or its own download."""
    ner = config["data"]["ner"]
    if ner["local_dir"]:
        return local_input(ner["local_dir"])
    return [f"{ner_root()}/{convert(lang, 'wikiann')}"]


def real_input(task, lang):
    """Paths (a list) the real data of (task, lang) depends on."""
    if task == "ner":
        return ner_input(lang)
    local = config["data"]["ud"]["local_dir"]
    return local_input(local) if local else [ud_root()]


def raw_corpus(wildcards):
    if REAL:
        return real_input(wildcards.task, wildcards.lang)
    if wildcards.task == "pos":
        return rules.generate_synthetic_language.output[f"ud_{wildcards.split}"].format(
            lang=wildcards.lang
        )
    return rules.generate_synthetic_language.output[f"ner_{wildcards.split}"].format(
        lang=wildcards.lang
    )


def pretraining_text(wildcards):
    """Raw text of every pretraining language of the embedded encoder."""
    languages = config["encoder"]["embedded"]["pretrain"]["languages"]
    if REAL:
        return expand("resources/pretraining-text/{lang}.txt", lang=languages)
    return expand(f"{SYNTHETIC}/unlabelled/{{lang}}.txt", lang=languages)
