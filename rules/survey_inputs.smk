# Paths, input functions and targets of rules/survey.smk (snakemake --lint wants
# rules and functions in separate files).

SV_UNIT = "{task}/seed{seed}"
SV_VECTORS = R("features/sentence_vectors/{text}")
SV_ANALYSES = survey_family.analyses(config)
SV_TRANSLATION = survey_family.translation_block(config)


WORD_VECTOR_LANGUAGES["survey"] = lambda task: survey_family.languages(config)


def survey_features(wildcards):
    """The cached word vectors of every all-pairs language for one task."""
    return feature_dir("survey", wildcards.task)


def survey_scores():
    """The all-pairs scores: the frozen classifiers' (one file per task and seed) or
    the zero-shot family's table."""
    if survey_family.transfer_kind(config) == "zero_shot":
        return [R("tables/scores.csv")]
    return [
        R(f"runs/survey/{SV_UNIT}/scores.csv").format(**u)
        for u in survey_family.units(config)
    ]


def survey_overlap_corpora(split):
    task = config["survey"]["overlap"]["task"]
    return [corpus(task, lang, split) for lang in survey_family.languages(config)]


def pud_root():
    """Where the PUD treebanks are: survey.translation.pud_dir, else the UD release."""
    return SV_TRANSLATION["pud_dir"] or ud_root()


def survey_text_inputs(text):
    """What encoding a parallel text reads: its files, or the UD release that holds
    them while the release is still to be downloaded (a directory output)."""
    files = survey_text_files(text)
    if any(path is None for path in files.values()):
        return [pud_root()]
    return list(files.values())


def survey_text_files(text):
    """Language -> file of one parallel text (the pair languages' files)."""
    langs = survey_family.text_languages(config, text)
    corpus_kind = SV_TRANSLATION["corpus"]
    if corpus_kind == "synthetic":
        return {lang: f"{SYNTHETIC}/parallel/{lang}.txt" for lang in langs}
    if corpus_kind == "pud":
        from xlt.data.sources.parallel import pud_files

        root = pud_root()
        if not Path(root).is_dir():  # a UD release still to download: found by the job
            return dict.fromkeys(langs)
        return {lang: str(path) for lang, path in pud_files(root, langs).items()}
    return dict(zip(langs, SV_TRANSLATION["files"][text], strict=True))


def survey_vectors():
    """The sentence vectors of every parallel text (a directory each)."""
    return [SV_VECTORS.format(text=text) for text in survey_family.text_ids(config)]


def survey_targets():
    names = {
        "all_pairs": "survey_all_pairs",
        "overlap": "survey_overlap",
        "word_order": "survey_word_order",
        "translation": "survey_translation",
    }
    tables = []
    if set(SV_ANALYSES) & {"all_pairs", "overlap", "word_order"}:
        tables.append(R("tables/survey_correlations.csv"))
    if "translation" in SV_ANALYSES:
        tables.append(R("tables/survey_translation.csv"))
    return tables + figure_files([names[a] for a in SV_ANALYSES])


FAMILY_TARGETS[survey_family.FAMILY.name] = survey_targets

# The tables the report shows as pages (rules/report.smk), with their captions.
REPORT_TABLES.update(
    {
        "survey_correlations.csv": ("survey", "survey_correlations"),
        "survey_translation.csv": ("survey", "survey_translation"),
    }
)
