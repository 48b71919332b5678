# The run's own cost, for the report: wall time, start-up time and peak memory
# per rule, read from the benchmark file and log every job writes.


rule rule_runtimes:
    """Wall time, start-up time and peak memory per rule, from every job's
    benchmark file and log; runs last (it needs every other final output), so
    the report lists the run it belongs to. A rerun of any job reruns it."""
    input:
        final_targets(),
    output:
        table=R("tables/runtimes.csv"),
        summary=R("tables/runtimes.md"),
    log:
        logs("rule_runtimes"),
    benchmark:
        bench("rule_runtimes")
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        benchmarks=f"benchmarks/{EXPERIMENT}",
        logs=f"logs/{EXPERIMENT}",
    script:
        "../workflow_scripts/rule_runtimes.py"
