# The tables of rules/report.smk: the shared ones the report shows as pages, in
# which category, under which caption (report/<caption>.rst); each family's
# inputs file adds its own tables. Figures are marked for the report where their
# rules write them.
REPORT_TABLES.update(
    {
        "findings.md": ("findings", "findings"),
        "corpora.csv": ("data", "corpora"),
        "runtimes.md": ("runtimes", "runtimes"),
    }
)


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


# Computed once, after every family's inputs file has registered its tables.
REPORT_PAGES = report_tables()
