"""How an encoder is loaded and fetched: a Hugging Face model directory (the
embedded one the default builds, a hub encoder downloaded once into resources/,
a packaged one or a local directory; ``locations`` says which directory), the
hub's reachability, and the digest that keys the runs trained on it.

Every encoder ends up as a Hugging Face model directory (config, weights,
tokenizer), so training and evaluation load them through the same code path.
"""

from __future__ import annotations

from pathlib import Path


def load_tokenizer(directory):
    """The (fast) tokenizer of a model directory, offline."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(directory), local_files_only=True)
    if not tokenizer.is_fast:
        raise ValueError(f"{directory}: a fast tokenizer is needed to align words and subwords")
    return tokenizer


def load_encoder(directory):
    """Tokenizer and bare encoder (no task head) from a model directory, offline."""
    from transformers import AutoModel

    directory = str(directory)
    tokenizer = load_tokenizer(directory)
    try:  # the pooler is unused for token tasks; not every architecture has one
        model = AutoModel.from_pretrained(directory, local_files_only=True, add_pooling_layer=False)
    except TypeError:
        model = AutoModel.from_pretrained(directory, local_files_only=True)
    return tokenizer, model


def hub_patterns(repo_files: list[str]) -> list[str]:
    """Config, tokenizer and one copy of the weights (safetensors preferred).

    TensorFlow, Flax, ONNX or duplicate PyTorch copies would multiply the download.
    """
    patterns = ["*.json", "*.model", "*.txt"]
    if any(name.endswith(".safetensors") for name in repo_files):
        return patterns + ["*.safetensors"]
    return patterns + ["pytorch_model*.bin"]


OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def hub_unreachable(timeout: float = 3.0) -> str | None:
    """Why the Hugging Face hub cannot be reached from here, or None when it can: an
    offline variable is set, or no connection to its host (``HF_ENDPOINT``, by
    default huggingface.co) opened within ``timeout`` seconds. A probe of one
    connection, so that a missing model fails at once instead of after a
    download's retries."""
    import os
    import socket
    from urllib.parse import urlparse

    for variable in OFFLINE_VARIABLES:
        if os.environ.get(variable, "").strip().lower() in ("1", "true", "yes", "on"):
            return f"{variable} is set"
    endpoint = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = endpoint.hostname or "huggingface.co"
    port = endpoint.port or (80 if endpoint.scheme == "http" else 443)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as error:
        return f"no connection to {host}:{port} within {timeout:g} s: {error}"
    return None


def download_hub_encoder(repo_id: str, out_dir, revision: str | None = None) -> list[str]:
    """Snapshot ``repo_id`` into ``out_dir`` atomically; returns the files fetched.
    Fails at once, naming ``encoder.name``, when the hub cannot be reached."""
    from huggingface_hub import HfApi, snapshot_download

    from xlt.core.fileio import atomic_path

    why = hub_unreachable()
    if why:
        raise ConnectionError(
            f"config key 'encoder.name': cannot download '{repo_id}' from the hub ({why}); "
            "name a local model directory instead, or run with network"
        )
    patterns = hub_patterns(HfApi().list_repo_files(repo_id, revision=revision))
    with atomic_path(out_dir, directory=True) as tmp:
        snapshot_download(repo_id, revision=revision, local_dir=tmp, allow_patterns=patterns)
        files = sorted(str(p.relative_to(tmp)) for p in Path(tmp).rglob("*") if p.is_file())
        if not any(name.endswith((".safetensors", ".bin")) for name in files):
            raise RuntimeError(f"{repo_id}: no model weights in the snapshot")
    return files


def encoder_digest(directory) -> str:
    """Identity of an encoder in a training record: the digest of its config."""
    from xlt.core.provenance import file_digest

    return file_digest(Path(directory) / "config.json")
