# Config validation (before any job runs), wildcard constraints, the paths and
# helpers every stage shares. Each family's rule files add its targets to
# FAMILY_TARGETS; rule all (Snakefile) builds those of every configured family.
import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow_scripts"))

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger

from xlt import tasks as task_registry
from xlt.config import ConfigError, validate_config
from xlt.config.corpus_languages import corpus_languages
from xlt.config.settings import shadowed as shadowed_settings
from xlt.config.settings import user_keys
from xlt.data import real_data
from xlt.data.sources import registry as data_registry
from xlt.encoders.locations import PACKAGED_SLUG, encoder_directory
from xlt.families.registry import FAMILIES, active_families, needed_corpora, role
from xlt.families.factorization import family as factorization_family
from xlt.families.factorization import methods as factorization_methods
from xlt.families.few_shot import family as few_shot_family
from xlt.families.interpolation import family as interpolation_family
from xlt.families.man_moe import family as man_moe_family
from xlt.families.survey import family as survey_family
from xlt.families.zero_shot import family as zero_shot_family
from xlt.languages.codes import convert
from xlt.languages.uriel import size_model

try:
    _validated = validate_config(config)
except ConfigError as error:
    raise WorkflowError(str(error)) from None
config.clear()
config.update(_validated)
# A setting the user's config files set that a more specific key overrides:
# said before any job runs (each training job's log names every setting's key).
for _warning in shadowed_settings(
    config, user_keys(workflow.overwrite_configfiles or [])
):
    logger.warning(f"Warning: {_warning}")


# Threads: Snakemake starts every job with OMP_NUM_THREADS (and MKL, OpenBLAS,
# ...) set to the rule's threads; idle OpenMP threads then sleep instead of
# spinning, so two jobs on one machine do not slow each other down. Jobs
# inherit this process's environment, locally and inside a cluster job.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# Threads of a job that fine-tunes or runs an encoder. The embedded encoder's
# matrices are too small for a second thread to pay: one thread per job trains
# faster than two (bench/trainer_ratio.py --threads 1 vs 2), and two such jobs
# then run side by side on 2 cores. A hub encoder's job gets 2 (cluster
# profiles set their own, e.g. 8). Pretraining keeps 2: it runs alone.
ENCODER_THREADS = 1 if config["encoder"]["name"] == "embedded" else 2

# Job order on a machine of few cores (Snakemake starts the ready job of highest
# priority first): corpus checks first (rules/data.smk), then the zero-shot
# models up to their table and figure, so that a first result appears early,
# then the longest jobs and what they wait for, so that none is left running
# alone at the end while the other cores idle: the frozen-encoder vectors and
# the factorization job (about 110 s on one core) before MAN-MoE's job (about
# 110-130 s), then the chains that tables wait for (the interpolation study's two
# trainings and a grid job per task, the few-shot jobs, the factorization
# baselines' heads and their held-out scores), and every other job after them:
# the last minute is then short jobs (vectors, tables, figures) that pack onto
# the cores.
FIRST_RESULTS = 20
LONGEST_JOB = 15
LONG_JOB = 10
LONG_CHAIN = 5

# The report's categories: one per method family, named with its paper (a
# family's tables and figures are its subcategories), then the findings
# scorecard, the data and the runtimes.
REPORT_CATEGORIES = {
    "zero_shot": "Zero-shot transfer (Lauscher et al. 2020)",
    "few_shot": "Few-shot transfer (Lauscher et al. 2020)",
    "factorization": "Parameter space factorization (Ponti et al. 2021)",
    "interpolation": "Interpolation study (Wu et al. 2022)",
    "man_moe": "Multi-source MAN-MoE (Chen et al. 2019)",
    "survey": "Survey analyses (Wang)",
    "findings": "Findings scorecard",
    "data": "Data",
    "runtimes": "Runtimes",
}

LANG = r"[a-z]{2,3}(?:-[a-z0-9]+)?"


wildcard_constraints:
    method="|".join(config["methods"]),
    task="|".join(config["tasks"]),
    lang=LANG,
    target=LANG,
    seed=r"\d+",
    split="train|dev|test",
    # a hub id's directory, never a packaged encoder's (rule build_packaged_encoder)
    slug=rf"(?!{PACKAGED_SLUG})[^/]+",
    key=r"[A-Za-z0-9][\w.-]*",
    family="|".join(FAMILIES),


# Everything an experiment writes lives under its name, so that experiments
# with other settings run side by side instead of overwriting each other.
EXPERIMENT = config["experiment"]
RESULTS = f"results/{EXPERIMENT}"
CHECKPOINTS = f"checkpoints/{EXPERIMENT}"
SYNTHETIC = f"resources/synthetic/{EXPERIMENT}"
ENCODER_DIR = encoder_directory(config["encoder"]["name"], RESULTS)
# Final tables and figures per family, filled by each family's rule file.
FAMILY_TARGETS = {}
# The tables the report shows as pages (rules/report.smk): table file -> (report
# category key, caption report/<caption>.rst); each family's inputs file adds its
# own, rules/report_inputs.smk the shared ones.
REPORT_TABLES = {}


def R(path):
    """``path`` inside this experiment's results directory."""
    return f"{RESULTS}/{path}"


LANGUAGE_TABLE = R("languages/languages.tsv")
# Written once every corpus of the grid is preprocessed, i.e. checked. Every
# rule that pretrains, downloads or runs an encoder or trains a model takes it
# as an input, so a malformed corpus stops the run before any of them starts,
# also with --keep-going (the cluster profile's). ancient(): only its existence
# counts, so a new corpus (say a new target) reruns none of them.
CORPORA_CHECKED = R("tables/corpora.csv")


def corpus(task, lang, split):
    return f"{RESULTS}/data/{task}/{lang}/{split}.jsonl"


def corpus_source(task, lang, split):
    """Where a corpus came from: files, treebanks chosen, stand-ins (JSON)."""
    return f"{RESULTS}/data/{task}/{lang}/{split}.source.json"


# A corpus path pattern for scripts that read several (task, language, split).
CORPUS_PATTERN = corpus("{task}", "{lang}", "{split}")


def task_options(task):
    """A task's settings (config task_options) but its training overrides and
    input length, {} for a task without any."""
    options = config["task_options"].get(task, {})
    return {
        key: value
        for key, value in options.items()
        if key not in ("training", "max_length")
    }


def task_max_length(task):
    """Subwords per encoder input for ``task``: task_options.<task>.max_length,
    else encoder.max_length."""
    own = config["task_options"].get(task, {}).get("max_length")
    return own or config["encoder"]["max_length"]


def training_settings(task):
    """The training block with the task's own overrides (task_options.<task>.training)."""
    overrides = config["task_options"].get(task, {}).get("training", {})
    return {**config["training"], **overrides}


def longest_training_first(base):
    """A rule's priority: ``base``, plus a fraction that grows with the task's training
    epochs, so that of a rule's ready jobs the longest trainings (XNLI's 10 epochs,
    QA's 5 in the default) start first and the short ones fill the cores at the end."""

    def priority(wildcards):
        epochs = training_settings(wildcards.task).get("epochs") or 0
        return base + min(epochs, 99) / 100

    return priority


def logs(rule, wildcards=""):
    """The one log path convention: logs/<experiment>/<rule>/<wildcards>.log."""
    name = f"{rule}/{wildcards}" if wildcards else rule
    return f"logs/{EXPERIMENT}/{name}.log"


def bench(rule, wildcards=""):
    """Wall time, memory and I/O of every job: benchmarks/<experiment>/<rule>/<wildcards>.tsv."""
    name = f"{rule}/{wildcards}" if wildcards else rule
    return f"benchmarks/{EXPERIMENT}/{name}.tsv"


def where_to_look():
    """The line a run starts with: where its first and its other results appear."""
    first = ""
    if zero_shot_family.FAMILY.is_active(config):
        first = (
            f"The zero-shot table comes first ({R('tables/summary.md')}, figure "
            f"{R('figures/per_language.png')}); "
        )
    return (
        f"{first}every family writes its tables to {R('tables/')} and its figures to "
        f"{R('figures/')} as soon as its jobs are done; {R('tables/findings.md')} "
        "checks the papers' findings at the end (snakemake --report builds the HTML report)."
    )


def final_targets():
    """Everything the default target builds: the corpus summary and the tables and
    figures of every configured family."""
    targets = [R("tables/corpora.csv")] if needed_corpora(config) else []
    for family in active_families(config):
        targets += FAMILY_TARGETS[family.name]()
    return targets


def figure_files(names):
    return expand(R("figures/{name}.{ext}"), name=names, ext=["png", "pdf"])
