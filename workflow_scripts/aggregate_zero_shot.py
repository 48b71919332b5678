"""Collect every run's metrics into a tidy CSV and a Markdown summary."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.zero_shot.tables import (
    add_distance,
    collect,
    failed_section,
    gap_markdown,
    mark_evaluation_split,
    markdown_tables,
    skipped_section,
    summarize,
    transfer_gap,
)
from xlt.languages.table import read_language_table


def main(job):
    scores = collect(as_list(job.input.metrics), job.params.experiment)
    languages = read_language_table(job.input.languages)
    scores = add_distance(scores, languages, job.params.distance_features)
    scores = mark_evaluation_split(scores, dict(job.params.eval_splits))
    with atomic_path(job.output.scores) as tmp:
        scores.to_csv(tmp, index=False, float_format="%.4f")
    note = skipped_section("Not scored", dict(job.params.skipped))
    summary = summarize(scores)
    gap = transfer_gap(summary)
    gap.insert(0, "experiment", job.params.experiment)
    with atomic_path(job.output.gap) as tmp:
        gap.to_csv(tmp, index=False, float_format="%.4f")
    failed = failed_section(scores)
    write_text(job.output.summary, markdown_tables(summary) + gap_markdown(gap) + note + failed)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
