"""Every held-out score of the factorization experiment -> tidy CSV + Markdown tables;
how each generator's SVI ended -> tables/factorization_training.csv."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.factorization.tables import (
    collect_heldout,
    collect_training,
    entropy_correlation,
    markdown,
)


def main(job):
    scores = collect_heldout(as_list(job.input.scores))
    with atomic_path(job.output.scores) as tmp:
        scores.to_csv(tmp, index=False, lineterminator="\n")
    with atomic_path(job.output.entropy) as tmp:
        entropy_correlation(scores).to_csv(tmp, index=False, lineterminator="\n")
    with atomic_path(job.output.training) as tmp:
        collect_training(as_list(job.input.training)).to_csv(tmp, index=False, lineterminator="\n")
    write_text(job.output.summary, markdown(scores))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
