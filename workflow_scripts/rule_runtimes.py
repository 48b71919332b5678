"""Per-rule wall time, start-up time and peak memory of the run, from the
jobs' benchmark files and logs."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.runtimes import markdown, rule_runtimes
from xlt.core.scripting import run


def main(job):
    table = rule_runtimes(job.params.benchmarks, job.params.logs)
    with atomic_path(job.output.table) as tmp:
        table.to_csv(tmp, index=False, float_format="%.2f")
    write_text(job.output.summary, markdown(table))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
