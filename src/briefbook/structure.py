"""Turn the structure tagging.py recorded while the pages were drawn into the PDF's structure
tree: a StructTreeRoot holding the Document element and its kids in reading order, each
marked-content id referenced from its element, each link annotation held by a Link element
(the one whose words it covers, or one of its own), and the ParentTree that leads from a
page's content (and an annotation) back to its element.

A book of a thousand mayors has some thirty thousand elements. Passed through the PDF
library they would cost more than all the rest of the PDF/A and PDF/UA work together (it
reads, numbers and rewrites each), so the work is split in two:

- `tie_structure`, during the library's pass: the pages and annotations get their keys into
  the ParentTree, and the catalog a StructTreeRoot that is a placeholder for now;
- `with_tree`, on the file the library wrote: the elements as PDF text, packed into
  compressed object streams and appended as an update of the file (the placeholder's number
  redefined as the real root, a cross-reference stream whose /Prev is the file's own).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

from briefbook.tagging import Element, Structure, settle_headings

PER_STREAM = 200  # elements an object stream holds: a reader inflates one to read one


@dataclass(frozen=True)
class Keys:
    """The ParentTree keys of the link annotations, (page index, annotation index) -> key,
    after the pages' own (a page's key is its index)."""

    of: dict[tuple[int, int], int]
    next: int


def tie_structure(doc, structure: Structure) -> Keys:
    """Give the pages and annotations of `doc` (an open pikepdf.Pdf whose pages the
    structure was recorded on) their keys, and the catalog a placeholder StructTreeRoot."""
    import pikepdf

    pages = list(doc.pages)
    annots = [list(page.obj.get("/Annots") or []) for page in pages]
    keys: dict[tuple[int, int], int] = {}
    for page, n in _links(structure.root):
        if n < len(annots[page]):  # not a link ReportLab left out
            keys[page, n] = len(pages) + len(keys)
    for index, page in enumerate(pages):
        page.obj.StructParents = index
    for (page, n), key in keys.items():
        annots[page][n].StructParent = key
    doc.Root.StructTreeRoot = doc.make_indirect(pikepdf.Dictionary())
    return Keys(keys, len(pages) + len(keys))


def _links(element: Element):
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _links(kid)
        elif kid[0] == "link":
            yield kid[1], kid[2]


def with_tree(pdf: bytes, structure: Structure, keys: Keys) -> bytes:
    """`pdf` (what the library wrote after `tie_structure`) with the tree appended."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = [page.obj.objgen[0] for page in doc.pages]
        annots = [[a.objgen[0] for a in page.obj.get("/Annots") or []] for page in doc.pages]
        tree = doc.Root.StructTreeRoot.objgen[0]
        trailer = {
            key: doc.trailer[key].objgen[0] for key in ("/Root", "/Info") if key in doc.trailer
        }
        ids = [bytes(part).hex() for part in doc.trailer.get("/ID", [])]
        first = int(doc.trailer.Size)
    settle_headings(structure.root)
    previous = int(re.findall(rb"startxref\s+(\d+)", pdf[-1024:])[-1])
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    del pdf
    writer = _Writer(first, pages, annots, keys, out)
    document = writer.element(structure.root, tree)
    writer.finish(tree, document)
    return writer.appended(previous, trailer, ids)


class _Writer:
    """The tree's objects as PDF text, numbered from `first`, written to `out` (which holds
    the file so far) an object stream at a time: a large tree is never held whole."""

    def __init__(
        self, first: int, pages: list[int], annots: list[list[int]], keys: Keys, out: io.BytesIO
    ):
        self.next = first
        self.pages, self.annots, self.keys, self.out = pages, annots, keys, out
        self.objects = _Objects(self)
        self.by_mcid: dict[int, dict[int, int]] = {}  # page index -> mcid -> element number
        self.held: dict[int, int] = {}  # parent-tree key -> the Link element holding it

    def number(self) -> int:
        self.next += 1
        return self.next - 1

    def element(self, element: Element, parent: int) -> int:
        num = self.number()
        on = {kid[0] for kid in element.kids if type(kid) is tuple and kid[0] != "link"}
        # All on one page: the page named once, the content by bare marked-content ids.
        one_page = on.pop() if len(on) == 1 else None
        kids: list[str] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(f"{self.element(kid, num)} 0 R")
            elif kid[0] == "link":
                kids.extend(self._link(kid[1], kid[2], element, num))
            else:
                page, mcid = kid
                self.by_mcid.setdefault(page, {})[mcid] = num
                if page == one_page:
                    kids.append(str(mcid))
                else:
                    kids.append(f"<</Type/MCR/Pg {self.pages[page]} 0 R/MCID {mcid}>>")
        parts = [f"<</Type/StructElem/S/{element.role}/P {parent} 0 R"]
        if one_page is not None:
            parts.append(f"/Pg {self.pages[one_page]} 0 R")
        if kids:
            parts.append(f"/K[{' '.join(kids)}]")
        if element.alt:
            parts.append(f"/Alt{_text(element.alt)}")
        if element.actual:
            parts.append(f"/ActualText{_text(element.actual)}")
        if element.attributes:
            pairs = "".join(f"/{k}/{v}" for k, v in element.attributes.items())
            parts.append(f"/A<<{pairs}>>")
        parts.append(">>")
        self.objects.append((num, "".join(parts)))
        return num

    def _link(self, page: int, n: int, element: Element, num: int) -> list[str]:
        """The kid that holds the n-th annotation of `page`: the annotation itself when
        `element` is a Link, else a Link element of its own."""
        key = self.keys.of.get((page, n))
        if key is None:
            return []  # a link ReportLab did not keep
        objr = f"<</Type/OBJR/Obj {self.annots[page][n]} 0 R/Pg {self.pages[page]} 0 R>>"
        if element.role == "Link":  # the link's words and the annotation together
            self.held[key] = num
            return [objr]
        holder = self.number()
        self.objects.append((holder, f"<</Type/StructElem/S/Link/P {num} 0 R/K[{objr}]>>"))
        self.held[key] = holder
        return [f"{holder} 0 R"]

    def finish(self, tree: int, document: int) -> None:
        nums = []
        for index in range(len(self.pages)):
            found = self.by_mcid.get(index, {})
            array = self.number()
            refs = " ".join(f"{found[m]} 0 R" for m in sorted(found))
            self.objects.append((array, f"[{refs}]"))
            nums.append(f"{index} {array} 0 R")
        nums += [f"{key} {self.held[key]} 0 R" for key in sorted(self.held)]
        parent_tree = self.number()
        self.objects.append((parent_tree, f"<</Nums[{' '.join(nums)}]>>"))
        self.objects.append(
            (
                tree,
                f"<</Type/StructTreeRoot/K[{document} 0 R]/ParentTree {parent_tree} 0 R"
                f"/ParentTreeNextKey {self.keys.next}>>",
            )
        )

    def appended(self, previous: int, trailer: dict[str, int], ids: list[str]) -> bytes:
        """The file with the update: the last object stream, and a cross-reference stream
        whose /Prev is the section the file had (at `previous`)."""
        self.objects.flush()
        out, where = self.out, self.objects.where
        xref = self.number()
        where[xref] = (1, out.tell(), 0)
        rows, index = [], []
        for num in sorted(where):
            if index and index[-1][0] + index[-1][1] == num:
                index[-1][1] += 1
            else:
                index.append([num, 1])
            kind, second, third = where[num]
            rows.append(bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big"))
        pointers = "".join(f"/{key[1:]} {num} 0 R" for key, num in trailer.items())
        ident = f"/ID[<{ids[0]}><{ids[1]}>]" if len(ids) == 2 else ""
        spans = " ".join(f"{a} {b}" for a, b in index)
        _stream(
            out,
            xref,
            f"/Type/XRef/Size {self.next}/W[1 4 2]/Index[{spans}]{pointers}{ident}/Prev {previous}",
            b"".join(rows),
        )
        out.write(f"startxref\n{where[xref][1]}\n%%EOF\n".encode("ascii"))
        return out.getvalue()


class _Objects:
    """Objects gathered into object streams of PER_STREAM, each written out when full."""

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.chunk: list[tuple[int, str]] = []
        self.where: dict[int, tuple[int, int, int]] = {}  # object -> (type, field 2, field 3)

    def append(self, item: tuple[int, str]) -> None:
        self.chunk.append(item)
        if len(self.chunk) == PER_STREAM:
            self.flush()

    def flush(self) -> None:
        if not self.chunk:
            return
        out, stream = self.writer.out, self.writer.number()
        bodies, header, offset = [], [], 0
        for index, (num, body) in enumerate(self.chunk):
            data = body.encode("latin-1") + b"\n"
            header.append(f"{num} {offset}")
            bodies.append(data)
            offset += len(data)
            self.where[num] = (2, stream, index)
        head = (" ".join(header) + "\n").encode("ascii")
        self.where[stream] = (1, out.tell(), 0)
        entries = f"/Type/ObjStm/N {len(self.chunk)}/First {len(head)}"
        _stream(out, stream, entries, head + b"".join(bodies))
        self.chunk = []


def _stream(out: io.BytesIO, num: int, entries: str, data: bytes) -> None:
    """A compressed stream object; its data ends in CR LF before `endstream`, whatever its
    last byte, as PDF/A wants."""
    packed = zlib.compress(data, 6)
    out.write(f"{num} 0 obj\n<<{entries}/Filter/FlateDecode/Length {len(packed)}>>\n".encode())
    out.write(b"stream\r\n" + packed + b"\r\nendstream\nendobj\n")


def _text(words: str) -> str:
    """A PDF text string: PDFDocEncoding where it can say the words, else UTF-16BE, written
    as a literal string with its bytes outside printable ASCII as octal escapes."""
    import pikepdf  # noqa: F401  (registers the pdfdoc codec)

    try:
        data = words.encode("pdfdoc")
    except UnicodeEncodeError:
        data = b"\xfe\xff" + words.encode("utf-16-be")
    out = []
    for byte in data:
        if byte in (0x28, 0x29, 0x5C):  # ( ) \
            out.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"
