"""Train the target-only or the bilingual model of an interpolation pair, with
the zero-shot source model's settings and seed (so the same start), selected on
the dev sets of the languages it trains on."""

from xlt.core.scripting import run
from xlt.encoders.training import train_rule_model


def main(job):
    w = job.wildcards
    unit = {"model": w.model, "task": w.task, "source": w.source, "target": w.target}
    train_rule_model(job, {**unit, "seed": int(w.seed)})


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
