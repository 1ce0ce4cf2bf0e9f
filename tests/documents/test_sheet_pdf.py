"""The aftercare and pre-care PDFs: what is on them, in what order, how large, on how
many pages, and that the printed words are the patient's and the clinic's exactly."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from clinic_desk.catalogue_treatment import aftercare_template, precare_template, protocol
from clinic_desk.documents.pdf_base import Letterhead
from clinic_desk.documents.sheet_pdf import SheetFact, SheetPdfInput, sheet_pdf
from clinic_desk.domain.aftercare import Sheet, TreatmentDone, compose_aftercare, compose_precare
from clinic_desk.domain.clinic_profile import PaperSize
from tests.documents.pdf_text import page_images, page_texts, pdffonts

CLINIC = Letterhead("Klinika Łódź — Skóra & Zdrowie", "ul. Piotrkowska 104\n90-001 Łódź",
                    "+48 42 630 00 00")
PATIENT = "Zoë Ångström-Müller Ferreira de la Fuente"
NEXT = "Monday 4 January 2027 at 10:00"
EVERY_ADDITION = ("around_eyes", "scalp", "abdomen", "cheeks")


def aftercare(*areas: str, rf: bool) -> Sheet:
    return compose_aftercare(aftercare_template(), TreatmentDone(areas, rf), protocol(),
                             clinic_phone=CLINIC.phone, next_appointment=NEXT)


def render(sheet: Sheet, *, patient: str = PATIENT, paper: PaperSize = PaperSize.A4) -> bytes:
    facts = (SheetFact("Treated on", "Monday 30 November 2026"),
             SheetFact("Areas", "Cheeks, Forehead"))
    return sheet_pdf(SheetPdfInput(sheet, CLINIC, patient, facts, paper))


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


def sized_runs(pdf: bytes) -> Iterator[tuple[str, float]]:
    """Every run of text with the size it is printed at (font size times the text
    matrix's vertical scale)."""
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float, runs: list[tuple[str, float]] = runs) -> None:
            if text.strip():
                runs.append((text.strip(), size * abs(tm[3]) * abs(cm[3] or 1)))

        page.extract_text(visitor_text=visit)
        yield from runs


@pytest.mark.parametrize("paper", [PaperSize.A4, PaperSize.LETTER])
def test_the_longest_aftercare_fits_two_pages(paper: PaperSize) -> None:
    pdf = render(aftercare(*EVERY_ADDITION, rf=True), paper=paper)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    width = float(pages[0].mediabox.width)
    assert round(width) == (595 if paper is PaperSize.A4 else 612)


def test_pre_care_fits_two_pages() -> None:
    sheet = compose_precare(precare_template(), protocol(), uses_rf=True, areas=("scalp",),
                            clinic_phone=CLINIC.phone)
    assert len(page_texts(render(sheet))) <= 2


def test_the_phases_come_in_time_order_with_their_instructions() -> None:
    text = flat(render(aftercare("cheeks", rf=False)))
    labels = ["THE FIRST 24 HOURS", "THE FIRST 48 HOURS", "THE FIRST WEEK",
              "THE FIRST TWO WEEKS", "UP TO TWO MONTHS"]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert text.index("Keep out of direct sunlight for at least 48 hours") > positions[1]
    assert text.index("broad-spectrum sunscreen") > positions[3]


def test_rf_and_area_additions_print_only_when_they_apply() -> None:
    plain = flat(render(aftercare("cheeks", rf=False)))
    full = flat(render(aftercare(*EVERY_ADDITION, rf=True)))
    for heading in ("After radiofrequency", "Around the eyes", "Your scalp today",
                    "Treated body areas"):
        assert heading not in plain
        assert heading in full


def test_patient_clinic_next_appointment_and_phone_are_printed() -> None:
    pdf = render(aftercare("cheeks", rf=False))
    text = flat(pdf)
    assert PATIENT in text
    assert "Monday 30 November 2026" in text
    assert f"Your next appointment: {NEXT}." in text
    assert "Clinic: +48 42 630 00 00" in text
    # The phone and the page count on every page, for a sheet found loose in a bag.
    pages = page_texts(pdf)
    for number, page in enumerate(pages, start=1):
        assert "Klinika Łódź — Skóra & Zdrowie · +48 42 630 00 00" in page
        assert f"Aftercare sheet, version 1 · page {number} of {len(pages)}" in page


def test_the_warning_signs_come_before_the_timeline() -> None:
    text = flat(render(aftercare("cheeks", rf=True)))
    assert text.index("Call the clinic if") < text.index("THE FIRST 24 HOURS")
    assert "a spot turns white, grey or dark" in text


def test_body_text_is_at_least_eleven_points() -> None:
    runs = list(sized_runs(render(aftercare(*EVERY_ADDITION, rf=True))))
    body = [size for text, size in runs if "Keep out of direct sunlight" in text
            or "Do not touch, scratch or pick" in text]
    assert body and min(body) >= 11
    # Only labels, the letterhead's address and the footer are smaller.
    small = {text for text, size in runs if size < 11}
    assert not any("Keep" in text or "Wash" in text for text in small)


def test_markup_in_a_name_prints_literally() -> None:
    name = '<font color="red">A & B</font>'
    assert name in flat(render(aftercare("cheeks", rf=False), patient=name))


def test_fonts_are_embedded_and_metadata_set() -> None:
    pdf = render(aftercare("cheeks", rf=False))
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Looking after your skin after microneedling"
    assert meta.author == CLINIC.clinic_name
    assert meta.subject == f"Aftercare sheet for {PATIENT}"
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject)
    assert str(catalog["/Lang"]) == "en"


def test_the_same_sheet_renders_to_the_same_pages() -> None:
    sheet = aftercare("scalp", rf=True)
    first, second = page_images(render(sheet), dpi=40), page_images(render(sheet), dpi=40)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
