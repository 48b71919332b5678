# The report's tables: the Snakemake report displays images and HTML and offers
# every other file as a download, so each table it shows is rendered as an HTML
# page, filed under its family's category (REPORT_CATEGORIES) with its caption.


rule report_pages:
    """Every table the report shows (rules/report_inputs.smk) as an HTML page:
    Markdown tables rendered, CSV files as one table; the report files each page
    under its family's category with the table's caption."""
    input:
        tables=[table for table, _, _ in REPORT_PAGES],
    output:
        pages=report(
            directory(R("tables/pages")),
            patterns=["{category}/{name}.html"],
            category=lambda wildcards: REPORT_CATEGORIES[wildcards.category],
            subcategory="Tables",
            caption="../report/table_page.rst",
            labels={"table": "{name}"},
        ),
    log:
        logs("report_pages"),
    benchmark:
        bench("report_pages")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        pages=[(category, name) for _, category, name in REPORT_PAGES],
        captions=report_captions(),
    script:
        "../workflow_scripts/report_pages.py"
