"""xlt: the library behind the cross-lingual transfer workflow.

Every Snakemake rule calls a short script in ``workflow_scripts/``; the logic
those scripts run lives here so that it can be imported and unit-tested.
"""
