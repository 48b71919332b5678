"""Read one raw split (CoNLL-U or NER columns), validate tags, write JSONL."""

import logging

from xlt.core.fileio import write_json
from xlt.core.scripting import run
from xlt.data import real_data
from xlt.data.corpus import CorpusFormatError, write_task_corpus
from xlt.data.preprocess import preprocess


def main(job):
    w = job.wildcards
    if not job.params.real:
        source = {"files": [str(job.input.raw)], "notes": [f"synthetic language {w.lang}"]}
        count = preprocess(w.task, job.input.raw, job.output.corpus, w.lang)
    else:
        root, role, data = job.params.root, job.params.role, job.params.data
        source = real_data.source(w.task, root, w.lang, w.split, role, data)
        for note in source["notes"]:
            logging.info("%s %s %s: %s", w.task, w.lang, w.split, note)
        records = real_data.records(w.task, root, w.lang, w.split, role, data)
        if not records:
            raise CorpusFormatError(root, None, f"empty split: {w.task} {w.lang} {w.split}")
        write_task_corpus(job.output.corpus, records)
        count = len(records)
    write_json(job.output.source, {**source, "role": job.params.role, "sentences": count})
    logging.info("%s: %d sentences", job.output.corpus, count)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
