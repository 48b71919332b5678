"""Shared fixtures: paths of the project and of the shared real-data samples."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def default_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared real-data samples not found at {SHARED_DATA}")
    return SHARED_DATA


def default_synthetic_spec() -> dict:
    """The synthetic block of the shipped config.yaml, defaults filled in."""
    from xlt.config import validate_config

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    return validate_config(config)["synthetic"]
