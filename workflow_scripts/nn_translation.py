"""Nearest-neighbour translation accuracy per layer of every configured pair, on
the cached sentence vectors of its parallel text."""

import logging
from pathlib import Path

import pandas as pd
import torch

from xlt.core.fileio import write_csv
from xlt.core.scripting import as_list, run
from xlt.families.survey.translation import text_accuracy


def main(job):
    directories = iter(as_list(job.input.vectors))
    pairs = [tuple(p) for p in job.params.pairs]
    rows = []
    for text, langs in job.params.texts.items():
        directory = Path(next(directories))
        cached = {lang: torch.load(directory / f"{lang}.pt", weights_only=False) for lang in langs}
        text_pairs = [p for p in pairs if set(p) <= set(langs)]
        for row in text_accuracy(cached, text_pairs, job.params.fit_fraction):
            rows.append({"text": text, **row})
        logging.info("%s: %d pairs", text, len(text_pairs))
    write_csv(job.output.accuracy, pd.DataFrame(rows))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
