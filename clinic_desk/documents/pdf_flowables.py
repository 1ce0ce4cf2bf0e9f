"""Light flowables shared by the printed documents: what a platypus Table, KeepTogether
or Spacer draws, without their general layout work (the consent PDF's time is measured against a
bare ReportLab document with the same text).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from reportlab.lib.geomutils import normalizeTRBL
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer


class CachedParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width: platypus wraps a paragraph again
    and again for the same width (a heading kept with the next paragraph, table cells,
    KeepTogether), and each wrap breaks every line anew. The same lines, the same page."""

    _last_wrap: tuple[float, object, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        last = self._last_wrap
        if last is not None and last[0] == availWidth and last[1] is getattr(self, "blPara", None):
            return self.width, last[2]
        width, height = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, self.blPara, height)
        return width, height


class Gap(Spacer):  # type: ignore[misc]
    """Vertical space laid out exactly as a Spacer, without the empty save, move and
    restore that platypus writes into the page for every flowable it places."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        return


class Band(Flowable):  # type: ignore[misc]
    """Rows of flowables in fixed columns, each cell top-aligned: what a simple platypus
    Table draws (background, a rule before the first column, a rule below the first row,
    a box around it all), without its general layout work. `tops`/`bottoms` are each
    row's cell padding."""

    def __init__(
        self,
        rows: Sequence[Sequence[Flowable]],
        col_widths: Sequence[float],
        *,
        side_padding: float,
        tops: Sequence[float],
        bottoms: Sequence[float],
        background: Any = None,
        rule_before: tuple[float, Any] | None = None,
        rule_below_first: tuple[float, Any] | None = None,
        box: tuple[float, Any] | None = None,
    ) -> None:
        super().__init__()
        self.rows, self.col_widths = rows, col_widths
        self.side_padding, self.tops, self.bottoms = side_padding, tops, bottoms
        self.background = background
        self.rule_before, self.rule_below_first = rule_before, rule_below_first
        self.box = box
        self.width = float(sum(col_widths))
        self.row_heights: list[float] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        self.row_heights = [
            max(cell.wrapOn(canvas, width - 2 * self.side_padding, 72000)[1]
                for cell, width in zip(row, self.col_widths, strict=True)) + top + bottom
            for row, top, bottom in zip(self.rows, self.tops, self.bottoms, strict=True)
        ]
        self.height = sum(self.row_heights)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.background is not None:
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        row_top = self.height
        for row, top, height in zip(self.rows, self.tops, self.row_heights, strict=True):
            x = 0.0
            for cell, width in zip(row, self.col_widths, strict=True):
                cell.drawOn(canvas, x + self.side_padding, row_top - top - cell.height)
                x += width
            row_top -= height
        canvas.saveState()
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        if self.rule_below_first is not None:
            weight, colour = self.rule_below_first
            y = self.height - self.row_heights[0]
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(weight)
            canvas.line(0, y, self.width, y)
        if self.rule_before is not None:
            weight, colour = self.rule_before
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(weight)
            canvas.line(0, 0, 0, self.height)
        if self.box is not None:  # in a Table's order: top, bottom, left, right
            weight, colour = self.box
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(weight)
            canvas.line(0, self.height, self.width, self.height)
            canvas.line(0, 0, self.width, 0)
            canvas.line(0, 0, 0, self.height)
            canvas.line(self.width, 0, self.width, self.height)
        canvas.restoreState()


class KeptWithNext(Flowable):  # type: ignore[misc]
    """A heading and the block after it, on the same page: what a `keepWithNext` style
    gets from platypus (a KeepTogether, which copies the frame and lays the pair out
    twice), placed the way the frame would place the two one after the other."""

    def __init__(self, first: Flowable, following: Flowable) -> None:
        super().__init__()
        self.first, self.following = first, following
        self.gap = 0.0

    def getSpaceBefore(self) -> float:
        return float(self.first.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.following.getSpaceAfter())

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        _, first = self.first.wrapOn(canvas, available_width, available_height)
        _, following = self.following.wrapOn(canvas, available_width, available_height)
        after = self.first.getSpaceAfter()  # adjacent spaces overlap, as in a frame
        self.gap = after + max(self.following.getSpaceBefore() - after, 0)
        self.width, self.height = available_width, first + self.gap + following
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return [self.first, self.following]  # taller than a page: let them flow
        return []  # to the next page, together

    def draw(self) -> None:  # in reading order: text extraction follows the stream
        self.first.drawOn(self.canv, 0, self.following.height + self.gap)
        self.following.drawOn(self.canv, 0, 0)


class MarkedParagraph(CachedParagraph):
    """A paragraph with a mark hanging in its left indent (a list bullet, a tick box):
    what a platypus `bulletText` draws, at the same place, in the style's bullet font,
    size, colour and offset, and behind it the style's `backColor` band.

    Platypus sets up a text object, font and colour for every bullet anew; a consent has
    about sixty. Here each mark is drawn once per document into a form (a PDF XObject)
    that every paragraph then places: the same glyph in the page's text, so copying or
    extracting the text still gives "☑ I have read …".

    The band is painted here, before the mark, so the text is laid out and drawn in a copy
    of the style without it (made once per style): the shared style is never changed, as
    PDFs are made on worker threads, possibly two at once."""

    def __init__(self, text: str, style: Any, mark: str, frags: Any = None) -> None:
        super().__init__(text, _without_band(style), frags=frags)
        self.mark = mark
        self.marked_style = style

    def draw(self) -> None:
        canvas, style = self.canv, self.marked_style
        back = style.backColor
        if back is not None:  # the band first, as platypus does, so the mark stays on top
            top, right, bottom, left = normalizeTRBL(style.borderPadding)
            canvas.saveState()
            canvas.setFillColor(back)
            canvas.rect(style.leftIndent - left, -bottom,
                        self.width - style.leftIndent - style.rightIndent + left + right,
                        self.height + top + bottom, stroke=0, fill=1)
            canvas.restoreState()
        name = f"mark-{style.name}-{ord(self.mark):x}"
        if not canvas.hasForm(name):
            size = style.bulletFontSize
            canvas.beginForm(name, -size, -size, 2 * size, 2 * size)
            text = canvas.beginText(0, 0)
            text.setFont(style.bulletFontName, size)
            text.setFillColor(style.bulletColor)
            text.textOut(self.mark + " ")  # the space keeps mark and words apart in copied text
            canvas.drawText(text)
            canvas.endForm()
        # The first line's baseline, as platypus places text and bullet
        # (rl_config.paraFontSizeHeightOffset, on by default).
        para = self.blPara
        first = para if para.kind == 0 else para.lines[0]
        baseline = self.height - first.fontSize + getattr(style, "bulletOffsetY", 0)
        canvas.addLiteral(f"q 1 0 0 1 {style.bulletIndent:.2f} {baseline:.2f} cm")
        canvas.doForm(name)
        canvas.addLiteral("Q")
        super().draw()


_BANDLESS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _without_band(style: Any) -> Any:
    """The style without its background band (the same object when it has none)."""
    if style.backColor is None:
        return style
    found = _BANDLESS.get(style)
    if found is None:
        found = _BANDLESS[style] = ParagraphStyle(f"{style.name} text", parent=style,
                                                  backColor=None)
    return found
