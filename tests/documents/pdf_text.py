"""Reading a PDF back in the tests: text per page (pypdf), fonts (pdffonts), pages as
pictures (pdftoppm) and the QR codes on them (zxing-cpp)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

FOOTER_LINE = re.compile(
    r"^(Consent no\. \d+|Page \d+ of \d+|Form “.*|Content hash \(SHA-256\):|[0-9a-f]{64}|"
    r"Digitally signed by the clinic\..*)$"
)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words_of(pdf: bytes) -> str:
    """Every page's text, whitespace collapsed into single spaces."""
    return " ".join(" ".join(page_texts(pdf)).split())


def body_text(pdf: bytes, running_header: str) -> str:
    """Every page's text without the running header and the footer, whitespace collapsed."""
    kept = []
    for text in page_texts(pdf):
        for line in text.splitlines():
            line = line.strip()
            if line == running_header or FOOTER_LINE.match(line):
                continue
            kept.append(line)
    return " ".join(" ".join(kept).split())


def pdffonts(pdf: bytes) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout
    rows = out.splitlines()[2:]
    fonts = []
    for row in rows:
        parts = row.split()
        # name type [type2] encoding emb sub uni object-id generation
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def page_images(pdf: bytes, *, dpi: int = 150) -> list[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="consent-pages-"))
    (tmp / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(tmp / "doc.pdf"), str(tmp / "page")],
                   check=True)
    return sorted(tmp.glob("page-*.png"))


def qr_codes(image: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    with Image.open(image) as picture:
        return [found.text for found in zxingcpp.read_barcodes(picture)
                if found.format == zxingcpp.BarcodeFormat.QRCode]
