"""Turn the structure tagging.py recorded while the pages were drawn into the PDF's structure
tree: a StructTreeRoot holding the Document element and its kids in reading order, each
marked-content id referenced from its element, each link annotation held by a Link element
(the one whose words it covers, or one of its own),
and the ParentTree that leads from a page's content (and an annotation) back to its element.
"""

from __future__ import annotations

from briefbook.tagging import Element, Structure, settle_headings


def write_structure(doc, structure: Structure) -> None:
    """Write `structure` into `doc` (an open pikepdf.Pdf whose pages it was recorded on)."""
    import pikepdf

    pages = list(doc.pages)
    tree = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    by_mcid: dict[int, dict[int, object]] = {}  # page index -> mcid -> element object
    parent_tree: list = []
    next_key = len(pages)  # the first keys are the pages', then one per annotation
    annots = [list(page.obj.get("/Annots") or []) for page in pages]

    def made(element: Element, parent) -> object:
        nonlocal next_key
        obj = doc.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + element.role))
        )
        obj.P = parent
        if element.alt:
            obj.Alt = pikepdf.String(element.alt)
        if element.actual:
            obj.ActualText = pikepdf.String(element.actual)
        if element.attributes:
            obj.A = pikepdf.Dictionary(
                {"/" + key: pikepdf.Name("/" + value) for key, value in element.attributes.items()}
            )
        kids = pikepdf.Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(made(kid, obj))
            elif kid[0] == "link":
                _, page, n = kid
                if n >= len(annots[page]):
                    continue  # a link ReportLab did not keep
                annot = annots[page][n]
                objr = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=pages[page].obj)
                if element.role == "Link":  # the link's words and the annotation together
                    link = obj
                    kids.append(objr)
                else:
                    link = doc.make_indirect(
                        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=obj)
                    )
                    link.K = pikepdf.Array([objr])
                    kids.append(link)
                annot.StructParent = next_key
                parent_tree.extend([next_key, link])
                next_key += 1
            else:
                page, mcid = kid
                kids.append(
                    pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[page].obj, MCID=mcid)
                )
                by_mcid.setdefault(page, {})[mcid] = obj
        obj.K = kids
        return obj

    settle_headings(structure.root)
    document = made(structure.root, tree)
    nums = pikepdf.Array()
    for index, page in enumerate(pages):
        page.obj.StructParents = index
        found = by_mcid.get(index, {})
        nums.extend([index, doc.make_indirect(pikepdf.Array([found[m] for m in sorted(found)]))])
    nums.extend(parent_tree)
    tree.K = pikepdf.Array([document])
    tree.ParentTree = doc.make_indirect(pikepdf.Dictionary(Nums=nums))
    tree.ParentTreeNextKey = next_key
    doc.Root.StructTreeRoot = tree
