"""Count sentences and words of every corpus the grid uses."""

from pathlib import Path

import pandas as pd

from xlt.corpus import read_task_corpus
from xlt.fileio import atomic_path
from xlt.scripting import as_list, run


def main(job):
    rows = []
    for path in as_list(job.input.corpora):
        task, lang, split = Path(path).parts[-3], Path(path).parts[-2], Path(path).stem
        records = read_task_corpus(path)
        rows.append(
            {
                "task": task,
                "language": lang,
                "split": split,
                "sentences": len(records),
                "words": sum(len(r["words"]) for r in records),
                "labels": len({t for r in records for t in r["labels"]}),
            }
        )
    with atomic_path(job.output.table) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
