"""The shared PDF building blocks: escaping, page size, "page x of y", metadata."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph

from clinic_desk.documents.pdf_base import (
    FONT,
    DocumentInfo,
    build_pdf,
    escape,
    fit_text,
    page_size,
    styles,
)
from clinic_desk.documents.pdf_flowables import Band, CachedParagraph
from clinic_desk.domain.clinic_profile import PaperSize
from tests.documents.pdf_text import pdffonts

INFO = DocumentInfo(title="Aftercare for Zoë", author="Clinique", subject="Aftercare",
                    language="fr-FR", keywords=("a", "b"), extra={"ClinicDeskTest": "42"})


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ('<font color="red">A & B</font>', '&lt;font color="red"&gt;A &amp; B&lt;/font&gt;'),
        ("line one\nline two", "line one<br/>line two"),
        ("Zoë Ångström", "Zoë Ångström"),
        ("<br/>", "&lt;br/&gt;"),
    ],
)
def test_user_text_is_escaped_for_paragraphs(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_escaped_text_prints_exactly_as_typed() -> None:
    raw = '<b>bold?</b> & <i>x</i> <br/> 5 < 6 > 4'
    pdf = build_pdf([Paragraph(escape(raw), styles().body)], paper=PaperSize.A4, info=INFO,
                    decorate=lambda canvas, page, pages: None)
    assert raw in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_page_sizes() -> None:
    assert tuple(round(v, 2) for v in page_size(PaperSize.A4)) == (595.28, 841.89)
    assert page_size(PaperSize.LETTER) == (612.0, 792.0)


def test_fit_text_cuts_with_an_ellipsis() -> None:
    assert fit_text("short", FONT, 8, 200) == "short"
    cut = fit_text("Zoë Ångström-Müller Ferreira de la Fuente " * 5, FONT, 8, 120)
    assert cut.endswith("…") and len(cut) < 60


def test_every_page_is_decorated_knowing_the_page_count() -> None:
    calls: list[tuple[int, int]] = []

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        calls.append((page, pages))
        canvas.setFont(FONT, 9)
        canvas.drawString(40, 20, f"Page {page} of {pages}")

    story = []
    for n in range(3):
        story += [Paragraph(f"Page body {n}", styles().body), PageBreak()]
    story.pop()
    pdf = build_pdf(story, paper=PaperSize.LETTER, info=INFO, decorate=decorate)
    assert calls == [(1, 3), (2, 3), (3, 3)]
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert [f"Page {n} of 3" in t for n, t in enumerate(texts, 1)] == [True] * 3
    assert [f"Page body {n}" in t for n, t in enumerate(texts)] == [True] * 3


def test_metadata_language_and_custom_entries() -> None:
    pdf = build_pdf([Paragraph("x", styles().body)], paper=PaperSize.A4, info=INFO,
                    decorate=lambda canvas, page, pages: None)
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == ("Aftercare for Zoë", "Clinique", "Aftercare")
    assert str(meta["/ClinicDeskTest"]) == "42" and str(meta["/Keywords"]) == "a, b"
    assert str(meta["/Producer"]) == "Clinic Desk"
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))


def test_a_cached_paragraph_breaks_its_lines_once_per_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Microneedling with radiofrequency, explained in a paragraph long enough " * 6
    plain, cached = Paragraph(text, styles().body), CachedParagraph(text, styles().body)
    calls: list[float] = []
    original = Paragraph.breakLines

    def counting(self: Paragraph, widths: Any) -> Any:
        calls.append(widths[0])
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    for width in (300.0, 300.0, 150.0, 150.0, 300.0):
        assert cached.wrap(width, 1000) == plain.wrap(width, 1000)
        assert len(cached.blPara.lines) == len(plain.blPara.lines)
    # plain: 5 breaks; cached: 300 once, 150 once, 300 again after the width changed
    assert len(calls) == 5 + 3


def test_a_band_lays_out_its_cells_like_the_table_it_replaces() -> None:
    st = styles()
    cells = [Paragraph("Zoë Ångström-Müller Ferreira de la Fuente " * 2, st.value),
             Paragraph("14/03/1987", st.value)]
    band = Band([cells], [200.0, 100.0], side_padding=8, tops=[7], bottoms=[8])
    assert band.wrap(300, 1000) == (300.0, max(c.height for c in cells) + 7 + 8)
    alone = Paragraph("Zoë Ångström-Müller Ferreira de la Fuente " * 2, st.value)
    assert cells[0].height == alone.wrap(200 - 2 * 8, 1000)[1] > st.value.leading
