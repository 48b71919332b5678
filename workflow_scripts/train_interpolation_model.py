"""Train the target-only or the bilingual model of an interpolation pair, with
the zero-shot source model's settings and seed (so the same start), selected on
the dev sets of the languages it trains on."""

import logging

from xlt.config.settings import log_effective
from xlt.core.scripting import run
from xlt.task_models.training import train_rule_model


def main(job):
    log_effective(logging.getLogger("xlt.train_interpolation_model"), job, job.wildcards.task)
    w = job.wildcards
    unit = {"model": w.model, "task": w.task, "source": w.source, "target": w.target}
    train_rule_model(job, {**unit, "seed": int(w.seed)})


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
