"""The consent PDF: the exact text that was signed, the ticks, the signatures, and on
every page the consent id, template version, page x of y, content hash and a QR code.

Input is a `ConsentPdfInput` (the frozen record and the clinic's letterhead), output the
PDF's bytes. Every piece of user text goes through `escape`, so a patient called
`<font color="red">A & B</font>` is printed exactly so.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from clinic_desk.documents.consent_signatures import MEANING_LABELS as MEANING_LABELS
from clinic_desk.documents.consent_signatures import signature_flowables
from clinic_desk.documents.consent_signatures import signed_time as signed_time
from clinic_desk.documents.document_info import INFO_CONSENT_ID, INFO_CONTENT_HASH, qr_payload
from clinic_desk.documents.pdf_base import (
    ACCENT,
    FONT,
    FONT_BOLD,
    INK,
    MARGIN,
    MUTED,
    RULE,
    TINT,
    DocumentInfo,
    Letterhead,
    Styles,
    build_pdf,
    content_width,
    escape,
    fit_text,
    letterhead_flowable,
    page_size,
    plain,
    styles,
)
from clinic_desk.documents.pdf_flowables import (
    Band,
    CachedParagraph,
    Gap,
    KeptWithNext,
)
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_record import (
    ConsentRecord,
    ConsentStatus,
    LinkKind,
)
from clinic_desk.domain.consent_text import BulletList, ConsentSection
from clinic_desk.domain.dates import DateFormat, format_date

LINK_LABELS = {
    LinkKind.WITHDRAWS: "This record withdraws consent no. {id}.",
    LinkKind.SUPERSEDES: "This record supersedes consent no. {id}.",
    LinkKind.CORRECTS: "This record corrects consent no. {id}.",
}
LINK_TITLES = {
    LinkKind.WITHDRAWS: "Withdrawal.",
    LinkKind.SUPERSEDES: "New version.",
    LinkKind.CORRECTS: "Correction.",
}
TICKED, NOT_TICKED = "☑", "☐"
QR_SIZE = 21 * mm
QR_MASK = 0
QR_LEVEL = qrencoder.QRErrorCorrectLevel.M
FOOTER_TOP = MARGIN + QR_SIZE + 3.5 * mm  # the footer's rule, above the QR code


@dataclass(frozen=True, slots=True)
class ConsentPdfInput:
    record: ConsentRecord
    letterhead: Letterhead
    paper_size: PaperSize
    date_format: DateFormat
    language: str = "en"


def consent_pdf(data: ConsentPdfInput) -> bytes:
    record, st = data.record, styles()
    content_hash = record.content_hash()
    width = content_width(data.paper_size)
    story: list[Flowable] = [letterhead_flowable(data.letterhead, width), Gap(1, 8)]
    story += _title(data, st)
    story.append(_patient_box(data, width, st))
    story += _status_notes(record, st, width)
    for section in record.text.sections:
        story += _section(section, set(record.acknowledged), width, st)
    story += signature_flowables(data.record.signatures, data.date_format, width, st)
    info = DocumentInfo(
        title=record.text.title,
        author=data.letterhead.clinic_name,
        subject=f"Consent no. {record.consent_id} for {record.patient.full_name}: "
        f"{record.template_key} version {record.template_version}",
        language=data.language,
        keywords=(f"consent {record.consent_id}", f"sha256 {content_hash}"),
        extra={INFO_CONSENT_ID: str(record.consent_id), INFO_CONTENT_HASH: content_hash},
    )
    footer = _Footer(data, content_hash)
    return build_pdf(
        story,
        paper=data.paper_size,
        info=info,
        decorate=footer.draw,
        top_margin=MARGIN + 4 * mm,
        bottom_margin=FOOTER_TOP + 5 * mm,
    )


def _title(data: ConsentPdfInput, st: Styles) -> list[Flowable]:
    r = data.record
    signed = r.signed_at_utc
    when = ""
    if signed is not None:
        zone = ZoneInfo(r.signatures[0].time_zone)
        verb = "declined" if r.status is ConsentStatus.DECLINED else "signed"
        if any(link.kind is LinkKind.WITHDRAWS for link in r.links):
            verb = "withdrawn"
        when = f" · {verb} on {format_date(signed.astimezone(zone).date(), data.date_format)}"
    return [
        plain(r.text.title, st.title),
        plain(f"Consent no. {r.consent_id} · form “{r.template_key}”, version "
              f"{r.template_version}{when}", st.subtitle),
    ]


def _patient_box(data: ConsentPdfInput, width: float, st: Styles) -> Flowable:
    p = data.record.patient
    born = "not recorded" if p.date_of_birth is None else format_date(
        p.date_of_birth, data.date_format)
    cells = [
        ("Patient", p.full_name), ("Date of birth", born), ("Patient number", p.patient_number)
    ]
    return Band(
        [[plain(label.upper(), st.label) for label, _ in cells],
         [plain(value, st.value) for _, value in cells]],
        [width * 0.56, width * 0.22, width * 0.22],
        side_padding=8, tops=[7, 0], bottoms=[3, 8], background=TINT,
        rule_before=(2.5, ACCENT),
    )


def _notice(text: str, width: float, st: Styles, *, strong: bool) -> Flowable:
    """The text in a box: a strong black one for a refusal or withdrawal, a light one for
    a link to an earlier record."""
    return Band([[CachedParagraph(text, st.body)]], [width], side_padding=9, tops=[6],
                bottoms=[2], box=(1.4, INK) if strong else (0.8, RULE))


def _status_notes(record: ConsentRecord, st: Styles, width: float) -> list[Flowable]:
    notes: list[Flowable] = []
    reason = escape(record.reason or "")
    withdraws = any(link.kind is LinkKind.WITHDRAWS for link in record.links)
    if record.status is ConsentStatus.DECLINED and withdraws:
        notes.append(_notice(
            f"<b>✕ Consent withdrawn.</b> The patient withdrew the consent they had given "
            f"on this form. Reason given: {reason}", width, st, strong=True))
    elif record.status is ConsentStatus.DECLINED:
        notes.append(_notice(
            f"<b>✕ Declined.</b> The patient read this form and declined the treatment. "
            f"Reason given: {reason}", width, st, strong=True))
    for link in record.links:
        text = escape(LINK_LABELS[link.kind].format(id=link.consent_id))
        if record.reason and record.status is ConsentStatus.SIGNED:
            text += f" Reason: {reason}"
        notes.append(_notice(f"<b>{LINK_TITLES[link.kind]}</b> {text}", width, st,
                             strong=False))
    return [item for note in notes for item in (Gap(1, 8), note)]


def _section(
    section: ConsentSection, ticked: set[str], width: float, st: Styles
) -> list[Flowable]:
    out: list[Flowable] = [plain(section.heading, st.heading)]
    for block in section.blocks:
        if isinstance(block, BulletList):
            out += [plain(item, st.bullet, mark="•")
                    for item in block.items]
            out.append(Gap(1, 3))
        else:
            out.append(plain(block.text, st.body))
    if section.acknowledgements:
        out.append(Gap(1, 4))
        out += [
            plain(ack.text, st.acknowledgement, mark=TICKED if ack.key in ticked else NOT_TICKED)
            for ack in section.acknowledgements
        ]
    return [KeptWithNext(out[0], out[1]), *out[2:]] if len(out) > 1 else out


def qr_dark_runs(text: str, level: int, mask: int) -> tuple[int, list[tuple[int, int, int]]]:
    """ReportLab's own QR encoder, with one fixed mask pattern instead of its trial of
    all eight for the lowest penalty (any mask is valid for every reader, and the trial
    costs more than the rest of the footer). Returns the module count and the runs of
    dark modules in each row as (column, row from the bottom, length)."""
    code = qrencoder.QRCode(None, level)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, mask)
    count: int = code.moduleCount
    runs: list[tuple[int, int, int]] = []
    for index, row in enumerate(code.modules):
        bottom = count - 1 - index
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                runs.append((start, bottom, column - start))
            else:
                column += 1
    return count, runs


def draw_qr(canvas: Canvas, text: str, size: float) -> None:
    """A QR code (error correction M) as one filled path, its lower-left corner at the
    origin: one rectangle per run of dark modules in a row, in module units scaled to
    the size, whole numbers written straight into the page. The tests read the printed
    code back at 100 and 150 dpi."""
    count, runs = qr_dark_runs(text, QR_LEVEL, QR_MASK)
    canvas.saveState()
    canvas.scale(size / count, size / count)
    canvas.setFillColor(INK)
    canvas.addLiteral(" ".join([f"{column} {row} {length} 1 re"
                                for column, row, length in runs]) + " f*")
    canvas.restoreState()


class _Footer:
    """Draws the running header (from page 2) and the footer on every page."""

    def __init__(self, data: ConsentPdfInput, content_hash: str) -> None:
        self.data = data
        self.content_hash = content_hash
        self.footer_ready = False
        self.header_ready = False

    def _footer_form(self, canvas: Canvas) -> None:
        """Everything in the footer but the page number, drawn once per document as a
        form that every page reuses: the rule, the QR code, the consent number, form
        version, content hash and the note (the text is laid out once, not per page)."""
        if self.footer_ready:
            return
        r = self.data.record
        page_width, _ = page_size(self.data.paper_size)
        left, right = MARGIN, page_width - MARGIN
        canvas.beginForm("consent_footer", 0, 0, page_width, FOOTER_TOP + 1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, FOOTER_TOP, right, FOOTER_TOP)
        canvas.saveState()
        canvas.translate(left, MARGIN)
        draw_qr(canvas, qr_payload(r.consent_id, self.content_hash), QR_SIZE)
        canvas.restoreState()
        x = left + QR_SIZE + 5 * mm
        y = MARGIN + QR_SIZE - 8
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(x, y, f"Consent no. {r.consent_id}")
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(x, y - 12, f"Form “{r.template_key}”, version {r.template_version}")
        canvas.drawString(x, y - 23, "Content hash (SHA-256):")
        canvas.setFont(FONT, 6.9)
        canvas.setFillColor(INK)
        canvas.drawString(x, y - 33, self.content_hash)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 6.5)
        canvas.drawString(x, y - 45, "Digitally signed by the clinic. The hash and the QR code "
                                     "identify the signed record held by the clinic.")
        canvas.endForm()
        self.footer_ready = True

    def _header_form(self, canvas: Canvas) -> None:
        """The running header of pages 2 onwards, drawn once per document as a form."""
        if self.header_ready:
            return
        r = self.data.record
        page_width, page_height = page_size(self.data.paper_size)
        left, right = MARGIN, page_width - MARGIN
        canvas.beginForm("consent_header", 0, page_height - MARGIN - 4, page_width,
                         page_height)
        header = f"{self.data.letterhead.clinic_name} · {r.text.title} · {r.patient.full_name}"
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, page_height - MARGIN + 2,
                          fit_text(header, FONT, 7.5, right - left))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, page_height - MARGIN - 3, right, page_height - MARGIN - 3)
        canvas.endForm()
        self.header_ready = True

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        page_width, _ = page_size(self.data.paper_size)
        canvas.saveState()
        if page > 1:
            self._header_form(canvas)
            canvas.doForm("consent_header")
        self._footer_form(canvas)
        canvas.doForm("consent_footer")
        canvas.setFillColor(INK)
        canvas.setFont(FONT, 8.5)
        canvas.drawRightString(page_width - MARGIN, MARGIN + QR_SIZE - 8,
                               f"Page {page} of {pages}")
        canvas.restoreState()
