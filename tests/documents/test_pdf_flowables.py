"""The light flowables place and draw what the platypus pieces they replace would:
the same positions, the same pixels."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from clinic_desk.documents.consent_signatures import PICTURE_HEIGHT, _InkFlowable
from clinic_desk.documents.pdf_base import (
    INK,
    RULE,
    DocumentInfo,
    build_pdf,
    content_width,
    styles,
    table,
)
from clinic_desk.documents.pdf_flowables import Band, Gap
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.signature import InkDevice, InkPoint, InkStroke, SignatureInk
from tests.documents.pdf_text import page_images

INFO = DocumentInfo(title="t", author="a", subject="s")


def _page_streams(story: list[Flowable]) -> list[bytes]:
    pdf = build_pdf(story, paper=PaperSize.A4, info=INFO,
                    decorate=lambda canvas, page, pages: None)
    streams = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        content = page.get_contents()
        assert content is not None
        streams.append(content.get_data())
    return streams


def test_a_gap_lays_out_like_a_spacer_and_writes_nothing() -> None:
    body = styles().body

    def story(space: type[Spacer]) -> list[Flowable]:
        out: list[Flowable] = []
        for index in range(40):  # pages: the gaps also decide where the page breaks
            out += [Paragraph(f"Paragraph {index} " * 12, body), space(1, 9 + index % 5)]
        return out

    with_spacers, with_gaps = _page_streams(story(Spacer)), _page_streams(story(Gap))
    assert len(with_gaps) == len(with_spacers) >= 2
    empty = re.compile(rb"q\n1 0 0 1 [-\d.]+ [-\d.]+ cm\nQ\n")
    for spacers, gaps in zip(with_spacers, with_gaps, strict=True):
        assert len(empty.findall(spacers)) >= 5
        assert not empty.findall(gaps)
        assert empty.sub(b"", spacers) == gaps  # every paragraph at the same place


def test_ink_is_drawn_where_its_points_fall_in_the_box() -> None:
    """The pad's y axis points down; on the page the first point of a stroke near the
    pad's top-left corner lands near the box's top-left corner, scaled to fit."""
    ink = SignatureInk(
        strokes=(InkStroke((InkPoint(10.0, 20.0, 0), InkPoint(590.5, 180.25, 8))),),
        width=600, height=200, device=InkDevice.MOUSE, pressure_reported=False,
    )
    flowable = _InkFlowable(ink, 300.0, PICTURE_HEIGHT)
    scale = min(300 / 600, PICTURE_HEIGHT / 200)
    assert flowable.wrap(300, 1000) == (600 * scale, 200 * scale)
    canvas = Canvas(io.BytesIO())
    flowable.drawOn(canvas, 0, 0)
    code = " ".join(canvas._code)
    matrix = re.search(
        r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) cm(?!.* cm)", code)
    assert matrix is not None
    a, b, c, d, e, f = (float(v) for v in matrix.groups())
    points = [tuple(float(v) for v in found) for found in
              re.findall(r"([-\d.]+) ([-\d.]+) [ml]\b", code)]
    page = [(a * x + c * y + e, b * x + d * y + f) for x, y in points]
    expected = [(10 * scale, (200 - 20) * scale), (590.5 * scale, (200 - 180.25) * scale)]
    assert [tuple(round(v, 3) for v in p) for p in page] == [
        tuple(round(v, 3) for v in p) for p in expected]
    line_width = re.search(r"([-\d.]+) w", code)
    assert line_width is not None
    width = float(line_width.group(1))
    assert round(width * a, 3) == 1.3  # 1.3 pt on the page, whatever the scale


def _pixels(story: list[Flowable]) -> bytes:
    from PIL import Image

    pdf = build_pdf(story, paper=PaperSize.A4, info=INFO,
                    decorate=lambda canvas, page, pages: None)
    [page] = page_images(pdf, dpi=150)
    with Image.open(page) as picture:
        return picture.convert("RGB").tobytes()


def test_a_boxed_band_prints_like_the_one_cell_table_it_replaces() -> None:
    """The consent's notices (declined, withdrawn, a link to an earlier record)."""
    st = styles()
    text = ("<b>✕ Consent withdrawn.</b> The patient withdrew the consent they had given "
            "on this form. Reason given: Zoë Ångström-Müller Ferreira changed her mind " * 2)
    width = content_width(PaperSize.A4)  # the frame's: a narrower Table would be centred
    for weight, colour in ((1.4, INK), (0.8, RULE)):
        as_table = table([[Paragraph(text, st.body)]], [width], [
            ("BOX", (0, 0), (-1, -1), weight, colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
        as_band = Band([[Paragraph(text, st.body)]], [width], side_padding=9, tops=[6],
                       bottoms=[2], box=(weight, colour))
        assert _pixels([as_band]) == _pixels([as_table])
        assert _pixels([as_band]) != _pixels([Paragraph(text, st.body)])
