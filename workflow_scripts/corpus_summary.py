"""Count sentences and words of every corpus the grid uses; refuse a corpus a
family cannot use (say, a few-shot pool smaller than its largest k)."""

from pathlib import Path

import pandas as pd

from xlt import tasks
from xlt.core.fileio import atomic_path, read_json
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.families.registry import corpus_problems


def main(job):
    rows, problems = [], []
    for path, source_path in zip(
        as_list(job.input.corpora), as_list(job.input.sources), strict=True
    ):
        task, lang, split = Path(path).parts[-3], Path(path).parts[-2], Path(path).stem
        records = read_task_corpus(path)
        problems += [
            f"{path}: {p}" for p in corpus_problems(job.config, (task, lang, split), records)
        ]
        source = read_json(source_path)
        gold = [tasks.record_labels(task, r) for r in records]
        rows.append(
            {
                "task": task,
                "language": lang,
                "split": split,
                "sentences": len(records),
                "words": sum(tasks.record_words(task, r) for r in records),
                # distinct labels seen (none for qa, whose gold are spans)
                "labels": None if None in gold else len({t for g in gold for t in g}),
                "treebanks": "+".join(source.get("treebanks", [])),
                "files": " ".join(Path(f).name for f in source["files"]),
                "notes": "; ".join(source["notes"]),
            }
        )
    if problems:
        raise ValueError("\n".join(problems))
    split_order = {"train": 0, "dev": 1, "test": 2}
    rows.sort(key=lambda r: (r["task"], r["language"], split_order[r["split"]]))
    columns = ["task", "language", "split", "sentences", "words", "labels", "treebanks",
               "files", "notes"]  # fmt: skip
    with atomic_path(job.output.table) as tmp:
        # no row where the grid reads no corpus (say, the survey's translation alone)
        table = pd.DataFrame(rows, columns=columns)
        table["labels"] = table["labels"].astype("Int64")  # counts, blank for qa
        table.to_csv(tmp, index=False)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
