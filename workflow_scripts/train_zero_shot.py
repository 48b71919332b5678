"""Zero-shot transfer: fine-tune on the source language(s), select on source dev."""

import time

from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import versions
from xlt.core.scripting import as_list, run
from xlt.encoders.training import train_from_corpora


def main(job):
    w = job.wildcards
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    summary, identity = train_from_corpora(
        w.task,
        as_list(job.input.train),
        as_list(job.input.dev),
        job.input.encoder,
        job.params.settings,
        seed=int(w.seed),
        out_dir=job.output.model,
        checkpoint_dir=job.params.checkpoints,
        threads=job.threads,
        max_length=job.params.max_length,
        fine_tune=job.params.fine_tune,
        options=getattr(job.params, "options", None),
    )
    write_json(
        job.output.summary,
        {
            "method": w.method,
            "task": w.task,
            "source": w.source,
            "seed": int(w.seed),
            "started": started,
            "training": summary,
            "config": identity,
            # where the source corpora came from: treebanks chosen, stand-ins (the
            # rule gives them; a run by hand on bare corpora may not)
            "data_sources": {
                path.removesuffix(".source.json"): read_json(path)
                for path in as_list(getattr(job.input, "sources", []))
            },
            "versions": versions(),
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
