"""Config validation: the JSON schema (core and family parts), then semantic
checks that name the offending key. The workflow calls ``validate_config`` when
it builds the DAG, so a typo stops everything before any job runs."""

from xlt.config.validation import ConfigError, load_schema, validate_config

__all__ = ["ConfigError", "load_schema", "validate_config"]
