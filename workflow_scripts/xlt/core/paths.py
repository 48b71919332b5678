"""Where the project's own files are: metadata tables, config schemas."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
METADATA = PROJECT / "metadata"
SCHEMAS = PROJECT / "schemas"
