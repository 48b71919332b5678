"""LS (the largest source's classifier) or JM (one classifier over all seen
languages), per task, for one partition; selected on the training languages' dev."""

import torch

from xlt.classifiers import train_linear_head
from xlt.features import concatenate, load_features
from xlt.fileio import atomic_path, read_json, write_json
from xlt.heldout import cut_to_sentences, read_partition
from xlt.scripting import run


def main(job):
    w, p = job.wildcards, job.params
    torch.set_num_threads(job.threads)
    seed = int(w.seed)
    seen, _ = read_partition(read_json(job.input.partitions), int(w.partition))
    features = {}
    for task in p.tasks:
        for lang in [*{lang for _, lang in seen}, p.largest_source]:
            if lang:
                features[task, lang] = p.features.format(task=task, lang=lang)
    heads, summary = {}, {}
    for task in p.tasks:
        seen_langs = sorted(lang for t, lang in seen if t == task)
        seen_splits = [load_features(features[task, lang])[0] for lang in seen_langs]
        if w.method == "jm":
            train = concatenate([s["train"] for s in seen_splits])
            dev = [s["dev"] for s in seen_splits]
            languages = seen_langs
        else:
            source = load_features(features[task, p.largest_source])[0]
            train, dev = source["train"], [source["dev"]]
            languages = [p.largest_source]
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
    write_json(job.output.summary, {"method": w.method, "seed": seed, "tasks": summary})


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
