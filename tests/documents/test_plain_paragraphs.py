"""Plain-text paragraphs (`plain`) and marked paragraphs (`MarkedParagraph`) print what
platypus prints for the same words: the same operators in the page where the text is
one run, the same lines otherwise, and the bullet or tick box where `bulletText` puts it."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from clinic_desk.documents.pdf_base import (
    DocumentInfo,
    build_pdf,
    content_width,
    escape,
    plain,
    styles,
)
from clinic_desk.documents.pdf_flowables import MarkedParagraph
from clinic_desk.domain.clinic_profile import PaperSize
from tests.helpers.consent import LONG_NAME, MARKUP_NAME, filled_text

INFO = DocumentInfo(title="t", author="a", subject="s")
WIDTH = content_width(PaperSize.A4)


def _pdf(story: list[Flowable]) -> bytes:
    return build_pdf(story, paper=PaperSize.A4, info=INFO,
                     decorate=lambda canvas, page, pages: None)


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        content = page.get_contents()
        assert content is not None
        out.append(content.get_data())
    return out


def _one_run_texts() -> list[str]:
    """Every paragraph and bullet of the real form, and names with every accent: text
    with no '&', '<' or '>', which the parser keeps as one run."""
    text = filled_text()
    words = [text.title, LONG_NAME, "Øystein Łukasiewicz", "  spaces at both ends  ",
             "Signed 30/11/2026 at 10:41 Europe/Paris time (09:41\u00a0UTC)"]
    for section in text.sections:
        words.append(section.heading)
        for block in section.blocks:
            words += getattr(block, "items", None) or [block.text]  # type: ignore[union-attr]
        words += [ack.text for ack in section.acknowledgements]
    return [w for w in words if not set(w) & set("&<>\n")]


def test_one_run_of_text_prints_exactly_as_the_parser_would() -> None:
    st = styles()
    texts = _one_run_texts()
    assert len(texts) > 60
    chosen = [st.body, st.bullet, st.heading, st.value, st.small, st.title]
    parsed = _pdf([Paragraph(escape(t), chosen[i % 6]) for i, t in enumerate(texts)])
    direct = _pdf([plain(t, chosen[i % 6]) for i, t in enumerate(texts)])
    assert len(_streams(parsed)) >= 3  # several pages: the page breaks fall alike too
    assert _streams(direct) == _streams(parsed)


@pytest.mark.parametrize("text", [MARKUP_NAME, "A & B <b>not bold</b> &amp; C > D",
                                  "Tom &lt;Tommy&gt; O'Brien"])
def test_markup_in_the_words_prints_as_typed(text: str) -> None:
    st = styles()
    para = plain(text, st.value)
    parsed = Paragraph(escape(text), st.value)
    assert para.wrap(120, 1000) == parsed.wrap(120, 1000)  # the same lines
    page = PdfReader(io.BytesIO(_pdf([plain(text, st.value)]))).pages[0].extract_text()
    assert " ".join(page.split()) == text
    assert para.frags[0].fontName == st.value.fontName  # the style's bold, not the text's


def test_text_over_several_lines_keeps_its_breaks() -> None:
    st = styles()
    para = plain("12 Rue de l'Élysée\n75008 Paris", st.body)
    assert para.wrap(WIDTH, 1000)[1] == pytest.approx(2 * st.body.leading)
    page = PdfReader(io.BytesIO(_pdf([para]))).pages[0].extract_text()
    assert page.splitlines() == ["12 Rue de l'Élysée", "75008 Paris"]


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_text_lays_out_as_platypus_would(text: str) -> None:
    st = styles()
    assert plain(text, st.body).wrap(WIDTH, 1000) == Paragraph(text, st.body).wrap(WIDTH, 1000)


def test_each_style_prints_in_its_own_font_size_and_colour() -> None:
    base = styles().body
    red = ParagraphStyle("same name", parent=base, fontSize=14, textColor="#ff0000")
    small = ParagraphStyle("same name", parent=base, fontSize=7, fontName="DejaVuSans-Bold")
    for style in (red, small, red):
        frag = plain("words", style).frags[0]
        assert (frag.fontName, frag.fontSize, frag.textColor) == (
            style.fontName, style.fontSize, style.textColor)
    for size in range(6, 30):  # styles made and dropped one after another
        frag = plain("words", ParagraphStyle("passing", parent=base, fontSize=size)).frags[0]
        assert frag.fontSize == size


def _glyphs(pdf: bytes, wanted: str) -> list[tuple[float, float]]:
    """Where each glyph in `wanted` is drawn on the first page, in page coordinates."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and text.strip()[0] in wanted:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(x, 2), round(y, 2)))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def _placed_forms(pdf: bytes) -> list[tuple[float, float]]:
    """Where each form is placed on the first page: the origin of the graphics state in
    force at each `Do` (a mark's form draws its glyph at its own origin)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    matrix, saved, placed = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2],
                      c * m[1] + d * m[3], e * m[0] + f * m[2] + m[4],
                      e * m[1] + f * m[3] + m[5]]
        elif operator == b"Do":
            placed.append((round(matrix[4], 2), round(matrix[5], 2)))
    return placed


def _items() -> list[str]:
    return [t for t in _one_run_texts() if len(t) > 40][:12]


@pytest.mark.parametrize("kind", ["bullet", "acknowledgement"])
def test_the_mark_sits_where_platypus_puts_a_bullet(kind: str) -> None:
    style = getattr(styles(), kind)
    mark = "•" if kind == "bullet" else "☑"
    ours = _pdf([MarkedParagraph(escape(t), style, mark) for t in _items()])
    theirs = _pdf([Paragraph(escape(t), style, bulletText=mark) for t in _items()])
    assert len(_glyphs(theirs, mark)) == len(_items())
    assert _placed_forms(ours) == _glyphs(theirs, mark)


def test_the_band_behind_a_tick_box_is_the_one_platypus_paints() -> None:
    style = styles().acknowledgement
    rect = re.compile(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re f")
    ours = _pdf([MarkedParagraph(escape(t), style, "☐") for t in _items()])
    theirs = _pdf([Paragraph(escape(t), style, bulletText="☐") for t in _items()])
    bands = rect.findall(_streams(ours)[0])
    assert len(bands) == len(_items())
    assert bands == rect.findall(_streams(theirs)[0])


def test_each_mark_is_drawn_once_per_document_and_placed_everywhere() -> None:
    st = styles()
    story: list[Flowable] = []
    for index, text in enumerate(_items() * 3):
        story.append(MarkedParagraph(escape(text), st.bullet, "•"))
        story.append(MarkedParagraph(escape(text), st.acknowledgement, "☑☐"[index % 2]))
    reader = PdfReader(io.BytesIO(_pdf(story)))
    forms = set()
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]  # type: ignore[index]
        forms |= {xobjects[name].indirect_reference.idnum for name in xobjects}
    assert len(forms) == 3
    text = " ".join(page.extract_text() for page in reader.pages)
    assert text.count("•") == text.count("☑") + text.count("☐") == len(_items()) * 3


def test_drawing_never_changes_the_shared_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The styles are made once per process and PDFs are made on worker threads, possibly
    two at once: a paragraph that changed a style while drawing (even to put it back)
    would change the other PDF's paragraphs."""
    st = styles()
    shared = {id(getattr(st, field.name)) for field in dataclasses.fields(st)}
    written: list[str] = []

    def record(self: ParagraphStyle, name: str, value: object) -> None:
        if id(self) in shared:
            written.append(f"{self.name}.{name}")
        object.__setattr__(self, name, value)

    monkeypatch.setattr(ParagraphStyle, "__setattr__", record)
    _pdf([plain(t, st.acknowledgement, mark="☑") for t in _items()]
         + [plain(t, st.bullet, mark="•") for t in _items()])
    assert written == []
