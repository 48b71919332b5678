"""The CUDA path of every task, and the QA model's speed at the papers' size.

    python bench/gpu_tasks.py --encoder results/default/encoder/embedded [--tasks pos dep qa]

Part 1 fine-tunes each task's model (``xlt.task_models.training.train_task_model``,
what train_zero_shot runs) on the embedded default's source language with
config.yaml's settings, once on CUDA (bf16 autocast) and, with ``--cpu``,
once on the CPU with one thread, and scores the source (qaa) and the remote
language (qag) on their test sets. Printed per task and device: training
seconds, optimiser steps per second, and both scores; the GPU/CPU speed ratio
where both ran. The scores of the two devices should agree within the spread
of seeds (bf16 against fp32 arithmetic, other kernels).

Part 2 (``--paper-size``) trains the QA model at seeds/004's size: a randomly
initialised 12-layer, 768-wide BERT with the embedded tokenizer, windows of
384 subwords starting every 128, questions cut at 64, batches of 12, on
synthetic paragraphs joined into contexts of about 350 subwords. Printed: its
optimiser steps per second and windows per second on the device, and what one
epoch of SQuAD v1.1 train (87,599 questions, most of them one window at 384
subwords) would take at that rate.

Needs torch, transformers, tokenizers, safetensors, numpy and PyYAML (no
snakemake, datasets or seqeval); reads config.yaml.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))

from xlt.data import synthetic  # noqa: E402
from xlt.data.corpus import read_task_corpus  # noqa: E402
from xlt.data.preprocess import preprocess  # noqa: E402

SQUAD_TRAIN_QUESTIONS = 87599


def corpora(spec: dict, directory: Path, tasks: list[str]) -> dict:
    """Preprocessed records of every task: qaa train/dev/test and qag test."""
    found: dict = {}
    for code in ("qaa", "qag"):
        out = {key: directory / code / key for key in synthetic.OUTPUT_KEYS}
        synthetic.generate_language(spec, code, out)
        for task in tasks:
            block = {"pos": "ud", "dep": "ud", "ner": "ner"}.get(task, task)
            for split in ("train", "dev", "test") if code == "qaa" else ("test",):
                path = directory / f"{task}-{code}-{split}.jsonl"
                preprocess(task, out[f"{block}_{split}"], path, code)
                found[task, code, split] = read_task_corpus(path)
    return found


def settings_of(config: dict, task: str, device: str) -> dict:
    own = config["task_options"].get(task, {})
    return {**config["training"], **own.get("training", {}), "device": device}


def options_of(config: dict, task: str) -> dict:
    own = config["task_options"].get(task, {})
    return {k: v for k, v in own.items() if k not in ("training", "max_length")}


def run_task(config, data, task, encoder, device, work: Path) -> dict:
    import torch

    from xlt.task_models import registry as models
    from xlt.task_models.storage import load_classifier
    from xlt.task_models.training import train_task_model

    max_length = config["task_options"].get(task, {}).get("max_length")
    max_length = max_length or config["encoder"]["max_length"]
    options = options_of(config, task)
    out = work / f"{task}-{device}"
    started = time.time()
    summary = train_task_model(
        task=task,
        train_records=data[task, "qaa", "train"],
        dev_records=data[task, "qaa", "dev"],
        encoder_dir=encoder,
        settings=settings_of(config, task, device),
        fine_tune=True,
        max_length=max_length,
        seed=1,
        out_dir=out / "model",
        checkpoint_dir=out / "ckpt",
        threads=1,
        options=options,
    )
    seconds = time.time() - started
    model, tokenizer, _, info = load_classifier(out / "model", encoder, torch.device(device))
    task_model = models.for_task(task, tokenizer, max_length, options)
    scores = {}
    for code in ("qaa", "qag"):
        records = data[task, code, "test"]
        predicted = task_model.predict(model, task_model.prepare(records), torch.device(device))
        scores[code] = task_model.score(records, predicted)["score"]
    return {
        "seconds": seconds,
        "steps": summary["total_steps"],
        "steps_per_second": summary["total_steps"] / seconds,
        **scores,
    }


def paper_size_qa(spec: dict, encoder: Path, steps: int) -> dict:
    """Steps per second of the QA model at BERT-base size, 384-subword windows."""
    import torch
    from transformers import BertConfig, BertModel

    from xlt.data.sources.synthetic.qa import qa_records
    from xlt.encoders.loading import load_encoder
    from xlt.task_models import registry as models

    tokenizer, _ = load_encoder(encoder)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
    )
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    records = qa_records(spec, "qaa", "train", 2000)
    # SQuAD-length contexts: a paragraph's text repeated with its other paragraphs
    by_article: dict = {}
    for r in records:
        by_article.setdefault(r["article"], []).append(r)
    long = []
    for group in by_article.values():
        contexts = list(dict.fromkeys(r["context"] for r in group))
        joined = " ".join(contexts * 3)
        for r in group:
            offset = joined.index(r["context"])
            answer = r["answers"][0]
            start = offset + answer["answer_start"]
            long.append({**r, "context": joined, "answers": [{**answer, "answer_start": start}]})
    qa = models.for_task("qa", tokenizer, 384, {"stride": 128, "max_question": 64})
    units = qa.units(long)
    model = qa.build(BertModel(config), 0.1, True).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5, fused=True)
    batch = 12
    lengths = [len(u.input_ids) for u in units]

    def step(k: int) -> float:
        chosen = [units[(k * batch + i) % len(units)] for i in range(batch)]
        loss = qa.loss(model, chosen, device)  # bf16 autocast on CUDA
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for k in range(5):  # warm-up: kernels chosen, memory allocated
        step(k)
    sync()
    started = time.time()
    for k in range(steps):
        step(k)
    sync()
    seconds = time.time() - started
    return {
        "windows": len(units),
        "mean_window": sum(lengths) / len(lengths),
        "steps_per_second": steps / seconds,
        "windows_per_second": steps * batch / seconds,
        "squad_epoch_minutes": SQUAD_TRAIN_QUESTIONS / (steps * batch / seconds) / 60,
        "peak_gib": torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", type=Path, required=True)
    parser.add_argument(
        "--tasks", nargs="+", default=["pos", "ner", "dep", "xnli", "sentiment", "qa"]
    )
    parser.add_argument("--cpu", nargs="*", default=[], help="tasks also trained on the CPU")
    parser.add_argument("--paper-size", type=int, default=0, help="timed steps of part 2")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import torch

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    print(f"torch {torch.__version__}, cuda {torch.cuda.is_available()}", flush=True)
    if torch.cuda.is_available():
        print(f"gpu {torch.cuda.get_device_name(0)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = corpora(config["synthetic"], work / "data", args.tasks)
        print("task\tdevice\tseconds\tsteps/s\tqaa\tqag", flush=True)
        for task in args.tasks:
            results = {}
            devices = (["cuda"] if torch.cuda.is_available() else []) + (
                ["cpu"] if task in args.cpu else []
            )
            for device in devices:
                r = run_task(config, data, task, args.encoder, device, work)
                results[device] = r
                print(
                    f"{task}\t{device}\t{r['seconds']:.1f}\t{r['steps_per_second']:.1f}"
                    f"\t{r['qaa']:.2f}\t{r['qag']:.2f}",
                    flush=True,
                )
            if len(results) == 2:
                ratio = results["cuda"]["steps_per_second"] / results["cpu"]["steps_per_second"]
                print(f"{task}\tgpu/cpu steps per second: {ratio:.2f}", flush=True)
    if args.paper_size:
        r = paper_size_qa(config["synthetic"], args.encoder, args.paper_size)
        print(
            "qa at BERT-base size, windows 384/128, batch 12: "
            f"{r['steps_per_second']:.2f} steps/s, "
            f"{r['windows_per_second']:.0f} windows/s (mean window {r['mean_window']:.0f} "
            f"subwords, {r['windows']} windows), peak {r['peak_gib']:.1f} GiB; one epoch of "
            f"SQuAD v1.1 train (~{SQUAD_TRAIN_QUESTIONS} windows) "
            f"~{r['squad_epoch_minutes']:.1f} min",
            flush=True,
        )


if __name__ == "__main__":
    main()
