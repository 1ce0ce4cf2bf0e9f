"""Building blocks shared by every printed document: the embedded Unicode font, page size,
styles, letterhead, metadata, escaping of user text, and a "page x of y" footer.

ReportLab is imported here and only in `clinic_desk.documents`; importing this module
costs about as much as importing ReportLab, so callers import it when they print.
Fonts and styles are built once per process, not per document.
"""

from __future__ import annotations

import copy
import io
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.paraparser import ParaParser

from clinic_desk.documents.pdf_flowables import Band, CachedParagraph, MarkedParagraph
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.shipped import resource_root

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
PRODUCER = "Clinic Desk"

# One calm palette for everything printed; black-and-white printers keep the contrast.
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#55606c")
ACCENT = colors.HexColor("#1f5f66")
RULE = colors.HexColor("#c5d0d3")
TINT = colors.HexColor("#f1f5f5")

MARGIN = 18 * mm


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The clinic as printed at the top of its documents."""

    clinic_name: str
    address: str
    phone: str

    @classmethod
    def of(cls, details: ClinicDetails) -> Letterhead:
        return cls(details.name, details.address, details.phone)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a PDF reader shows under Document Properties; `extra` adds custom entries
    to the document information dictionary (names without the leading slash)."""

    title: str
    author: str
    subject: str
    language: str = "en"
    keywords: Sequence[str] = ()
    extra: Mapping[str, str] = field(default_factory=dict)


@cache
def register_fonts() -> None:
    """DejaVu Sans (regular and bold) from resources/fonts, embedded as subsets."""
    fonts = resource_root().joinpath("fonts")
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(fonts.joinpath(file).read_bytes())))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


def page_size(paper: PaperSize) -> tuple[float, float]:
    size = LETTER if PaperSize(paper) is PaperSize.LETTER else A4
    return float(size[0]), float(size[1])


def escape(text: str) -> str:
    """User text made safe for a platypus Paragraph: printed literally, line breaks kept."""
    return "<br/>".join(_xml_escape(line) for line in text.split("\n"))


def plain(text: str, style: ParagraphStyle, *, mark: str | None = None) -> CachedParagraph:
    """A paragraph of plain text (user or template words, no markup), printed literally
    in the style; with `mark`, a MarkedParagraph (a bullet or tick box before it).

    Platypus reads every paragraph's text as markup, through an HTML parser that makes
    one styled fragment per run of text. Text on one line has one run whatever it says,
    so that fragment is made here directly: the one the parser makes for the style,
    holding the text as the parser would (`cleanBlockQuotedText` strips the ends). The
    words are never read as markup, so `<b>` or `&amp;` in a name print as typed. Text
    over several lines goes through `escape` and the parser, which keeps the breaks."""
    line = text.strip()
    frags = None
    if "\n" not in text and line:
        frag = copy.copy(_style_fragment(style))
        frag.text = line
        frags = [frag]
    markup = line if frags is not None else escape(text)
    if mark is None:
        return CachedParagraph(markup, style, frags=frags)
    return MarkedParagraph(markup, style, mark, frags=frags)


_FRAGMENTS: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()


def _style_fragment(style: ParagraphStyle) -> Any:
    """The fragment platypus's parser makes for a run of text in this style (its font,
    size, colour and the rest), parsed once per style while the style lives."""
    found = _FRAGMENTS.get(style)
    if found is None:
        _, frags, _ = ParaParser().parse("x", style)
        found = _FRAGMENTS[style] = frags[0]
    return found


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    clinic: ParagraphStyle
    clinic_details: ParagraphStyle
    acknowledgement: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14.2, textColor=INK,
                          alignment=TA_LEFT, spaceAfter=5)
    return Styles(
        body=body,
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3,
                              spaceAfter=2.5, bulletFontName=FONT, bulletColor=ACCENT),
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=MUTED,
                             spaceAfter=0),
        label=ParagraphStyle("label", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED,
                             spaceAfter=1),
        value=ParagraphStyle("value", parent=body, fontName=FONT_BOLD, fontSize=10.5,
                             leading=13.5, spaceAfter=0),
        heading=ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=12,
                               leading=15, textColor=ACCENT, spaceBefore=11, spaceAfter=5,
                               keepWithNext=1),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18,
                             leading=22, spaceBefore=4, spaceAfter=3),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=9, leading=12,
                                textColor=MUTED, spaceAfter=10),
        clinic=ParagraphStyle("clinic", parent=body, fontName=FONT_BOLD, fontSize=15,
                              leading=19, textColor=ACCENT, spaceAfter=0),
        clinic_details=ParagraphStyle("clinic_details", parent=body, fontSize=8.5,
                                      leading=11, textColor=MUTED, alignment=TA_RIGHT,
                                      spaceAfter=0),
        # A tinted band from the left edge, the box glyph in the accent colour: a Paragraph
        # rather than a Table, which costs several times as much to lay out.
        acknowledgement=ParagraphStyle(
            "acknowledgement", parent=body, leftIndent=25, rightIndent=7, bulletIndent=6,
            bulletFontName=FONT, bulletFontSize=13, bulletColor=ACCENT, bulletOffsetY=1,
            backColor=TINT, borderPadding=(4, 7, 3, 25), spaceBefore=0, spaceAfter=8),
    )


def letterhead_flowable(letterhead: Letterhead, width: float) -> Flowable:
    """Clinic name on the left, address and phone on the right, an accent rule beneath."""
    st = styles()
    details = escape(letterhead.address.strip()) + "<br/>" + escape(letterhead.phone)
    return Band(
        [[plain(letterhead.clinic_name, st.clinic),
          CachedParagraph(details, st.clinic_details)]],
        [width * 0.58, width * 0.42],
        side_padding=0, tops=[3], bottoms=[8], rule_below_first=(1.2, ACCENT),
    )


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    commands: Sequence[tuple[Any, ...]],
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A platypus Table in the document font (a Table otherwise sets Helvetica, which
    would then be listed, unembedded, among the PDF's fonts)."""
    made = Table(rows, colWidths=list(col_widths), rowHeights=row_heights)
    made.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return made


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis so that it fits the width on one line."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


PageDecorator = Callable[[Canvas, int, int], None]
"""Draws on a finished page: (canvas, page number from 1, page count)."""


class _InfoWithExtras(pdfdoc.PDFInfo):  # type: ignore[misc]
    extra: Mapping[str, str] = {}

    def format(self, document: Any) -> bytes:
        # Mirrors PDFInfo.format, plus the custom entries.
        entries: dict[str, Any] = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "Trapped": pdfdoc.PDFName(self.trapped),
        }
        entries["CreationDate"] = entries["ModDate"] = pdfdoc.PDFDate(
            ts=document._timeStamp, dateFormatter=self._dateFormatter
        )
        for name, value in self.extra.items():
            entries[name] = pdfdoc.PDFString(value)
        return pdfdoc.PDFDictionary(entries).format(document)  # type: ignore[no-any-return]


def _canvas_class(decorate: PageDecorator, extra: Mapping[str, str]) -> type[Canvas]:
    """A canvas that holds each page back until the page count is known, then lets
    `decorate` draw on it (the "page x of y" pattern)."""

    class DecoratedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            info = _InfoWithExtras()
            info.extra = dict(extra)
            self._doc.info = info
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, count)
                Canvas.showPage(self)
            Canvas.save(self)

    return DecoratedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    paper: PaperSize,
    info: DocumentInfo,
    decorate: PageDecorator,
    top_margin: float = MARGIN,
    bottom_margin: float = MARGIN,
    side_margin: float = MARGIN,
) -> bytes:
    """Lay out the story and return the PDF's bytes."""
    register_fonts()
    out = io.BytesIO()
    width, height = page_size(paper)
    # No frame padding: text, tables and the footer share the same left and right edges.
    frame = Frame(side_margin, bottom_margin, width - 2 * side_margin,
                  height - top_margin - bottom_margin,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    document = BaseDocTemplate(
        out,
        pagesize=(width, height),
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
        leftMargin=side_margin,
        rightMargin=side_margin,
        topMargin=top_margin,
        bottomMargin=bottom_margin,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=", ".join(info.keywords),
        creator=PRODUCER,
        producer=PRODUCER,
        displayDocTitle=True,
        lang=info.language,
        initialFontName=FONT,
    )
    document.build(story, canvasmaker=_canvas_class(decorate, info.extra))
    return out.getvalue()


def content_width(paper: PaperSize, side_margin: float = MARGIN) -> float:
    return page_size(paper)[0] - 2 * float(side_margin)
