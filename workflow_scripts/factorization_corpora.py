"""The manifest of the corpora the factorization family's fine-tuned jobs read:
each corpus path with the digest of its content."""

from xlt.core.fileio import write_json
from xlt.core.provenance import file_digest
from xlt.core.scripting import as_list, run


def main(job):
    write_json(
        job.output.manifest, {path: file_digest(path) for path in as_list(job.input.corpora)}
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
