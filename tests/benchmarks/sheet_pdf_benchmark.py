"""Time to build the aftercare and pre-care sheets as PDFs, beside a bare ReportLab
document with the same words (the floor).

Not part of the test run. Run it with

    python -m tests.benchmarks.sheet_pdf_benchmark [--runs 30]

The aftercare sheet is the longest one (RF, around the eyes, scalp, a body area: two A4
pages); the pre-care sheet is the one for an RF session. The floor is the same words as
plain paragraphs in the same embedded font. Fonts and styles are set up before timing
starts, as they are once per process in the application. Prints medians of CPU time (wall
time in brackets), in milliseconds, and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from functools import partial

from clinic_desk.catalogue_treatment import aftercare_template, precare_template, protocol
from clinic_desk.documents.pdf_base import Letterhead, escape, register_fonts, styles
from clinic_desk.documents.sheet_pdf import SheetFact, SheetPdfInput, sheet_pdf
from clinic_desk.domain.aftercare import Sheet, TreatmentDone, compose_aftercare, compose_precare
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_text import BulletList

CLINIC = Letterhead("Klinika Łódź — Skóra & Zdrowie", "ul. Piotrkowska 104\n90-001 Łódź",
                    "+48 42 630 00 00")
PATIENT = "Zoë Ångström-Müller Ferreira de la Fuente"


def words_of(sheet: Sheet) -> list[str]:
    words = [CLINIC.clinic_name, CLINIC.address, CLINIC.phone, sheet.title, PATIENT]
    sections = [*sheet.intro, *sheet.call_the_clinic,
                *(s for group in sheet.phases for s in group.sections), *sheet.closing]
    for section in sections:
        words.append(section.heading)
        for block in section.blocks:
            words += list(block.items) if isinstance(block, BulletList) else [block.text]
    return words


def bare_document(sheet: Sheet) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    body = styles().body
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph(escape(text), body) for text in words_of(sheet)])
    return out.getvalue()


def timed(make: Callable[[], bytes], runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        make()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    register_fonts()
    aftercare = compose_aftercare(
        aftercare_template(), TreatmentDone(("around_eyes", "scalp", "abdomen", "cheeks"), True),
        protocol(), clinic_phone=CLINIC.phone, next_appointment="Monday 4 January 2027 at 10:00")
    precare = compose_precare(precare_template(), protocol(), uses_rf=True,
                              clinic_phone=CLINIC.phone)
    facts = (SheetFact("Treated on", "30/11/2026"), SheetFact("Areas", "Cheeks, Scalp"))
    for name, sheet in (("aftercare (longest)", aftercare), ("pre-care (RF)", precare)):
        made = SheetPdfInput(sheet, CLINIC, PATIENT, facts, PaperSize.A4)
        sheet_pdf(made), bare_document(sheet)  # warm-up
        floor = timed(partial(bare_document, sheet), runs)
        real = timed(partial(sheet_pdf, made), runs)
        print(f"{name}: sheet {real[0]:.1f} ms CPU ({real[1]:.1f} ms wall); floor "
              f"{floor[0]:.1f} ms CPU ({floor[1]:.1f} ms wall); ratio {real[0] / floor[0]:.2f}x")


if __name__ == "__main__":
    main()
