"""Turn ReportLab, for the length of one build, into the library briefbook needs: every change
to its module state is made here, by one context manager that puts back what it changed.

- ToUnicode: ReportLab writes characters beyond U+FFFF as odd-length hex, which PDF readers
  reject, so copied text and search lose them; ours writes UTF-16 surrogate pairs, and
  leaves out the unused codes ReportLab maps to U+0000.
  tests/test_patches.py fails on the day ReportLab's own writer is right: then this can go.
- ASCII85: ReportLab wraps every compressed stream in a 7-bit text encoding no modern
  reader needs; it makes the file a quarter larger and costs time to write.
- Paragraph.wrap: a paragraph is measured again at the width it was just measured at (a
  group kept together measures its parts, then the frame measures each as it places it);
  the second time, what the first found is put back instead of breaking the lines again.
- The garbage collector: a build allocates millions of small objects that live until the
  PDF is written; collecting every 700 allocations costs a tenth of a large build.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def reportlab_patched() -> Iterator[None]:
    from reportlab import rl_config
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import Paragraph

    saved = (ttfonts.makeToUnicodeCMap, rl_config.useA85, gc.get_threshold(), Paragraph.wrap)
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    rl_config.useA85 = 0
    gc.set_threshold(20_000, 20, 50)
    Paragraph.wrap = _measured_once(saved[3])
    try:
        yield
    finally:
        ttfonts.makeToUnicodeCMap, rl_config.useA85 = saved[0], saved[1]
        gc.set_threshold(*saved[2])
        Paragraph.wrap = saved[3]


# What Paragraph.wrap and the line breaking it calls set on the paragraph, and nothing else.
_WRAPPED = (
    "width",
    "height",
    "_wrapWidths",
    "blPara",
    "_width_max",
    "_splitLongWordCount",
    "_hyphenations",
)


def _measured_once(wrap):
    def measured(self, avail_width, avail_height):
        # The lines depend on the width, the words (frags) and the style alone.
        key = (avail_width, id(self.frags), id(self.style))
        seen = self.__dict__.get("_briefbook_wrapped")
        if seen is not None and seen[0] == key:
            self.__dict__.update(seen[1])
            return self.width, self.height
        size = wrap(self, avail_width, avail_height)
        if "blPara" in self.__dict__ and self.width == avail_width:  # not "cannot fit"
            self._briefbook_wrapped = (
                key,
                {k: self.__dict__[k] for k in _WRAPPED if k in self.__dict__},
            )
        return size

    return measured


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, corrected: characters beyond U+FFFF as UTF-16 surrogate
    pairs, at most 100 entries per block (as the CMap format asks), and no entry for the
    codes a subset leaves unused (ReportLab maps them to U+0000, no character: PDF/UA
    refuses it)."""
    entries = [
        f"<{i:02X}> <{chr(cp).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for i, cp in enumerate(subset)
        if cp != 0
    ]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
