"""Small PDFs made with ReportLab for the viewer's tests and screenshots."""

from __future__ import annotations

from io import BytesIO

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from clinic_desk.shipped import resource_root


def sample_pdf(pages: int = 3, *, title: str = "Aftercare after microneedling",
               patient: str = "Zoë Ångström-Müller Ferreira de la Fuente") -> bytes:
    """An A4 document whose pages say "Page N of M" (and N, large), under a heading
    and a different amount of body text on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    fonts = resource_root().joinpath("fonts")
    pdfmetrics.registerFont(TTFont("DejaVu", str(fonts.joinpath("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(fonts.joinpath("DejaVuSans-Bold.ttf"))))
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title)
    width, height = A4
    for number in range(1, pages + 1):
        canvas.setFont("DejaVu-Bold", 20)
        canvas.drawString(60, height - 80, title)
        canvas.setFont("DejaVu", 12)
        canvas.drawString(60, height - 104, f"For {patient}")
        canvas.line(60, height - 116, width - 60, height - 116)
        y = height - 150
        for line in range(30 - 6 * ((number - 1) % 4)):  # pages differ at a glance
            canvas.drawString(60, y, f"Line {line + 1}: keep the treated skin clean and "
                                     "out of the sun; use a gentle cleanser.")
            y -= 20
        canvas.setFont("DejaVu-Bold", 28)
        canvas.drawString(60, 90, f"Page {number} of {pages}")
        canvas.setFont("DejaVu-Bold", 96)
        canvas.drawRightString(width - 60, 60, str(number))
        # A black tab in the margin, lower on each page, as on a divided notebook.
        canvas.rect(width - 40, height - 140 - 160 * ((number - 1) % 4), 40, 120,
                    stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_page(pdf: bytes, page: int, width: int = 200) -> QImage:
    """One page of a PDF as an image `width` pixels wide (via QtPdf)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    points = document.pagePointSize(page)
    size = QSize(width, round(width * points.height() / points.width()))
    rendered = document.render(page, size, QPdfDocumentRenderOptions())
    document.close()
    # QtPdf leaves the paper transparent: lay the page on white paper before comparing.
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def difference(first: QImage, second: QImage, width: int = 50) -> float:
    """Mean absolute grey difference (0..255) of two page images, both shrunk smoothly to
    `width` pixels first, so that the same page rasterised twice (as printing does) reads
    as the same, while another page does not."""
    a, b = (image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            for image in (first, second))
    assert a.size() == b.size(), (a.size(), b.size())
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            total += abs(a.pixelColor(x, y).value() - b.pixelColor(x, y).value())
    return total / (a.width() * a.height())
