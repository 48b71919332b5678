"""Read one raw split of real data (CoNLL-U, NER columns, XNLI or SQuAD files),
validate tags, write JSONL and where it came from."""

import logging

from xlt.core.fileio import write_json
from xlt.core.scripting import run
from xlt.data import real_data
from xlt.data.corpus import CorpusFormatError, write_task_corpus


def main(job):
    w = job.wildcards
    root, role, data = job.params.root, job.params.role, job.params.data
    source = real_data.source(w.task, root, w.lang, w.split, role, data)
    for note in source["notes"]:
        logging.info("%s %s %s: %s", w.task, w.lang, w.split, note)
    records = real_data.records(w.task, root, w.lang, w.split, role, data)
    if not records:
        raise CorpusFormatError(root, None, f"empty split: {w.task} {w.lang} {w.split}")
    write_task_corpus(job.output.corpus, records)
    write_json(job.output.source, {**source, "role": role, "sentences": len(records)})
    logging.info("%s: %d sentences", job.output.corpus, len(records))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
