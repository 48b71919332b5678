"""One linear classifier per (task, language) on its own data: the sources of NS and BEA."""

import torch

from xlt.core.fileio import atomic_path, write_json
from xlt.core.scripting import as_list, run
from xlt.encoders.features import language_files, load_features
from xlt.families.factorization.heads import train_linear_head


def main(job):
    seed = int(job.wildcards.seed)
    heads, summary = {}, {}
    for task, directory in zip(job.params.tasks, as_list(job.input.features), strict=True):
        for lang, path in language_files(directory, job.params.languages).items():
            splits = load_features(path)[0]
            key = f"{task}/{lang}"
            head, summary[key] = train_linear_head(
                task, splits["train"], [splits["dev"]], job.params.settings, seed
            )
            heads[key] = head.state_dict()
    with atomic_path(job.output.heads) as tmp:
        torch.save(heads, tmp)
    write_json(job.output.summary, {"seed": seed, "heads": summary})


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
