# Zero-shot cross-lingual transfer: data -> encoder -> one rule file per
# method family (training, evaluation, tables, figures) -> report. The logic
# lives in the xlt library under workflow_scripts/ (docs/architecture.md).
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data_inputs.smk"
include: "rules/data.smk"
include: "rules/encoder_inputs.smk"
include: "rules/encoder.smk"


# A family's rules exist only when the configuration runs it.
if zero_shot_family.FAMILY.is_active(config):

    include: "rules/zero_shot_inputs.smk"
    include: "rules/zero_shot.smk"


if few_shot_family.FAMILY.is_active(config):

    include: "rules/few_shot_inputs.smk"
    include: "rules/few_shot.smk"


if interpolation_family.FAMILY.is_active(config):

    include: "rules/interpolation_inputs.smk"
    include: "rules/interpolation.smk"


if man_moe_family.FAMILY.is_active(config):

    include: "rules/man_moe_inputs.smk"
    include: "rules/man_moe.smk"


if factorization_family.FAMILY.is_active(config):

    include: "rules/factorization_inputs.smk"
    include: "rules/factorization.smk"


if survey_family.FAMILY.is_active(config):

    include: "rules/survey_inputs.smk"
    include: "rules/survey.smk"


include: "rules/findings_inputs.smk"
include: "rules/findings.smk"
include: "rules/runtimes.smk"
include: "rules/report_inputs.smk"
include: "rules/report.smk"


onstart:
    logger.info(where_to_look())


rule all:
    """Every table and figure of the configured families, the findings scorecard,
    the run's time per rule and the report's table pages."""
    default_target: True
    input:
        final_targets(),
        R("tables/findings.csv"),
        R("tables/runtimes.csv"),
        R("tables/pages"),
