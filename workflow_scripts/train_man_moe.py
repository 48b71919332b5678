"""MAN-MoE: every system of one (task, target, seed) of the leave-one-out grid,
trained by Algorithm 1 on the frozen encoder's cached word vectors (with
characters, and the words' characters from the corpora) and scored on the
target's test split, with the expert-gate weights of its sentences. Languages
with raw text give the discriminator its cached vectors instead of their train
split's."""

import shutil

from xlt.core.device import resolve_device
from xlt.core.fileio import write_json
from xlt.core.provenance import file_digest, fingerprint, versions
from xlt.core.scripting import as_list, run
from xlt.encoders.features import language_files
from xlt.families.man_moe.runner import add_characters, load_language_features, run_target
from xlt.families.man_moe.runs import Run


def main(job):
    w, p = job.wildcards, job.params
    files = language_files(job.input.features, p.languages)
    text_files = {}
    if p.text_languages:
        (directory,) = as_list(job.input.text_features)
        text_files = language_files(directory, p.text_languages)
    features = load_language_features(files, text_files)
    alphabet = None
    if dict(p.settings).get("characters"):
        texts = dict(zip(p.text_languages, job.input.texts, strict=True))
        alphabet = add_characters(
            features, files, list(job.input.corpora), p.settings["lowercase"], w.task, texts,
            p.max_sentences, text_files,
        )  # fmt: skip
    # vectors of another encoder or text are another run's: no resuming its checkpoint
    digest = fingerprint([file_digest(path) for path in [*files.values(), *text_files.values()]])
    runs = [Run(r["system"], r["target"], tuple(r["sources"])) for r in p.runs]
    rows = run_target(
        w.task, w.target, runs, features, dict(p.settings), int(w.seed),
        resolve_device(p.device), p.checkpoints, alphabet, digest,
    )  # fmt: skip
    write_json(
        job.output.results, {"runs": rows, "settings": dict(p.settings), "versions": versions()}
    )
    # The checkpoints let a killed job resume; once its results are written they
    # would only make a forced rerun (--forcerun) restore finished models instead
    # of training them again.
    shutil.rmtree(p.checkpoints, ignore_errors=True)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
