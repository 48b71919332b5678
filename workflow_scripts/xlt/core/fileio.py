"""Atomic file output: a killed job must never leave a file that looks finished."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path, *, directory: bool = False):
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The temporary sibling lives in the same directory so that the final
    ``os.replace`` is atomic. On any exception the temporary is removed and
    ``path`` is left exactly as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if directory:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        if directory and path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path, obj) -> None:
    """Write ``obj`` to ``path`` as indented JSON with sorted keys, atomically."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_json(path):
    """The JSON value stored in the UTF-8 file ``path``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_csv(path, table) -> None:
    """Write a pandas table to ``path`` as CSV (no index, 6 significant digits), atomically."""
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")
