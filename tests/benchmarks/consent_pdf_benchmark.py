"""Time to build one signed consent PDF, beside a bare ReportLab document (the floor).

Not part of the test run. Run it with

    python -m tests.benchmarks.consent_pdf_benchmark [--runs 30]

The consent is the real microneedling-with-RF form (five pages on A4) filled for a
patient with a long accented name, with three signatures (two drawn, one password only).
The floor is a plain ReportLab document with exactly the same words in the same
embedded font: paragraphs one after another, no tables, letterhead, footer, QR code or
signature pictures. Fonts and styles are set up before timing starts, as they are once
per process in the application. Prints the median of each, in milliseconds of CPU time
(and of wall time in brackets):

- floor: the bare document;
- consent PDF (ReportLab part): `consent_pdf`, and its ratio to the floor;
- signing: `sign_pdf` on those bytes (PAdES B-B, RSA 3072), separately;
- signed consent PDF: both, and its ratio to the floor;
- the same ratio measured floor and consent alternately, run by run (median of the
  per-run ratios): on a shared machine whose load changes while the benchmark runs,
  both sides of each ratio then see the same load.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from clinic_desk.documents.consent_pdf import MEANING_LABELS, ConsentPdfInput, consent_pdf
from clinic_desk.documents.pdf_base import Letterhead, register_fonts, styles
from clinic_desk.documents.signing import create_signing_identity, sign_pdf
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_record import ConsentRecord
from clinic_desk.domain.consent_text import Paragraph as TextParagraph
from clinic_desk.domain.dates import DateFormat
from tests.helpers.consent import (
    CLINIC_ADDRESS,
    CLINIC_NAME,
    CLINIC_PHONE,
    signed_record,
)

TARGET_MS = 60.0
TARGET_RATIO = 1.5


def bare_document(record: ConsentRecord) -> bytes:
    """The floor: the same words as plain paragraphs in the same embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from clinic_desk.documents.pdf_base import escape

    body = styles().body
    words = [CLINIC_NAME, CLINIC_ADDRESS, CLINIC_PHONE, record.text.title,
             record.patient.full_name]
    for section in record.text.sections:
        words.append(section.heading)
        for block in section.blocks:
            words += [block.text] if isinstance(block, TextParagraph) else list(block.items)
        words += [ack.text for ack in section.acknowledgements]
    for signature in record.signatures:
        words += [signature.signer_name, signature.signer_role,
                  MEANING_LABELS[signature.meaning]]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=record.text.title).build(
        [Paragraph(escape(text), body) for text in words])
    return out.getvalue()


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median CPU time and median wall time, in milliseconds.

    CPU time (this process only) is the figure to compare: on a shared machine the wall
    time also counts the waits for a core that other processes hold.
    """
    work()  # warm up: first-use costs belong to start-up, not to each document
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        work()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def paired_ratio(floor: Callable[[], object], work: Callable[[], object], runs: int) -> float:
    """Median of CPU(work) / CPU(floor), the two timed one after the other each run."""
    ratios = []
    for _ in range(runs):
        start = time.process_time()
        floor()
        middle = time.process_time()
        work()
        ratios.append((time.process_time() - middle) / max(middle - start, 1e-9))
    return statistics.median(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    register_fonts()
    record = signed_record()
    data = ConsentPdfInput(
        record, Letterhead(CLINIC_NAME, CLINIC_ADDRESS, CLINIC_PHONE), PaperSize.A4,
        DateFormat.DAY_MONTH_YEAR_SLASH)
    identity = create_signing_identity(CLINIC_NAME, now=datetime.now(UTC))
    unsigned = consent_pdf(data)

    floor = median_ms(lambda: bare_document(record), args.runs)
    render = median_ms(lambda: consent_pdf(data), args.runs)
    signing = median_ms(lambda: sign_pdf(unsigned, identity, reason="benchmark",
                                         location=CLINIC_NAME), args.runs)
    total = median_ms(lambda: sign_pdf(consent_pdf(data), identity, reason="benchmark",
                                       location=CLINIC_NAME), args.runs)
    paired = paired_ratio(lambda: bare_document(record), lambda: consent_pdf(data), args.runs)
    pages = unsigned.count(b"/Type /Page\n")
    print(f"Consent PDF ({pages} pages, {len(unsigned) // 1024} KiB), median of {args.runs} "
          "runs, CPU time (wall time):")
    rows = [
        ("floor, bare ReportLab with the same text", floor, ""),
        ("consent PDF, ReportLab part", render,
         f"  {render[0] / floor[0]:.2f}x the floor (targets: <= {TARGET_MS:.0f} ms, "
         f"<= {TARGET_RATIO}x)"),
        ("PAdES signature alone", signing, ""),
        ("signed consent PDF (render + signature)", total,
         f"  {total[0] / floor[0]:.2f}x the floor"),
    ]
    for label, (cpu, wall), note in rows:
        print(f"  {label:<42} {cpu:6.1f} ms ({wall:6.1f} ms){note}")
    print(f"  ReportLab part / floor, timed alternately run by run: {paired:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
