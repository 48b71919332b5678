"""What every rule of the workflow declares, read from rules/*.smk: a log under
the one log convention, a benchmark file, threads, memory and runtime, a GPU
where it trains or encodes, and a script named after the rule."""

import re
import subprocess
import sys

import pytest

from workflow_helpers import ROOT, rule_blocks

RULES = rule_blocks()
# Rules that train or run an encoder (a GPU on a cluster). train_language_heads
# fits linear heads on cached vectors: CPU only.
GPU_RULES = {
    "pretrain_embedded_encoder",
    "encode_features",
    "encode_man_moe_text",
    "encode_sentence_vectors",
    "train_zero_shot",
    "evaluate_zero_shot",
    "train_few_shot",
    "train_interpolation_model",
    "interpolate",
    "train_man_moe",
    "train_language_model",
    "train_pooled_head",
    "train_factorization",
    "evaluate_heldout",
}


def directive(block: str, name: str) -> str:
    """The text of one directive of a rule block (up to the next directive)."""
    match = re.search(rf"^    {name}:(.*?)(?=^    \w+:|\Z)", block, flags=re.M | re.S)
    return match.group(1) if match else ""


def test_the_rule_files_are_read():
    assert {"train_zero_shot", "train_factorization", "preprocess_corpus"} <= set(RULES)
    assert GPU_RULES <= set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_declares_log_benchmark_threads_and_resources(name):
    smk, block = RULES[name]
    assert re.search(rf'logs\("{name}"', directive(block, "log")), f"{smk.name}: {name} log"
    assert re.search(rf'bench\("{name}"', directive(block, "benchmark")), f"{name} benchmark"
    assert re.search(r"^    threads: (\d+|ENCODER_THREADS)$", block, flags=re.M), f"{name} threads"
    resources = directive(block, "resources")
    assert "mem_mb=" in resources and "runtime=" in resources, f"{name} resources"
    assert ("gpu=1" in resources) == (name in GPU_RULES), f"{name}: gpu request"


@pytest.mark.parametrize("name", sorted(RULES))
def test_script_is_named_after_its_rule(name):
    smk, block = RULES[name]
    script = re.search(r'"([^"]+\.py)"', directive(block, "script")).group(1)
    assert script == f"../workflow_scripts/{name}.py"
    assert (smk.parent / script).resolve().is_file()


def test_every_script_belongs_to_a_rule():
    scripts = {path.stem for path in (ROOT / "workflow_scripts").glob("*.py")}
    assert scripts == set(RULES)


# What each rule script loads before its job starts (module imports only;
# loading an encoder at run time imports transformers where it is needed):
# only the fine-tuning scripts may load transformers with their modules.
# Start-up is most of a short job's time: torch takes seconds to import,
# transformers seconds more.
FINE_TUNING = {"train_zero_shot", "train_language_model"}
WITHOUT_TORCH = {
    name
    for name in RULES
    if name.startswith(("plot_", "aggregate_", "download_"))
    or name
    in {
        "corpus_summary",
        "factorization_partitions",
        "findings",
        "generate_synthetic_language",
        "language_table",
        "preprocess_corpus",
        "preprocess_synthetic",
        "real_pretraining_text",
        "pretrain_embedded_encoder",
    }
}


def imported_by(*scripts: str) -> set[str]:
    """The top-level modules loaded by importing ``scripts``, one after the other,
    in a fresh interpreter."""
    code = "import importlib, sys\n"
    code += "".join(f"importlib.import_module({script!r})\n" for script in scripts)
    code += "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "workflow_scripts",
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


# Each group's scripts are imported together, in one interpreter: a module absent
# after all of them is absent after each one (imports run the same code whatever
# came before). Only when a module is there does each script of the group get an
# interpreter of its own, to name the ones that load it.
@pytest.mark.parametrize(
    ("module", "scripts"),
    [
        ("transformers", sorted(set(RULES) - FINE_TUNING)),
        ("torch", sorted(WITHOUT_TORCH)),
    ],
    ids=["transformers only when fine-tuning", "torch only where a job needs it"],
)
def test_scripts_import_only_what_their_job_needs(module, scripts):
    if module in imported_by(*scripts):
        culprits = [script for script in scripts if module in imported_by(script)]
        pytest.fail(f"importing {', '.join(culprits)} loads {module}")


def test_the_import_check_names_a_script_that_loads_the_module():
    # the check above, on a script that does not load torch and one that does
    assert "torch" not in imported_by("aggregate_zero_shot")
    assert "torch" in imported_by("aggregate_zero_shot", "train_zero_shot")
