"""Every MAN-MoE job's results -> one row per trained model, the expert-gate
weights, the results table per task and its Markdown."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.man_moe.tables import collect, gate_table, markdown


def main(job):
    scores, weights = collect(as_list(job.input.results))
    scores.insert(0, "experiment", job.params.experiment)
    gates = gate_table(weights)
    for path, table in ((job.output.scores, scores), (job.output.gates, gates)):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
    write_text(job.output.summary, markdown(scores, gates))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
