# The findings scorecard: every headline claim of the five papers
# (metadata/claims.yaml) tested on this run's tables; claims whose family the
# run does not include, or whose scale it lacks, are listed as not tested.


rule findings:
    """Each paper's headline claims checked on the run's tables: statistic, 95 %
    interval, verdict and the published value (tables/findings.csv, .md, and
    .rst for the report's front page); a
    paper's published tables beside the run's (tables/findings_comparison.csv)."""
    input:
        claims="metadata/claims.yaml",
        tables=findings_tables(),
        languages=findings_language_table(),
    output:
        table=R("tables/findings.csv"),
        comparison=R("tables/findings_comparison.csv"),
        summary=R("tables/findings.md"),
        # the scorecard in short for the report's front page (report/workflow.rst)
        front_page=R("tables/findings.rst"),
    log:
        logs("findings"),
    benchmark:
        bench("findings")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        # the experiment's results directory (tables/findings.csv sits two below it)
        results=lambda wildcards, output: str(Path(output.table).parents[1]),
        config=findings_config(),
    script:
        "../workflow_scripts/findings.py"
