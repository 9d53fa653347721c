"""Turn a page kind's name into the module that composes it: the registry of page kinds.

Each takes (what the render step produced for it, its entry of the layout's `pages:`, the
kit) and returns flowables; a kind that repeats per mayor also names the style its body
text is set in, which `fit: page` sets no smaller than the entry's min_size.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from briefbook.compose import contents, cover, digest, glance, mayor, titled
from briefbook.compose.kit import Kit
from briefbook.views import Setting, View

Kind = Callable[[View, Setting, Kit], list[Flowable]]

KINDS: dict[str, Kind] = {
    "cover": cover.compose,
    "contents": contents.compose,
    "statement": titled.compose,
    "ask": titled.compose,
    "glance": glance.compose,
    "mayor": mayor.compose,
    "back": titled.compose,
    "masthead": titled.compose,
    "digest": digest.compose,
    "contact": titled.compose,
}
BODY_STYLES = {"mayor": mayor.BODY_STYLE, "digest": digest.BODY_STYLE}
