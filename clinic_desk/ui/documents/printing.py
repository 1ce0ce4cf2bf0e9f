"""Printing a PDF through Qt: each page drawn onto the printer's paper at print resolution.

Qt cannot hand a PDF to a printer as it is, so each page is rendered by QtPdf (the same
engine as the preview) and placed on the paper, scaled to fit, centred.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300
"""Pages are rendered at this many dots per inch at most: sharp text on any office
printer, at a size the memory of a treatment-room PC takes in its stride."""


class PrintFailed(Exception):
    """The printer could not be started (no such printer, a file that cannot be written)."""


@dataclass(frozen=True, slots=True)
class PrintJob:
    """What was sent to the printer, for the documents history."""

    printer_name: str
    copies: int
    pages: tuple[int, ...]  # 1-based page numbers, in printing order, once per copy set


def pages_to_print(printer: QPrinter, page_count: int, current_page: int) -> tuple[int, ...]:
    """The 1-based pages chosen in the print dialog (all, a range, or the current one)."""
    match printer.printRange():
        case QPrinter.PrintRange.PageRange:
            first = max(1, printer.fromPage())
            last = min(page_count, printer.toPage() or page_count)
            return tuple(range(first, last + 1))
        case QPrinter.PrintRange.CurrentPage:
            return (current_page + 1,)
        case _:
            return tuple(range(1, page_count + 1))


def print_document(document: QPdfDocument, printer: QPrinter, *,
                   current_page: int = 0) -> PrintJob:
    """Prints the chosen pages and copies; raises `PrintFailed` if the printer will not
    start. Copies the printer cannot make itself (a PDF file, some drivers) are made
    here, collated."""
    pages = pages_to_print(printer, document.pageCount(), current_page)
    copies = max(1, printer.copyCount())
    sets = 1 if printer.supportsMultipleCopies() else copies
    printer.setFullPage(True)  # the PDF's pages carry their own margins
    painter = QPainter()
    if not pages or not painter.begin(printer):
        raise PrintFailed(printer.printerName() or printer.outputFileName())
    try:
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        dpi = min(printer.resolution(), PRINT_DPI)
        first = True
        for _ in range(sets):
            for number in pages:
                if not first:
                    printer.newPage()
                first = False
                _draw_page(painter, document, number - 1, paper, dpi)
    finally:
        painter.end()
    return PrintJob(printer.printerName() or printer.outputFileName(), copies, pages)


def print_pdf(pdf: bytes, printer: QPrinter, *, current_page: int = 0) -> PrintJob:
    """`print_document` for PDF bytes, with a QPdfDocument of its own, so that it can run
    on a worker thread while the preview stays with the UI thread."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            raise PrintFailed("not a readable PDF")
        return print_document(document, printer, current_page=current_page)
    finally:
        document.close()
        buffer.close()


def _draw_page(painter: QPainter, document: QPdfDocument, page: int, paper: QRectF,
               dpi: int) -> None:
    points = document.pagePointSize(page)
    pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    image = document.render(page, pixels, QPdfDocumentRenderOptions())
    target = points.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = paper.left() + (paper.width() - target.width()) / 2
    top = paper.top() + (paper.height() - target.height()) / 2
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(QRectF(left, top, target.width(), target.height()), image)
