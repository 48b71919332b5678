# The tables of rules/report.smk: which table files the report shows as pages,
# in which category, under which caption (report/<caption>.rst). Figures are
# marked for the report where their rules write them.
REPORT_TABLES = {
    "scores.csv": ("zero_shot", "scores"),
    "summary.md": ("zero_shot", "summary"),
    "transfer_analysis.md": ("zero_shot", "transfer_analysis"),
    "few_shot.md": ("few_shot", "few_shot"),
    "factorization_scores.csv": ("factorization", "factorization_scores"),
    "factorization.md": ("factorization", "factorization_summary"),
    "interpolation.md": ("interpolation", "interpolation"),
    "man_moe.md": ("man_moe", "man_moe"),
    "survey_correlations.csv": ("survey", "survey_correlations"),
    "survey_translation.csv": ("survey", "survey_translation"),
    "findings.md": ("findings", "findings"),
    "corpora.csv": ("data", "corpora"),
    "runtimes.md": ("runtimes", "runtimes"),
}


def report_tables():
    """The report's tables this run writes: (table path, category key, page name)."""
    built = set(final_targets()) | {R("tables/findings.md"), R("tables/runtimes.md")}
    return [
        (R(f"tables/{table}"), category, Path(table).stem)
        for table, (category, _) in REPORT_TABLES.items()
        if R(f"tables/{table}") in built
    ]


def report_captions():
    """Page name -> its caption's text (the report shows it under the table)."""
    return {
        Path(table).stem: Path(f"report/{caption}.rst").read_text(encoding="utf-8")
        for table, (_, caption) in REPORT_TABLES.items()
    }
