"""Entity word-piece overlap of every (source, target) pair: the encoder's word
pieces inside gold entities of the source's train and the target's test split."""

import logging

import pandas as pd

from xlt.core.fileio import write_csv
from xlt.core.scripting import as_list, run
from xlt.data.corpus import read_task_corpus
from xlt.encoders.loading import load_tokenizer
from xlt.families.survey.overlap import entity_pieces, overlap_rows


def main(job):
    task, langs = job.params.task, list(job.params.languages)
    tokenizer = load_tokenizer(job.input.encoder)
    pieces = {}
    for split in ("train", "test"):
        paths = as_list(job.input[split])
        pieces[split] = {
            lang: entity_pieces(tokenizer, task, read_task_corpus(path))
            for lang, path in zip(langs, paths, strict=True)
        }
        logging.info("%s: entity pieces per language %s", split,
                     {lang: len(p) for lang, p in pieces[split].items()})  # fmt: skip
    write_csv(job.output.overlap, pd.DataFrame(overlap_rows(pieces["train"], pieces["test"])))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
