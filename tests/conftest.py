"""Shared fixtures: paths of the project and of the shared real-data samples."""

import os
from pathlib import Path

# `make test` runs more than one pytest worker (pytest-xdist): each worker's torch
# gets one thread and idle OpenMP threads sleep, so the workers do not spin
# against each other. Set here, before any test module imports torch; the
# workflows the tests start set their jobs' threads themselves.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def hub_stand_in():
    """A local listener as the hub's endpoint (HF_ENDPOINT) for every workflow the
    tests start: the config check probes the hub before it plans a download, and
    the dry runs of the papers' hub configs plan one as on a machine with network.
    It accepts connections and answers nothing: no test downloads. The tests of
    an unreachable hub set HF_HUB_OFFLINE or their own endpoint."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed at the end of the session
                return
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    previous = os.environ.get("HF_ENDPOINT")
    os.environ["HF_ENDPOINT"] = f"http://127.0.0.1:{port}"
    yield port
    listener.close()
    if previous is None:
        os.environ.pop("HF_ENDPOINT", None)
    else:
        os.environ["HF_ENDPOINT"] = previous


@pytest.fixture
def default_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def without_shared_data(message: str):
    """Skip a test whose shared real-data files are missing (a clone elsewhere than
    beside ../shared); with XLT_REQUIRE_SHARED=1 (CI) fail instead, so that a run
    without the data cannot pass by skipping."""
    if os.environ.get("XLT_REQUIRE_SHARED", "") not in ("", "0"):
        pytest.fail(f"XLT_REQUIRE_SHARED is set, but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        without_shared_data(f"shared real-data samples not found at {SHARED_DATA}")
    return SHARED_DATA


def default_synthetic_spec() -> dict:
    """The synthetic block of the shipped config.yaml, defaults filled in."""
    from xlt.config.validation import validate_config

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    return validate_config(config)["synthetic"]


def tiny_encoder(texts, directory, *, vocab_size=120, hidden_size=32, num_layers=1, epochs=0):
    """Build an embedded encoder for unit tests (``epochs`` of masked-LM pretraining)."""
    from xlt.encoders.embedded import build_embedded_encoder

    settings = {
        "vocab_size": vocab_size,
        "hidden_size": hidden_size,
        "num_layers": num_layers,
        "num_heads": 2,
        "intermediate_size": 2 * hidden_size,
        "max_position": 64,
        "pretrain": {
            "epochs": epochs,
            "batch_size": 16,
            "learning_rate": 1e-3,
            "mask_probability": 0.15,
            "seed": 0,
        },
    }
    build_embedded_encoder(texts, settings, directory)
    return Path(directory)


def is_tree(heads: list[int]) -> bool:
    """Whether 1-based ``heads`` (0 the root) reach the root from every word."""
    for start in range(1, len(heads) + 1):
        seen, node = set(), start
        while node != 0:
            if node in seen:
                return False
            seen.add(node)
            node = heads[node - 1]
    return True


# Fine-tuning settings under which the task tests' toy problems are learnt in seconds.
TOY_SETTINGS = {
    "epochs": 8,
    "batch_size": 16,
    "learning_rate": 3e-3,
    "warmup_fraction": 0.1,
    "weight_decay": 0.0,
    "dropout": 0.1,
    "eval_every_steps": 0,
    "checkpoint_every_steps": 100,
    "device": "cpu",
}


def train_toy(task, toy, directory, settings, max_length, **overrides):
    """``train_task_model`` on a toy's ``train``/``dev`` records and ``encoder``:
    fine-tuned, seed 1, the model in ``directory/model`` and checkpoints in
    ``directory/ckpt`` unless ``overrides`` say otherwise; returns the summary."""
    from xlt.task_models.training import train_task_model

    arguments = {
        "task": task,
        "train_records": toy["train"],
        "dev_records": toy["dev"],
        "encoder_dir": toy["encoder"],
        "settings": settings,
        "fine_tune": True,
        "max_length": max_length,
        "seed": 1,
        "out_dir": Path(directory) / "model",
        "checkpoint_dir": Path(directory) / "ckpt",
    }
    return train_task_model(**{**arguments, **overrides})


@pytest.fixture
def project(tmp_path):
    """A copy of the workflow's own files (no results) to run Snakemake in."""
    from workflow_helpers import copy_project

    return copy_project(tmp_path / "project")


@pytest.fixture
def claims() -> dict:
    """The findings registry (metadata/claims.yaml), by claim id."""
    from xlt.core.findings import load_claims

    return {claim.id: claim for claim in load_claims(ROOT / "metadata" / "claims.yaml")}


# --- how `make test` spreads the tests over its workers (--dist loadgroup) -----------

# The end-to-end modules start first, in this order: the SLURM module (it builds the
# shared smoke run while its grid runs through SLURM, then waits minutes on SLURM),
# the fine-tuned run, the real-sample run and then the smoke module, which the
# fine-tuned run's worker takes next (a module of more than two tests keeps its
# worker from taking a second one at the start). Everything else follows in
# collection order.
FIRST = ("e2e/test_slurm.py", "e2e/test_fine_tuned.py", "e2e/test_real_sample.py",
         "e2e/test_smoke.py")  # fmt: skip
SHARED_SCOPES = {"module", "package", "class"}


def _first(item) -> int:
    path = item.path.as_posix()
    return next((i for i, name in enumerate(FIRST) if path.endswith(name)), len(FIRST))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep on one worker the tests of a module that share a fixture wider than a
    test (a finished workflow, a trained toy model: built once), and let every other
    test go to whichever worker is free (no file held behind a long one); the
    end-to-end modules first (FIRST)."""
    for item in items:
        definitions = getattr(item, "_fixtureinfo", None)
        if definitions is None:
            continue
        scopes = {defs[-1].scope for defs in definitions.name2fixturedefs.values() if defs}
        if scopes & SHARED_SCOPES:
            item.add_marker(pytest.mark.xdist_group(item.path.relative_to(ROOT).as_posix()))
    items.sort(key=_first)
