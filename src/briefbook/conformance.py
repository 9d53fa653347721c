"""Turn the PDF ReportLab wrote into one that says what it is, for archives and for assistive
technology: the catalog's language, viewer preferences and tagging flag, XMP metadata that
repeats the document information and names PDF/A-2b and PDF/UA-1, an sRGB output intent,
printable annotations that describe themselves, and the structure tree tagging.py recorded.

One pass with pikepdf (qpdf underneath) over the finished bytes; the same bytes in give the
same bytes out, on any machine and any day.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

if TYPE_CHECKING:
    from briefbook.tagging import Structure

# Annotation flag 3, Print: PDF/A wants every annotation printed as it is shown.
PRINT = 4


@dataclass(frozen=True)
class Metadata:
    """What the document says of itself besides its words: its document information, and
    the language its words are in."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    creator: str
    language: str = "en-US"


def conforming(
    chunks: list[bytes],
    meta: Metadata,
    places: Mapping[int | str, str],
    structure: Structure | None = None,
) -> bytes:
    """The PDF ReportLab wrote (in `chunks`) with the catalog, metadata, output intent,
    annotations and fonts PDF/A-2b and PDF/UA-1 ask for. `places` names the parts of the
    book (by page number, from 1, the first part to start there; and by anchor key), for the
    links that go to them. With the `structure` the drawing recorded, the structure tree too.

    The chunks are taken (the list is left empty), so that no copy of the file as ReportLab
    wrote it is held while it is written again: a large book's peak memory is here."""
    import pikepdf

    pdf = b"".join(chunks)
    chunks.clear()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        root.Lang = pikepdf.String(meta.language)
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        root.PageMode = pikepdf.Name.UseOutlines
        info = doc.docinfo
        dates = (str(info.get("/CreationDate", "")), str(info.get("/ModDate", "")))
        producer = str(info.get("/Producer", ""))
        root.Metadata = doc.make_stream(
            # Only a book with a structure tree may claim PDF/UA-1.
            xmp(meta, producer, *(_xmp_date(d) for d in dates), structure is not None).encode(
                "utf-8"
            ),
            Type=pikepdf.Name.Metadata,
            Subtype=pikepdf.Name.XML,
        )
        root.OutputIntents = pikepdf.Array([_output_intent(doc)])
        pages = {page.obj.objgen: n for n, page in enumerate(doc.pages, start=1)}
        for page in doc.pages:
            annots = page.obj.get("/Annots")
            if annots:
                page.obj.Tabs = pikepdf.Name.S
                for annot in annots:
                    _describe(annot, pages, places)
        keys = None
        if structure is not None:
            from briefbook.structure import tie_structure

            keys = tie_structure(doc, structure)
        out = io.BytesIO()
        doc.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    del doc, pdf  # closed, and read: neither is needed again
    pdf = _unambiguous_ends(out.getvalue())
    del out
    if keys is None:
        return pdf
    from briefbook.structure import with_tree

    return with_tree(pdf, structure, keys)


def _unambiguous_ends(pdf: bytes) -> bytes:
    """qpdf ends every stream's data with LF before `endstream`. Compressed data whose last
    byte is CR (one stream in 256: the last bytes are a checksum) then reads as if CR LF
    were the end-of-line marker, and the data one byte shorter than its /Length, which
    PDF/A checkers refuse. A lone CR is an end-of-line marker too, and the same length:
    written so, nothing else in the file moves."""
    return pdf.replace(b"\r\nendstream", b"\r\rendstream")


def _describe(annot, pages: dict, places: Mapping[int | str, str]) -> None:
    """Printed, and with words for what it does (a screen reader reads /Contents)."""
    import pikepdf

    annot.F = PRINT
    if str(annot.get("/Contents", "")).strip():
        return
    action = annot.get("/A")
    target = annot.get("/Dest")
    if action is not None and action.get("/S") == pikepdf.Name.URI:
        words = f"Link to {action.URI}"
    else:
        if action is not None and action.get("/S") == pikepdf.Name.GoTo:
            target = action.D
        words = "Go to " + _place(target, pages, places)
    annot.Contents = pikepdf.String(words)


def _place(target, pages: dict, places: Mapping[int | str, str]) -> str:
    """What a link inside the book goes to: the part that starts on its page (ReportLab
    writes the destination as [page /XYZ ...]), or the named destination's part."""
    import pikepdf

    if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in pages:
        number = pages[target[0].objgen]
        return places.get(number, f"page {number}")
    return places.get(str(target), "another page of the book")


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by Little CMS (through Pillow), the same bytes each time:
    Little CMS dates a profile it makes to the second, so the header's date (bytes 24 to
    35) is set to a fixed one. Its profile ID is left zero ("not computed"), which the date
    would otherwise be part of."""
    import struct

    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
    assert not any(profile[84:100]), "a profile ID would cover the date"
    return bytes(profile)


def _output_intent(doc):
    import pikepdf

    profile = doc.make_stream(srgb_profile(), N=3)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=profile,
    )


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-Z])?(\d{2})?'?(\d{2})?")


def _xmp_date(value: str) -> str:
    """D:20261203070338+00'00' -> 2026-12-03T07:03:38+00:00."""
    found = _PDF_DATE.match(value)
    if found is None:
        return ""
    y, mo, d, h, mi, s, sign, zh, zm = found.groups()
    zone = "Z" if sign in (None, "Z") else f"{sign}{zh or '00'}:{zm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def xmp(meta: Metadata, producer: str, created: str, modified: str, accessible: bool) -> str:
    """The XMP packet: the document information again (PDF/A wants the two to agree), the
    PDF/A and PDF/UA identification, and the extension schema that declares pdfuaid (PDF/A
    admits only schemas it knows or that the packet declares): the last two only for a
    book that is `accessible`."""

    def x(text: str) -> str:
        return xml_escape(text, {'"': "&quot;"})

    lang = x(meta.language)
    dates = ""
    if created:
        dates += f"\n   <xmp:CreateDate>{created}</xmp:CreateDate>"
        dates += f"\n   <xmp:MetadataDate>{modified or created}</xmp:MetadataDate>"
    if modified:
        dates += f"\n   <xmp:ModifyDate>{modified}</xmp:ModifyDate>"
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt>
    <rdf:li xml:lang="x-default">{x(meta.title)}</rdf:li>
   </rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{x(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{x(meta.subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{x(", ".join(meta.keywords))}</pdf:Keywords>
   <pdf:Producer>{x(producer)}</pdf:Producer>
   <xmp:CreatorTool>{x(meta.creator)}</xmp:CreatorTool>{dates}
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>{_ua_identification() if accessible else ""}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _ua_identification() -> str:
    return """
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>The part of PDF/UA followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>"""
