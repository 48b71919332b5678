"""Seen / held-out task-language pairs of one language subset of the factorization experiment."""

from xlt.core.fileio import write_json
from xlt.core.scripting import run
from xlt.families.factorization.partitions import available_pairs, heldout_partitions
from xlt.families.factorization.subsets import language_families, subset_languages
from xlt.languages.table import read_language_table


def main(job):
    p = job.params
    families = language_families(read_language_table(job.input.languages))
    languages = subset_languages(job.wildcards.subset, p.languages, families)
    always = list(p.always_seen)  # seen in every task of every subset and partition
    available = available_pairs(p.tasks, languages + always, p.corpus)
    partitions = heldout_partitions(
        p.tasks,
        languages,
        set(available),
        seed=p.partitions["seed"],
        count=p.partitions["count"],
        complementary=p.partitions["complementary"],
        always_seen=always,
    )
    languages = sorted(languages + always)
    write_json(
        job.output.partitions,
        {
            "subset": job.wildcards.subset,
            "tasks": list(p.tasks),
            "languages": languages,
            "always_seen": sorted(always),
            "families": {lang: families[lang] for lang in languages},
            "available": [list(pair) for pair in available],
            "partitions": partitions,
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
