# Config validation (before any job runs), wildcard constraints, paths and
# target functions shared by every stage.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow_scripts"))

from snakemake.exceptions import WorkflowError

from xlt.config import (
    ConfigError,
    corpus_languages,
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


ENCODER_DIR = encoder_directory(config["encoder"]["name"])
SYNTHETIC = "resources/synthetic"
RUN = "results/runs/{method}/{task}/{source}/seed{seed}"
METRICS = "results/runs/{method}/{task}/{source}/seed{seed}/eval/{target}/metrics.json"
CHECKPOINTS = "checkpoints/{method}/{task}/{source}/seed{seed}"


def corpus(task, lang, split):
    return f"results/data/{task}/{lang}/{split}.jsonl"


def source_corpora(wildcards, split):
    return [
        corpus(wildcards.task, lang, split)
        for lang in source_languages(wildcards.source)
    ]


def needed_corpora():
    """Train and dev splits of every source language, test splits of every target."""
    sources = {lang for group in config["languages"]["sources"] for lang in group}
    paths = [
        corpus(task, lang, split)
        for task in config["tasks"]
        for lang in sorted(sources)
        for split in ("train", "dev")
    ]
    paths += [
        corpus(task, lang, "test")
        for task in config["tasks"]
        for lang in config["languages"]["targets"]
    ]
    return paths


def run_metrics():
    """Metrics file of every (training unit, target) in the grid."""
    return [
        METRICS.format(**unit, target=target)
        for unit in training_units(config)
        for target in config["languages"]["targets"]
    ]


def figures():
    return expand(
        "results/figures/{name}.{ext}",
        name=["per_language", "transfer_vs_distance"],
        ext=["png", "pdf"],
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
    return {lang for group in config["languages"]["sources"] for lang in group}


def role(lang):
    """A source language's data trains (train role); any other is only evaluated."""
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
