"""Disk as a cost: what one trained model stores, and what a paper grid stores.

    .venv/bin/python bench/disk.py [--project DIR] [--configfile CONFIG]

1. Measured on a finished run (``--project``, e.g. a copy kept by
   ``bench/default_run.py --keep DIR``; without it the config is first run cold
   in a temporary copy): bytes per stored model of each kind (a fine-tuned
   classifier stores its encoder once, as safetensors; a frozen-encoder head,
   a factorization model), the shared frozen-encoder vectors, and what
   training left under checkpoints/ (nothing, unless ``keep_checkpoints``).
2. Projected for the paper grids (dry runs, no data needed): the number of
   fine-tuned models each grid trains times the size of one encoder copy,
   4 bytes per parameter of the grid's encoder, counted from its architecture
   without downloading it (tokenizer files and heads come on top, a few MB).
   While a model trains, its checkpoints hold up to four more copies (the
   best weights; the last weights and AdamW's two moments); they are deleted
   when the model is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from workflow_helpers import copy_project, planned_jobs, snakemake  # noqa: E402

# Rules whose every job writes one model that, fine-tuned, holds a whole encoder.
FINE_TUNED_MODEL_RULES = (
    "train_zero_shot",
    "train_factorization",
    "train_pooled_head",
    "train_language_model",
)
# The paper configs: each fine-tunes a hub encoder in every model it trains.
PAPER_GRIDS = (
    "configs/ponti2021-factorization.yaml",
    "configs/lauscher2020-mbert.yaml",
    "configs/lauscher2020-xlmr.yaml",
)
# Architectures of the hub encoders the paper configs name (their config.json).
ARCHITECTURES = {
    "bert-base-multilingual-cased": (
        "BertModel",
        "BertConfig",
        {"vocab_size": 119547, "max_position_embeddings": 512, "type_vocab_size": 2},
    ),
    "xlm-roberta-base": (
        "XLMRobertaModel",
        "XLMRobertaConfig",
        {"vocab_size": 250002, "max_position_embeddings": 514, "type_vocab_size": 1},
    ),
}


def size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mib(n: float) -> str:
    """Bytes in MiB (in KiB below one MiB)."""
    if n < 2**20:
        return f"{n / 2**10:,.1f} KiB"
    return f"{n / 2**20:,.1f} MiB"


def measured(project: Path) -> list[tuple[str, list[Path]]]:
    """Kinds of stored models in a finished run and their paths."""
    results = project / "results"
    kinds = {
        "fine-tuned zero-shot classifier (encoder + head)": "*/runs/*/*/*/seed*/model",
        "factorization model (PF-d/PF-lr)": "*/factorization/*/pf_*/partition*/seed*/model*",
        "frozen-encoder head (LS/JM)": "*/factorization/*/[lj][sm]/partition*/seed*/model*",
        "per-language heads of a seed (NS/BEA)": "*/factorization/language_heads/seed*",
    }
    return [(kind, sorted(results.glob(pattern))) for kind, pattern in kinds.items()]


def encoder_bytes(name: str) -> tuple[int, int]:
    """Parameters and fp32 bytes of a hub encoder, built on the meta device."""
    import torch
    import transformers

    model_class, config_class, shape = ARCHITECTURES[name]
    config = getattr(transformers, config_class)(**shape)
    with torch.device("meta"):
        model = getattr(transformers, model_class)(config)
    parameters = sum(p.numel() for p in model.parameters())
    return parameters, 4 * parameters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=None, help="a finished run")
    parser.add_argument("--configfile", default=None, help="config of that run")
    parser.add_argument("--cores", default="2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project
        if project is None:
            project = copy_project(Path(tmp) / "project")
            print(f"running {args.configfile or 'config.yaml'} cold first ...", flush=True)
            config = ["--configfile", args.configfile] if args.configfile else []
            snakemake(project, "--cores", args.cores, *config)

        print(f"## Stored per model: {project}")
        print("| model | count | per model | total |")
        print("|---|---|---|---|")
        for kind, paths in measured(project):
            if paths:
                total = sum(size(p) for p in paths)
                print(f"| {kind} | {len(paths)} | {mib(total / len(paths))} | {mib(total)} |")
        features = list((project / "results").glob("*/features"))
        shared = mib(sum(map(size, features)))
        print(f"frozen-encoder vectors (shared by every method and seed): {shared}")
        checkpoints = project / "checkpoints"
        left = size(checkpoints) if checkpoints.exists() else 0
        print(f"left under checkpoints/ after the run: {mib(left)}")

        print("\n## Projected for the paper grids (fp32 safetensors, one encoder copy per model)")
        print("| config | encoder | fine-tuned models | per model | grid |")
        print("|---|---|---|---|---|")
        grid = copy_project(Path(tmp) / "grid")
        for configfile in PAPER_GRIDS:
            settings = yaml.safe_load((ROOT / configfile).read_text())
            name = settings.get("encoder", {}).get("name", "embedded")
            jobs = planned_jobs(snakemake(grid, "-n", "--configfile", configfile))
            models = sum(jobs.get(rule, 0) for rule in FINE_TUNED_MODEL_RULES)
            if name not in ARCHITECTURES:
                print(f"| {configfile} | {name} | {models} | (unknown architecture) | |")
                continue
            parameters, per_model = encoder_bytes(name)
            print(
                f"| {configfile} | {name} ({parameters / 1e6:.0f} M parameters) | {models} "
                f"| {mib(per_model)} | {per_model * models / 2**30:,.1f} GiB |"
            )


if __name__ == "__main__":
    main()
