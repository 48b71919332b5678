# Zero-shot cross-lingual transfer: data -> encoder -> training -> evaluation
# -> tables, figures and report. The stages live in rules/*.smk; the logic in
# the xlt library under workflow_scripts/.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/encoder.smk"
include: "rules/train.smk"
include: "rules/evaluate.smk"
include: "rules/factorization.smk"
include: "rules/aggregate.smk"
include: "rules/figures.smk"


rule all:
    default_target: True
    input:
        final_targets(),
