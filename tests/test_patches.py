"""briefbook's changes to ReportLab are made for the length of a build and then undone; and
the day ReportLab writes characters beyond U+FFFF correctly itself, a test here says that the
ToUnicode patch can go."""

from __future__ import annotations

import gc
import re

from reportlab import rl_config
from reportlab.pdfbase import ttfonts

from briefbook.patches import reportlab_patched, to_unicode_cmap

BICYCLE = 0x1F6B2  # beyond the Basic Multilingual Plane


def test_reportlabs_own_writer_still_gets_characters_beyond_uffff_wrong():
    """When this fails, ReportLab has fixed its ToUnicode CMap: remove to_unicode_cmap from
    patches.py (and this test)."""
    original = ttfonts.makeToUnicodeCMap
    cmap = original("F1", [0x41, BICYCLE])
    entries = re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)>", cmap)
    assert any(len(target) % 2 for _, target in entries), (
        "ReportLab now writes whole UTF-16 code units; the patch is no longer needed"
    )


def test_the_patched_writer_uses_surrogate_pairs():
    cmap = to_unicode_cmap("F1", [0x41, BICYCLE])
    assert "<00> <0041>" in cmap
    assert "<01> <D83DDEB2>" in cmap


def test_the_patches_are_undone_after_the_build():
    before = (ttfonts.makeToUnicodeCMap, rl_config.useA85, gc.get_threshold())
    with reportlab_patched():
        assert ttfonts.makeToUnicodeCMap is to_unicode_cmap
        assert rl_config.useA85 == 0
    assert (ttfonts.makeToUnicodeCMap, rl_config.useA85, gc.get_threshold()) == before


def test_the_patches_are_undone_when_the_build_fails():
    before = (ttfonts.makeToUnicodeCMap, rl_config.useA85, gc.get_threshold())
    try:
        with reportlab_patched():
            raise RuntimeError("a failed build")
    except RuntimeError:
        pass
    assert (ttfonts.makeToUnicodeCMap, rl_config.useA85, gc.get_threshold()) == before
