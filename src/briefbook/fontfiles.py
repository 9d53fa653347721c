"""Turn TrueType files into the facts the rest of briefbook needs about them: the characters
each draws and a name to register it under. Nothing here registers anything."""

from __future__ import annotations

import hashlib
import struct
from functools import cache
from pathlib import Path

from briefbook.cmap import CmapError, code_points
from briefbook.errors import LayoutError


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the TrueType font at `path` has a glyph for."""
    try:
        return code_points(path)
    except (CmapError, OSError, struct.error) as err:
        raise LayoutError.at(path, f"not a usable TrueType font ({err})") from None


def registered_name(path: Path) -> str:
    """A name unique to the file, so two layouts never trade fonts by accident."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:6]
    return f"{path.stem}-{digest}"
