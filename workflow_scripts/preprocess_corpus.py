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
        # where the split was to come from says why it is empty (e.g. a file with fewer
        # rows than data.xnli.train_from_dev's train and dev take before the scored ones)
        files = ", ".join(map(str, source.get("files", []))) or str(root)
        why = "; ".join(source["notes"])
        raise CorpusFormatError(
            files, None, f"empty split: {w.task} {w.lang} {w.split}" + (f": {why}" if why else "")
        )
    write_task_corpus(job.output.corpus, records)
    write_json(job.output.source, {**source, "role": role, "sentences": len(records)})
    logging.info("%s: %d sentences", job.output.corpus, len(records))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
