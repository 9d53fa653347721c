"""Turn work done once (a picture resized for its frame, a picture checked) into a file that
the next build reads instead of doing the work again.

The folder follows the platform's convention: `$XDG_CACHE_HOME/briefbook` (else
`~/.cache/briefbook`) on Linux and the BSDs, `~/Library/Caches/briefbook` on macOS,
`%LOCALAPPDATA%\\briefbook\\Cache` on Windows. Deleting it at any time is safe.

An entry is named by a digest of everything its contents depend on, and it carries a digest
of its own bytes: an entry that was cut short, changed or written by something else fails
that check, is ignored and is written again. A cache that cannot be written (a read-only
home folder) only makes builds slower; it never fails one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

_MAGIC = b"briefbook cache 1\n"
_DIGEST = 32  # bytes of SHA-256


def cache_folder(environ: Mapping[str, str], platform: str = sys.platform) -> Path:
    """Where briefbook keeps its cache on this platform."""
    home = Path(environ.get("HOME") or Path.home())
    if platform == "darwin":
        return home / "Library" / "Caches" / "briefbook"
    if platform == "win32":
        local = environ.get("LOCALAPPDATA")
        base = Path(local) if local else home / "AppData" / "Local"
        return base / "briefbook" / "Cache"
    xdg = environ.get("XDG_CACHE_HOME", "")
    # The XDG rule: a relative value is invalid and is ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "briefbook"


def key(*parts: object) -> str:
    """The name of the entry whose contents depend on exactly `parts`."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Entries in one folder, in subfolders by kind ("pictures", "checked")."""

    def __init__(self, folder: Path | None):
        self.folder = folder  # None: nothing is kept

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Cache:
        return cls(cache_folder(environ))

    def _path(self, kind: str, name: str) -> Path | None:
        return None if self.folder is None else self.folder / kind / name[:2] / name

    def get(self, kind: str, name: str) -> bytes | None:
        """The entry's bytes, or None when there is none or it fails its check."""
        path = self._path(kind, name)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + _DIGEST
        if not data.startswith(_MAGIC) or len(data) < head:
            return None
        payload = data[head:]
        if hashlib.sha256(payload).digest() != data[len(_MAGIC) : head]:
            return None
        return payload

    def put(self, kind: str, name: str, payload: bytes) -> None:
        """Keep `payload`; written whole under a temporary name and renamed, so a reader
        never sees half an entry."""
        path = self._path(kind, name)
        if path is None:
            return
        temp = path.with_name(f".{name}.{secrets.token_hex(4)}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
