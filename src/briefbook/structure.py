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
from collections.abc import Iterator
from dataclasses import dataclass

from briefbook.tagging import Element, Structure, settle_headings

PER_STREAM = 500  # elements an object stream holds: a reader inflates one to read one


@dataclass(frozen=True)
class Keys:
    """The ParentTree keys of the link annotations, (page index, annotation index) -> key,
    after the pages' own (a page's key is its index)."""

    of: dict[tuple[int, int], int]
    next: int
    pages: int


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
    return Keys(keys, len(pages) + len(keys), len(pages))


def _links(element: Element):
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _links(kid)
        elif kid[0] == "link":
            yield kid[1], kid[2]


def with_tree(pdf: bytes, structure: Structure, keys: Keys) -> bytes:
    """`pdf` (what the library wrote after `tie_structure`) with the tree appended."""
    found = numbers_of(pdf, keys.pages)
    if found is None:  # not laid out as qpdf writes it: ask the library
        found = _numbers_by_library(pdf)
    pages, annots, tree, trailer, ids, first = found
    settle_headings(structure.root)
    previous = int(re.findall(rb"startxref\s+(\d+)", pdf[-1024:])[-1])
    if not pdf.endswith(b"\n"):
        pdf += b"\n"
    writer = _Writer(first, pages, annots, keys, _Tail(len(pdf)))
    document = writer.element(structure.root, tree)
    writer.finish(tree, document)
    update = writer.appended(previous, trailer, ids)
    del writer  # before the file and its update are put together
    return pdf + update


class _Tail(io.BytesIO):
    """What is written after the `base` bytes of a file: its offsets are the file's."""

    def __init__(self, base: int):
        super().__init__()
        self.base = base

    def tell(self) -> int:
        return self.base + super().tell()


Numbers = tuple[list[int], list[list[int]], int, dict[str, int], list[str], int]


def _numbers_by_library(pdf: bytes) -> Numbers:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = [page.obj.objgen[0] for page in doc.pages]
        annots = [[a.objgen[0] for a in page.obj.get("/Annots") or []] for page in doc.pages]
        tree = doc.Root.StructTreeRoot.objgen[0]
        trailer = {
            key: doc.trailer[key].objgen[0] for key in ("/Root", "/Info") if key in doc.trailer
        }
        ids = [bytes(part).hex() for part in doc.trailer.get("/ID", [])]
        return pages, annots, tree, trailer, ids, int(doc.trailer.Size)


_STREAM_HEAD = re.compile(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.DOTALL)
_REF = rb"\s*(\d+) 0 R"


def numbers_of(pdf: bytes, count: int) -> Numbers | None:
    """What with_tree needs of the file qpdf wrote, read without parsing the document:
    the object numbers of its `count` pages (each found by the StructParents key
    tie_structure gave it, its index) and of their annotations, of the StructTreeRoot
    placeholder, the trailer's references, ID and Size. Reading the whole file back through
    the library took as much memory as writing it. None if the file is not the shape
    expected (one cross-reference stream, its objects in object streams): then the caller
    asks the library."""
    try:
        at = int(re.findall(rb"startxref\s+(\d+)", pdf[-1024:])[-1])
        head = _STREAM_HEAD.match(pdf, at)
        entries = head[1]
        if b"/Prev" in entries or b"/Type /XRef" not in entries:
            return None
        size = int(re.search(rb"/Size (\d+)", entries)[1])
        trailer = {
            f"/{key}": int(found[1])
            for key in ("Root", "Info")
            if (found := re.search(rb"/" + key.encode() + _REF, entries))
        }
        ids = [i.decode() for i in re.findall(rb"<([0-9a-fA-F]+)>", entries.split(b"/ID", 1)[1])]
        streams = _object_streams(pdf, head, entries)
        pages: list[int | None] = [None] * count
        annots: list[list[int]] = [[] for _ in range(count)]
        tree = None
        for offset in streams:
            for num, text in _objects_in(pdf, offset):
                if num == trailer["/Root"]:
                    tree = int(re.search(rb"/StructTreeRoot" + _REF, text)[1])
                if b"/Type /Page " in text or text.endswith(b"/Type /Page >>"):
                    index = int(re.search(rb"/StructParents (\d+)", text)[1])
                    if pages[index] is not None:
                        return None
                    pages[index] = num
                    listed = re.search(rb"/Annots \[([^\]]*)\]", text)
                    refs = listed[1] if listed else b""
                    annots[index] = [int(n) for n in re.findall(rb"(\d+) 0 R", refs)]
                    if b"/Annots" in text and listed is None:
                        return None  # an array held elsewhere: not what ReportLab writes
        if None in pages or tree is None or len(ids) != 2:
            return None
        return pages, annots, tree, trailer, ids, size
    except (IndexError, TypeError, ValueError, KeyError, zlib.error):
        return None


def _object_streams(pdf: bytes, head: re.Match, entries: bytes) -> list[int]:
    """The offsets of the object streams, from the cross-reference stream (whose rows
    qpdf writes with the PNG Up predictor)."""
    widths = [int(w) for w in re.search(rb"/W \[([^\]]*)\]", entries)[1].split()]
    length = int(re.search(rb"/Length (\d+)", entries)[1])
    data = zlib.decompress(pdf[head.end() : head.end() + length])
    row = sum(widths)
    predictor = re.search(rb"/Predictor (\d+)", entries)
    if predictor is not None:
        if int(predictor[1]) < 10:
            raise ValueError("not a PNG predictor")
        rows, previous = [], bytes(row)
        for start in range(0, len(data), row + 1):
            kind, raw = data[start], data[start + 1 : start + 1 + row]
            if kind == 2:
                raw = bytes((a + b) & 0xFF for a, b in zip(raw, previous, strict=True))
            elif kind != 0:
                raise ValueError("a PNG filter other than Up")
            rows.append(raw)
            previous = raw
        data = b"".join(rows)
    index = re.search(rb"/Index \[([^\]]*)\]", entries)
    spans = [int(n) for n in index[1].split()] if index else [0, len(data) // row]
    numbers = [
        num
        for start, n in zip(spans[::2], spans[1::2], strict=True)
        for num in range(start, start + n)
    ]
    rows = []
    for i, num in enumerate(numbers):
        cut, values, k = data[i * row : (i + 1) * row], [], 0
        for w in widths:
            values.append(int.from_bytes(cut[k : k + w], "big") if w else 1)
            k += w
        rows.append((num, values))
    streams = {values[1] for _, values in rows if values[0] == 2}
    return sorted(values[1] for num, values in rows if values[0] == 1 and num in streams)


def _objects_in(pdf: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """(number, text) of each object in the object stream at `offset`."""
    head = _STREAM_HEAD.match(pdf, offset)
    entries = head[1]
    length = int(re.search(rb"/Length (\d+)", entries)[1])
    first = int(re.search(rb"/First (\d+)", entries)[1])
    data = zlib.decompress(pdf[head.end() : head.end() + length])
    pairs = [int(n) for n in data[:first].split()]
    starts = [*pairs[1::2], len(data) - first]
    for i, num in enumerate(pairs[::2]):
        yield num, data[first + starts[i] : first + starts[i + 1]].strip()


class _Writer:
    """The tree's objects as PDF text, numbered from `first`, written to `out` (the update,
    whose offsets count from the file's end) an object stream at a time: a large tree is
    never held whole as text."""

    def __init__(
        self, first: int, pages: list[int], annots: list[list[int]], keys: Keys, out: _Tail
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
        parts = [f"<</S/{element.role}/P {parent} 0 R"]
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
        self.objects.append((holder, f"<</S/Link/P {num} 0 R/K[{objr}]>>"))
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
        """The update: the last object stream, and a cross-reference stream whose /Prev is
        the section the file had (at `previous`)."""
        self.objects.flush()
        out, where = self.out, self.objects.where
        xref, at = self.number(), out.tell()
        where[xref] = _row(1, at, 0)
        rows, index = [], []
        for num in sorted(where):
            if index and index[-1][0] + index[-1][1] == num:
                index[-1][1] += 1
            else:
                index.append([num, 1])
            rows.append(where[num])
        pointers = "".join(f"/{key[1:]} {num} 0 R" for key, num in trailer.items())
        ident = f"/ID[<{ids[0]}><{ids[1]}>]" if len(ids) == 2 else ""
        spans = " ".join(f"{a} {b}" for a, b in index)
        entries = f"/Type/XRef/Size {self.next}/W[1 4 2]/Index[{spans}]{pointers}{ident}"
        predicted = f"/DecodeParms<</Predictor 12/Columns {_ROW}>>"
        _stream(out, xref, f"{entries}/Prev {previous}{predicted}", _up(rows))
        out.write(f"startxref\n{at}\n%%EOF\n".encode("ascii"))
        return out.getvalue()


class _Objects:
    """Objects gathered into object streams of PER_STREAM, each written out when full."""

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.chunk: list[tuple[int, str]] = []
        self.where: dict[int, bytes] = {}  # object -> its cross-reference row (see _row)

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
            self.where[num] = _row(2, stream, index)
        head = (" ".join(header) + "\n").encode("ascii")
        self.where[stream] = _row(1, out.tell(), 0)
        entries = f"/Type/ObjStm/N {len(self.chunk)}/First {len(head)}"
        _stream(out, stream, entries, head + b"".join(bodies))
        self.chunk = []


_ROW = 7  # bytes of a cross-reference row, /W [1 4 2]


def _up(rows: list[bytes]) -> bytes:
    """The rows under the PNG Up predictor (each byte less the one above it): the rows of
    consecutive objects in one object stream differ in a byte or two, so what is left is
    mostly zeros, which compress to almost nothing."""
    out, above = [], bytes(_ROW)
    for row in rows:
        out.append(b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, above, strict=True)))
        above = row
    return b"".join(out)


def _row(kind: int, second: int, third: int) -> bytes:
    """A cross-reference stream's row, /W [1 4 2]: kept packed, seven bytes an object."""
    return bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big")


def _stream(out: io.BytesIO, num: int, entries: str, data: bytes) -> None:
    """A compressed stream object; its data ends in CR LF before `endstream`, whatever its
    last byte, as PDF/A wants."""
    packed = zlib.compress(data, 9)
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
