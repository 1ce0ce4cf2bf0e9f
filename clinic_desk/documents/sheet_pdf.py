"""The aftercare and pre-care sheets as PDFs: a composed `Sheet` in, PDF bytes out.

Large type (11 pt body), the instructions as a timeline (one band per phase, its label
on the left), the "call the clinic" signs in a heavy box that survives a black-and-white
printer, and the clinic's phone number on every page. One page where the text allows,
two at most for the longest combination of additions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer

from clinic_desk.documents.pdf_base import (
    ACCENT,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    RULE,
    TINT,
    DocumentInfo,
    Letterhead,
    build_pdf,
    content_width,
    escape,
    fit_text,
    letterhead_flowable,
    page_size,
    styles,
    table,
)
from clinic_desk.domain.aftercare import PhaseGroup, Sheet, SheetSection
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_text import BulletList

FOOTER_HEIGHT = 8 * mm
# Top and bottom edges a little closer than the consent's: the sheet is read, not signed.
EDGE = 13 * mm
SIDE = 15 * mm
TIMELINE_INDENT = 14
KIND_NAMES = {"aftercare": "Aftercare sheet", "precare": "Pre-care sheet"}


@dataclass(frozen=True, slots=True)
class SheetFact:
    """One labelled value in the box under the title ("Treated on", "Areas")."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SheetPdfInput:
    sheet: Sheet
    letterhead: Letterhead
    patient_name: str
    # Already in the clinic's words and date format: the caller knows the clinic.
    facts: Sequence[SheetFact]
    paper_size: PaperSize
    language: str = "en"


@dataclass(frozen=True, slots=True)
class _SheetStyles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    phase: ParagraphStyle
    alert_heading: ParagraphStyle
    phone: ParagraphStyle
    title: ParagraphStyle

    def indented(self, indent: float) -> _SheetStyles:
        return _indented_styles(self, indent)


def _shifted(style: ParagraphStyle, indent: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_{indent:g}", parent=style,
                          leftIndent=style.leftIndent + indent,
                          bulletIndent=style.bulletIndent + indent)


@cache
def _indented_styles(base: _SheetStyles, indent: float) -> _SheetStyles:
    return _SheetStyles(*(_shifted(getattr(base, f), indent) for f in _SheetStyles.__slots__))


@cache
def _styles() -> _SheetStyles:
    base = styles().body
    body = ParagraphStyle("sheet_body", parent=base, fontSize=11, leading=13.2, spaceAfter=3)
    return _SheetStyles(
        body=body,
        bullet=ParagraphStyle("sheet_bullet", parent=body, leftIndent=13, bulletIndent=2,
                              spaceAfter=1.5, bulletFontName=FONT, bulletColor=ACCENT),
        heading=ParagraphStyle("sheet_heading", parent=body, fontName=FONT_BOLD,
                               fontSize=11.5, leading=14.5, textColor=INK, spaceBefore=1,
                               spaceAfter=1, keepWithNext=1),
        phase=ParagraphStyle("sheet_phase", parent=body, fontName=FONT_BOLD, fontSize=9.5,
                             leading=12, textColor=ACCENT, spaceAfter=1, keepWithNext=1,
                             leftIndent=TIMELINE_INDENT, bulletIndent=0, bulletFontName=FONT,
                             bulletColor=ACCENT, bulletFontSize=10),
        alert_heading=ParagraphStyle("sheet_alert", parent=body, fontName=FONT_BOLD,
                                     fontSize=12.5, leading=16, spaceAfter=3),
        phone=ParagraphStyle("sheet_phone", parent=body, fontName=FONT_BOLD, fontSize=14,
                             leading=18, spaceBefore=3, spaceAfter=0),
        title=ParagraphStyle("sheet_title", parent=styles().title, fontSize=16, leading=19),
    )


def sheet_pdf(data: SheetPdfInput) -> bytes:
    sst = _styles()
    sheet = data.sheet
    width = content_width(data.paper_size, SIDE)
    story: list[Flowable] = [letterhead_flowable(data.letterhead, width), Spacer(1, 4)]
    story.append(Paragraph(escape(sheet.title), sst.title))
    story.append(Spacer(1, 3))
    story.append(_facts_box(data, width))
    story.append(Spacer(1, 6))
    for section in sheet.intro:
        story += _section(section, sst)
    # The warning signs come before the timeline: the one part no patient may miss, and
    # the timeline can then run on to a second page without leaving a gap.
    if sheet.call_the_clinic:
        story.append(Spacer(1, 4))
        story.append(_call_box(sheet.call_the_clinic, data.letterhead.phone, width, sst))
        story.append(Spacer(1, 4))
    story += _timeline(sheet.phases, width, sst)
    for section in sheet.closing:
        story.append(Spacer(1, 4))
        story.append(KeepTogether(_section(section, sst)))
    kind_name = KIND_NAMES.get(sheet.template_kind, sheet.template_kind)
    info = DocumentInfo(
        title=sheet.title,
        author=data.letterhead.clinic_name,
        subject=f"{kind_name} for {data.patient_name}",
        language=data.language,
        keywords=(f"{sheet.template_kind} version {sheet.template_version}",),
    )
    footer = _Footer(data.letterhead, f"{kind_name}, version {sheet.template_version}",
                     data.paper_size)
    return build_pdf(story, paper=data.paper_size, info=info, decorate=footer.draw,
                     top_margin=EDGE, bottom_margin=EDGE + FOOTER_HEIGHT,
                     side_margin=SIDE)


def _facts_box(data: SheetPdfInput, width: float) -> Flowable:
    st = styles()
    cells = [("For", data.patient_name), *((f.label, f.value) for f in data.facts)]
    rows = []
    for index in range(0, len(cells), 2):
        pair = cells[index:index + 2]
        rows.append([
            [Paragraph(escape(label.upper()), st.label), Paragraph(escape(value), st.value)]
            for label, value in pair
        ] + ([""] if len(pair) == 1 else []))
    return table(
        rows,
        [width * 0.5, width * 0.5],
        [
            ("BACKGROUND", (0, 0), (-1, -1), TINT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
        ],
    )


def _blocks(section: SheetSection, sst: _SheetStyles) -> list[Flowable]:
    out: list[Flowable] = []
    for block in section.blocks:
        if isinstance(block, BulletList):
            out += [Paragraph(escape(item), sst.bullet, bulletText="•") for item in block.items]
        else:
            out.append(Paragraph(escape(block.text), sst.body))
    return out


def _section(section: SheetSection, sst: _SheetStyles, indent: float = 0) -> list[Flowable]:
    if indent:
        sst = sst.indented(indent)
    return [Paragraph(escape(section.heading), sst.heading), *_blocks(section, sst)]


def _timeline(phases: Sequence[PhaseGroup], width: float, sst: _SheetStyles) -> list[Flowable]:
    """The phases in order, each marked with a dot in the margin like a time axis, its
    sections indented beneath, a thin rule between phases. Plain flowables rather than a
    table, so a heading is never left alone at the foot of a page."""
    out: list[Flowable] = []
    for number, group in enumerate(phases):
        if number:
            out.append(HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=2,
                                  spaceAfter=3))
        out.append(Paragraph(escape(group.label.upper()), sst.phase, bulletText="●"))
        for section in group.sections:
            out += _section(section, sst, indent=TIMELINE_INDENT)
    return out


def _call_box(
    sections: Sequence[SheetSection], phone: str, width: float, sst: _SheetStyles
) -> Flowable:
    """The warning signs in a heavy black box: it must stand out in black and white."""
    inner: list[Flowable] = []
    for number, section in enumerate(sections):
        style = sst.alert_heading if number == 0 else sst.heading
        inner += [Paragraph("⚠ " + escape(section.heading), style), *_blocks(section, sst)]
    if phone.strip():
        inner.append(Paragraph(escape(f"Clinic: {phone}"), sst.phone))
    box = table(
        [[inner]],
        [width],
        [
            ("BOX", (0, 0), (-1, -1), 1.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    return KeepTogether([box])


class _Footer:
    """On every page: the clinic and its phone on the left, the sheet and page x of y on
    the right, under a thin rule."""

    def __init__(self, letterhead: Letterhead, sheet_name: str, paper: PaperSize) -> None:
        self.left = " · ".join(p for p in (letterhead.clinic_name, letterhead.phone) if p)
        self.sheet_name = sheet_name
        self.width = page_size(paper)[0]

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        y = EDGE + FOOTER_HEIGHT - 3 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(SIDE, y, self.width - SIDE, y)
        right = f"{self.sheet_name} · page {page} of {pages}"
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        right_width = canvas.stringWidth(right, FONT, 8.5)
        canvas.drawRightString(self.width - SIDE, EDGE, right)
        room = self.width - 2 * SIDE - right_width - 6 * mm
        canvas.drawString(SIDE, EDGE, fit_text(self.left, FONT, 8.5, room))
        canvas.restoreState()
