"""Zero-shot transfer: fine-tune on the source language(s), select on source dev."""

import logging

from xlt.config.settings import log_effective
from xlt.core.fileio import read_json
from xlt.core.scripting import as_list, run
from xlt.task_models.training import train_rule_model


def main(job):
    log_effective(logging.getLogger("xlt.train_zero_shot"), job, job.wildcards.task)
    w = job.wildcards
    unit = {"method": w.method, "task": w.task, "source": w.source, "seed": int(w.seed)}
    # where the source corpora came from: treebanks chosen, stand-ins (the rule
    # gives them; a run by hand on bare corpora may not)
    sources = {
        path.removesuffix(".source.json"): read_json(path)
        for path in as_list(getattr(job.input, "sources", []))
    }
    train_rule_model(job, unit, {"data_sources": sources})


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
