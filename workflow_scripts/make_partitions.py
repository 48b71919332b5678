"""Seen / held-out task-language pairs of one language subset of the factorization experiment."""

from xlt.corpus import read_task_corpus
from xlt.fileio import write_json
from xlt.language_table import read_language_table
from xlt.partitions import heldout_partitions, language_subsets
from xlt.scripting import run


def subset_languages(subset: str, languages: list[str], families: dict) -> list[str]:
    """``all``, or the similar/different subset of the size in its name (Table 2)."""
    if subset == "all":
        return list(languages)
    kind = subset.rstrip("0123456789")
    size = int(subset[len(kind) :])
    return language_subsets({lang: families[lang] for lang in languages}, size)[kind]


def main(job):
    p = job.params
    table = read_language_table(job.input.languages)
    # URIEL gives an isolate no family (""): each isolate is a family of its own.
    families = {
        code: family or "isolate"
        for code, family in zip(table["code"], table["family"], strict=True)
    }
    languages = subset_languages(job.wildcards.subset, p.languages, families)
    # A pair has data when it has sentences to train on and to evaluate on.
    available = sorted(
        (task, lang)
        for task in p.tasks
        for lang in languages
        if read_task_corpus(p.corpus.format(task=task, lang=lang, split="train"))
        and read_task_corpus(p.corpus.format(task=task, lang=lang, split="test"))
    )
    partitions = heldout_partitions(
        p.tasks,
        languages,
        set(available),
        seed=p.partitions["seed"],
        count=p.partitions["count"],
        complementary=p.partitions["complementary"],
    )
    write_json(
        job.output.partitions,
        {
            "subset": job.wildcards.subset,
            "tasks": list(p.tasks),
            "languages": languages,
            "families": {lang: families[lang] for lang in languages},
            "available": [list(pair) for pair in available],
            "partitions": partitions,
        },
    )


if __name__ == "__main__":
    run(main, globals().get("snakemake"))
