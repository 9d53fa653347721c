"""Read a PDF's structure tree as a screen reader meets it, with libraries the project did not
write: pdfminer.six gives the words inside each marked-content sequence (and what is drawn
as an Artifact), pikepdf the tree of elements that own them."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pdfminer.pdfdevice import TagExtractor
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage


class _Marked(TagExtractor):
    """The words drawn inside each (page, MCID), and inside Artifact sequences."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr, io.BytesIO())
        self.words: dict[tuple[int, int], str] = {}
        self.artifacts: dict[int, str] = {}
        self.untagged: dict[int, str] = {}
        self._open: list[tuple[str, int | None]] = []

    def begin_tag(self, tag, props=None):
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self._open.append((tag.name, mcid))

    def end_tag(self):
        self._open.pop()

    def begin_page(self, page, ctm):
        pass

    def end_page(self, page):
        self.pageno += 1

    def _write(self, text: str) -> None:
        text = html.unescape(text)  # TagExtractor writes the words escaped, as for XML
        if not self._open:
            self.untagged[self.pageno] = self.untagged.get(self.pageno, "") + text
            return
        name, mcid = self._open[-1]
        if name == "Artifact":
            self.artifacts[self.pageno] = self.artifacts.get(self.pageno, "") + text
        elif mcid is not None:
            key = (self.pageno, mcid)
            self.words[key] = self.words.get(key, "") + text


@dataclass
class Node:
    role: str
    text: str  # its actual text, or the words of its own marked content
    alt: str = ""
    kids: list[Node] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    links: int = 0  # link annotations it holds (through Link elements)
    scope: str = ""  # a table header cell's: "Column" or "Row"

    def roles(self) -> list[str]:
        return [kid.role for kid in self.kids]


@dataclass
class Tree:
    root: Node
    artifacts: dict[int, str]  # page index -> the words drawn as artifacts
    untagged: dict[int, str]  # page index -> words drawn outside any marked content

    def walk(self) -> list[Node]:
        out: list[Node] = []

        def visit(node: Node) -> None:
            out.append(node)
            for kid in node.kids:
                visit(kid)

        visit(self.root)
        return out


def read_tree(path: Path) -> Tree:
    manager = PDFResourceManager()
    device = _Marked(manager)
    interpreter = PDFPageInterpreter(manager, device)
    with path.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        document = pdf.Root.StructTreeRoot.K[0]
        root = _node(document, pages, device.words)
    return Tree(root, device.artifacts, device.untagged)


def _node(element, pages: dict, words: dict) -> Node:
    node = Node(str(element.S)[1:], "", str(element.get("/Alt", "")))
    node.scope = str(element.get("/A", {}).get("/Scope", ""))[1:]
    own = []
    k = element.get("/K")
    kids = [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]
    for kid in kids:
        if isinstance(kid, int):  # a marked-content id on the element's own page (/Pg)
            page = pages[element.Pg.objgen]
            node.pages.add(page)
            own.append(words.get((page, kid), ""))
        elif kid.get("/Type") == "/MCR":
            page = pages[kid.Pg.objgen]
            node.pages.add(page)
            own.append(words.get((page, int(kid.MCID)), ""))
        elif kid.get("/Type") == "/OBJR":
            node.links += 1
        else:
            node.kids.append(_node(kid, pages, words))
    actual = element.get("/ActualText")
    node.text = " ".join((str(actual) if actual is not None else "".join(own)).split())
    return node
