"""Downloads every source uses: a URL fetched atomically with retries, and a tar
archive extracted without unsafe members."""

from __future__ import annotations

import shutil
import tarfile
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path, PurePosixPath

from xlt.core.fileio import atomic_path

# Transient failures worth another try; anything else (404, bad URL) fails at once.
_RETRYABLE = (urllib.error.URLError, HTTPException, ConnectionError, TimeoutError)


def _is_permanent(error: Exception) -> bool:
    """A client error such as 404 will not go away by retrying."""
    return isinstance(error, urllib.error.HTTPError) and 400 <= error.code < 500


def _copy_response(url: str, dest: Path, opener, timeout: float) -> None:
    with opener(url, timeout=timeout) as response, dest.open("wb") as out:
        expected = response.headers.get("Content-Length") if response.headers else None
        shutil.copyfileobj(response, out, length=1 << 20)
    size = dest.stat().st_size
    if expected is not None and int(expected) != size:
        raise ConnectionError(f"{url}: got {size} bytes of {expected} (connection dropped?)")


def fetch_url(
    url: str,
    dest,
    *,
    retries: int = 3,
    timeout: float = 60.0,
    backoff: float = 5.0,
    opener=None,
    sleep=time.sleep,
) -> Path:
    """Download ``url`` to ``dest`` atomically, retrying transient failures.

    ``retries`` further attempts follow a failed one, ``backoff * 2**i`` seconds
    apart. A truncated transfer (fewer bytes than Content-Length) counts as a
    failure. ``opener`` (default ``urllib.request.urlopen``) and ``sleep`` exist
    for tests.
    """
    opener = opener or urllib.request.urlopen
    dest = Path(dest)
    for attempt in range(retries + 1):
        try:
            with atomic_path(dest) as tmp:
                _copy_response(url, tmp, opener, timeout)
            return dest
        except _RETRYABLE as error:
            if attempt == retries or _is_permanent(error):
                raise ConnectionError(
                    f"downloading {url} failed after {attempt + 1} attempt(s): {error}"
                ) from error
            sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def _check_member(member: tarfile.TarInfo, archive) -> None:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"{archive}: unsafe path {member.name!r} in archive")
    if not (member.isfile() or member.isdir()):
        # Links and device files could point outside the target directory;
        # data releases need neither.
        raise ValueError(f"{archive}: {member.name!r} is not a regular file or directory")


def safe_extract(archive, dest) -> Path:
    """Extract a tar archive (any compression) into ``dest``, refusing unsafe members."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for member in members:
            _check_member(member, archive)
        # The "data" filter repeats the checks and drops permission bits.
        tar.extractall(dest, members=members, filter="data")
    return dest
