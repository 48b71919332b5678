# Paths, input functions and targets of rules/man_moe.smk (snakemake --lint wants
# rules and functions in separate files).

MM_UNIT = "{task}/{target}/seed{seed}"
MM_RUN = R(f"runs/man_moe/{MM_UNIT}")
MM_TEXT_FEATURES = R("features/man_moe_text")


WORD_VECTOR_LANGUAGES["man_moe"] = lambda task: man_moe_family.languages(config)


def man_moe_features(wildcards):
    """The cached word vectors of every language of the leave-one-out set."""
    return feature_dir("man_moe", wildcards.task)


def man_moe_text(lang):
    """A language's raw text for the discriminator: its file in
    man_moe.unlabelled.files, else the pipeline's raw text of it."""
    return man_moe_family.unlabelled(config)["files"].get(lang) or raw_text(lang)


def man_moe_text_features(wildcards):
    """The cached word vectors of the raw text of every language that reads one
    (a directory of one file per language; none when no language reads text)."""
    return [MM_TEXT_FEATURES] if man_moe_family.text_languages(config) else []


def man_moe_raw_texts(wildcards=None):
    """The raw text of every language whose text the discriminator reads."""
    return [man_moe_text(lang) for lang in man_moe_family.text_languages(config)]


def man_moe_texts(wildcards):
    """With characters, the raw texts of man_moe_text_features (their words'
    characters); else none."""
    if not man_moe_family.uses_characters(config):
        return []
    return man_moe_raw_texts()


def man_moe_corpora(wildcards):
    """With man_moe.model.characters, the corpora whose words the CharCNN reads
    (every split of every language, in word_corpora's order); else none."""
    if not man_moe_family.uses_characters(config):
        return []
    return [
        corpus(wildcards.task, lang, split)
        for lang, split in man_moe_family.word_corpora(man_moe_family.languages(config))
    ]


def man_moe_runs(wildcards):
    """The runs of one target's job, as plain values for the script."""
    return [
        {"system": run.system, "target": run.target, "sources": list(run.sources)}
        for run in man_moe_family.runs(config, wildcards.target)
    ]


def man_moe_results():
    return [
        f"{MM_RUN}/results.json".format(**unit) for unit in man_moe_family.units(config)
    ]


def man_moe_targets():
    return [R("tables/man_moe.md")] + figure_files(["man_moe_gates"])


FAMILY_TARGETS[man_moe_family.FAMILY.name] = man_moe_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "man_moe.md": ("man_moe", "man_moe"),
    }
)
