"""The aftercare sheet looks the same in poppler (what most PDF readers and printers use
on Linux) and in QtPdf (the in-app preview): every page, rendered by both, compared."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from clinic_desk.catalogue_treatment import aftercare_template, protocol
from clinic_desk.documents.pdf_base import Letterhead
from clinic_desk.documents.sheet_pdf import SheetFact, SheetPdfInput, sheet_pdf
from clinic_desk.domain.aftercare import TreatmentDone, compose_aftercare
from clinic_desk.domain.clinic_profile import PaperSize
from tests.documents.pdf_text import page_images
from tests.gui.pdf_support import difference, render_page

WIDTH = 400


def poppler_page(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull()
    return image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation).convertToFormat(
        QImage.Format.Format_Grayscale8)


def test_poppler_and_qtpdf_draw_the_same_pages() -> None:
    sheet = compose_aftercare(aftercare_template(), TreatmentDone(("scalp", "cheeks"), True),
                              protocol(), clinic_phone="+48 42 630 00 00",
                              next_appointment="Monday 4 January 2027 at 10:00")
    pdf = sheet_pdf(SheetPdfInput(
        sheet, Letterhead("Klinika Łódź", "ul. Piotrkowska 104", "+48 42 630 00 00"),
        "Zoë Ångström-Müller", (SheetFact("Treated on", "30/11/2026"),), PaperSize.A4))
    poppler = [poppler_page(p) for p in page_images(pdf, dpi=96)]
    assert len(poppler) == 2
    for number, image in enumerate(poppler):
        qtpdf = render_page(pdf, number, WIDTH)
        same = difference(image, qtpdf, 50)
        assert same < 3, (number, same)
    # And the comparison tells pages apart: page 1 against page 2 differs plainly.
    assert difference(poppler[0], render_page(pdf, 1, WIDTH), 50) > 10
