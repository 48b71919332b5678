"""Every few-shot point and the zero-shot scores they start from -> the tidy
table, the mean over targets per k (Table 4), per target (Table 5), Markdown."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.few_shot.tables import by_k, collect, markdown, per_language
from xlt.families.zero_shot.tables import failed_section, skipped_section, usable


def main(job):
    scores = collect(list(job.params.points), as_list(job.input.zero_shot), job.params.experiment)
    # every point stays in the tidy table (a failed one flagged); the means use the others
    tables = {
        job.output.scores: scores,
        job.output.by_k: by_k(usable(scores)),
        job.output.per_language: per_language(usable(scores)),
    }
    for path, table in tables.items():
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.4f")
    note = skipped_section("Not continued", dict(job.params.skipped))
    write_text(
        job.output.summary,
        markdown(tables[job.output.by_k], tables[job.output.per_language])
        + note
        + failed_section(
            scores.assign(method="few_shot " + scores.strategy + " k=" + scores.k.astype(str))
        ),
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
