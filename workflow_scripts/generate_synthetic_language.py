"""Generate one language of the synthetic typology benchmark."""

from pathlib import Path

from xlt.core.scripting import named, run
from xlt.data.sources.synthetic import generate_language


def main(job):
    out = {name: Path(path) for name, path in named(job.output).items()}
    generate_language(job.params.spec, job.wildcards.lang, out)


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
