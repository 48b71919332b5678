"""Read every raw split of one synthetic language (CoNLL-U, NER columns, TSV, SQuAD
JSON), validate tags, write one JSONL corpus and one source record per split."""

import logging

from xlt.core.fileio import write_json
from xlt.core.scripting import as_list, run
from xlt.data.preprocess import preprocess


def main(job):
    lang = job.wildcards.lang
    units = [tuple(unit) for unit in job.params.units]
    files = zip(
        units, as_list(job.input.raw), as_list(job.output.corpora), as_list(job.output.sources),
        strict=True,
    )  # fmt: skip
    for (task, split), raw, corpus, source in files:
        count = preprocess(task, raw, corpus, lang)
        notes = [f"synthetic language {lang}"]
        role = job.params.role
        write_json(source, {"files": [str(raw)], "notes": notes, "role": role, "sentences": count})
        logging.info("%s %s %s: %d sentences", task, lang, split, count)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
