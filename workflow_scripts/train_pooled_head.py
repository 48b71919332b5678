"""LS (the largest source's classifier) or JM (one classifier over all seen
languages), per task, for one partition; selected on the training languages' dev.
A linear head on the frozen encoder's vectors, or a fine-tuned token classifier
(JM with its lower encoder layers frozen, as in Wu and Dredze 2019)."""

import os
import shutil
from functools import partial
from pathlib import Path

import torch

from xlt.classifiers import train_linear_head
from xlt.corpus import read_task_corpus
from xlt.features import concatenate, load_features
from xlt.fileio import atomic_path, read_json, write_json
from xlt.heldout import cut_to_sentences, read_partition, sample_sentences
from xlt.scripting import run
from xlt.training import file_digest, reuse_or_train, train_token_classifier


def training_languages(method, task, seen, largest_source):
    if method == "jm":
        return sorted(lang for t, lang in seen if t == task)
    return [largest_source]


def frozen(job, seen, seed):
    """Linear heads on cached vectors: {task: state dict} in one file."""
    p = job.params
    heads, summary = {}, {}
    for task in p.tasks:
        seen_langs = sorted(lang for t, lang in seen if t == task)
        seen_splits = [
            load_features(p.features.format(task=task, lang=lang))[0] for lang in seen_langs
        ]
        languages = training_languages(job.wildcards.method, task, seen, p.largest_source)
        if job.wildcards.method == "jm":
            train = concatenate([s["train"] for s in seen_splits])
            dev = [s["dev"] for s in seen_splits]
        else:
            source = load_features(p.features.format(task=task, lang=p.largest_source))[0]
            train, dev = source["train"], [source["dev"]]
            if task in p.cut_tasks:
                # As in the paper: LS sees no more sentences than all seen pairs together.
                train = cut_to_sentences(
                    train, sum(s["train"].sentences for s in seen_splits), seed
                )
        head, summary[task] = train_linear_head(task, train, dev, p.settings, seed)
        summary[task].update(languages=languages, train_sentences=train.sentences)
        heads[task] = head.state_dict()
    with atomic_path(job.output.model) as tmp:
        torch.save(heads, tmp)
    return summary


def fine_tuned(job, seen, seed):
    """Fine-tuned token classifiers: one directory per task under the model directory."""
    w, p = job.wildcards, job.params
    # Each task's finished model waits here until all are done, so a job killed
    # during a later task resumes that task and keeps the earlier ones.
    finished = Path(p.checkpoints) / "finished"
    summary = {}
    for task in p.tasks:
        languages = training_languages(w.method, task, seen, p.largest_source)
        paths = {
            split: [p.corpus.format(task=task, lang=lang, split=split) for lang in languages]
            for split in ("train", "dev")
        }
        train = [r for path in paths["train"] for r in read_task_corpus(path)]
        dev = [r for path in paths["dev"] for r in read_task_corpus(path)]
        if w.method == "ls" and task in p.cut_tasks:
            seen_sentences = sum(
                len(read_task_corpus(p.corpus.format(task=task, lang=lang, split="train")))
                for t, lang in seen
                if t == task
            )
            train = [train[i] for i in sample_sentences(len(train), seen_sentences, seed)]
        settings = dict(p.training)
        if w.method == "jm":
            settings["frozen_layers"] = p.jm_frozen_layers
        identity = {
            "settings": settings,
            "languages": languages,
            "train_sentences": len(train),
            "data": [file_digest(path) for path in paths["train"] + paths["dev"]],
            "encoder": file_digest(Path(job.input.encoder) / "config.json"),
        }

        train_task = partial(
            train_token_classifier,
            task=task,
            train_records=train,
            dev_records=dev,
            encoder_dir=job.input.encoder,
            settings=settings,
            fine_tune=True,
            max_length=p.max_length,
            seed=seed,
            checkpoint_dir=Path(p.checkpoints) / task,
            threads=job.threads,
            identity=identity,
        )
        run_identity = {"identity": identity, "seed": seed, "task": task}
        summary[task] = reuse_or_train(finished / task, run_identity, train_task)
        summary[task].update(languages=languages)
    with atomic_path(job.output.model, directory=True) as model_dir:
        for task in p.tasks:
            os.replace(finished / task, Path(model_dir) / task)
    shutil.rmtree(finished)
    return summary


def main(job):
    w = job.wildcards
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    seen, _ = read_partition(read_json(job.input.partitions), int(w.partition))
    train = fine_tuned if job.params.encoder == "fine_tuned" else frozen
    summary = train(job, seen, seed)
    write_json(
        job.output.summary,
        {"method": w.method, "seed": seed, "encoder": job.params.encoder, "tasks": summary},
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
