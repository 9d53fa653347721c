"""Turn short items (paragraphs, or boxes that keep together) into two columns: on a page that
the items overfill, the left column is filled and then the right, as in a newspaper; the last
page's items are balanced between the two. Each item is measured once per width."""

from __future__ import annotations

from reportlab.platypus import Flowable

Sizes = list[tuple[float, float, float]]  # per item: space before, height, space after


class Columns(Flowable):
    def __init__(self, items: list[Flowable], gap: float, cut: int | None = None):
        super().__init__()
        self.items, self.gap = items, gap
        self.cut = cut  # how many items the left column holds; None: balance them
        self._measured: tuple[float, Sizes] | None = None

    def _sizes(self, avail_width: float) -> Sizes:
        if self._measured is None or self._measured[0] != avail_width:
            width = (avail_width - self.gap) / 2
            sizes = []
            for item in self.items:
                _, h = item.wrap(width, 1_000_000)
                sizes.append((item.getSpaceBefore(), h, item.getSpaceAfter()))
            self._measured = (avail_width, sizes)
        return self._measured[1]

    def wrap(self, avail_width, avail_height):
        sizes = self._sizes(avail_width)
        cut = self._balanced(sizes) if self.cut is None else self.cut
        self.width = avail_width
        self.height = max(_column(sizes[:cut]), _column(sizes[cut:]), 0)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        sizes = self._sizes(avail_width)
        left = _filling(sizes, avail_height)
        right = left + _filling(sizes[left:], avail_height)
        if right == 0 or right >= len(sizes):
            return []
        return [
            Columns(self.items[:right], self.gap, cut=left),
            Columns(self.items[right:], self.gap),
        ]

    def draw(self):
        sizes = self._sizes(self.width)
        cut = self._balanced(sizes) if self.cut is None else self.cut
        column = (self.width - self.gap) / 2
        for x, items, sized in (
            (0.0, self.items[:cut], sizes[:cut]),
            (column + self.gap, self.items[cut:], sizes[cut:]),
        ):
            y = self.height
            for n, (item, (before, h, after)) in enumerate(zip(items, sized, strict=True)):
                if n:
                    y -= before
                item.wrap(column, 1_000_000)
                item.drawOn(self.canv, x, y - h)
                y -= h + after

    @staticmethod
    def _balanced(sizes: Sizes) -> int:
        """How many items go in the left column: the cut that evens the two out, and of
        cuts that do it equally well the one with more on the left, where reading starts
        (one item alone stands in the left column, not the right)."""
        n, totals = len(sizes), _prefix(sizes)
        return min(
            range(n + 1),
            key=lambda cut: (
                max(_span(sizes, 0, cut, totals), _span(sizes, cut, n, totals)),
                -cut,
            ),
        )


def _prefix(sizes: Sizes) -> list[float]:
    totals = [0.0]
    for before, h, after in sizes:
        totals.append(totals[-1] + before + h + after)
    return totals


def _span(sizes: Sizes, start: int, end: int, totals: list[float] | None = None) -> float:
    """The height of items start..end stacked in a column: no space above the first or
    below the last."""
    if end <= start:
        return 0.0
    totals = totals or _prefix(sizes)
    return totals[end] - totals[start] - sizes[start][0] - sizes[end - 1][2]


def _column(sizes: Sizes) -> float:
    return _span(sizes, 0, len(sizes))


def _filling(sizes: Sizes, height: float) -> int:
    """How many of the items fit one under another in a column `height` tall."""
    totals = _prefix(sizes)
    count = 0
    while count < len(sizes) and _span(sizes, 0, count + 1, totals) <= height:
        count += 1
    return count
