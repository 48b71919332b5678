"""Where the workflow keeps an encoder, by its ``encoder.name``: the embedded one
in the experiment's results, a hub or packaged encoder in resources/encoders/
(shared by every experiment), or a local model directory."""

from __future__ import annotations

import re
from pathlib import Path

from xlt.encoders.packaged import packaged_name


def encoder_directory(name: str, results: str) -> str:
    """Where the workflow keeps (or finds) the encoder called ``name`` in config:
    the embedded one in the experiment's ``results`` directory, a hub or packaged
    encoder in resources/encoders/ (shared by every experiment), or the local
    directory."""
    if name == "embedded":
        return f"{results}/encoder/embedded"
    packaged = packaged_name(name)
    if packaged:
        return f"resources/encoders/{PACKAGED_SLUG}{packaged}"
    if is_local_encoder(name):
        return name.rstrip("/")
    return "resources/encoders/" + hub_slug(name)


# resources/encoders/<PACKAGED_SLUG><key>: a packaged encoder's model directory
PACKAGED_SLUG = "packaged--"


def is_local_encoder(name: str) -> bool:
    """Whether ``name`` means a local model directory rather than a hub id: it
    starts like a path (/, ./, ../, ~), is an existing directory, or sits in an
    existing directory (``models/my-bert`` beside a ``models/`` folder)."""
    if name.startswith(("/", "./", "../", "~")) or Path(name).is_dir():
        return True
    parent = Path(name).parent
    return parent != Path(".") and parent.is_dir()


def hub_slug(name: str) -> str:
    """The directory name of hub id ``name`` under resources/encoders/ ('/' becomes
    '--'); a name that is no hub id is a config error."""
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?", name):
        raise ValueError(f"config key 'encoder.name': '{name}' is not a hub id or directory")
    return name.replace("/", "--")
