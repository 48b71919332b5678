"""Every MAN-MoE job's results -> one row per trained model, the expert-gate
weights, per-sentence counts and gate weights (the findings' bootstrap over
test sentences), the results table per task and its Markdown."""

from xlt.core.fileio import atomic_path, write_text
from xlt.core.scripting import as_list, run
from xlt.families.man_moe.tables import collect, collect_sentences, gate_table, markdown


def main(job):
    scores, weights = collect(as_list(job.input.results))
    scores.insert(0, "experiment", job.params.experiment)
    gates = gate_table(weights)
    sentences, sentence_gates = collect_sentences(as_list(job.input.results))
    tables = {
        job.output.scores: scores,
        job.output.gates: gates,
        job.output.sentences: sentences,
        job.output.sentence_gates: sentence_gates,
    }
    for path, table in tables.items():
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
    write_text(job.output.summary, markdown(scores, gates))


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
