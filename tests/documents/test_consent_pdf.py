"""The consent PDF: the exact signed text, identity, ticks, signatures, and the footer with
id, version, page x of y, hash and QR code on every page; fonts, page size, metadata."""

from __future__ import annotations

import io
import zlib
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader

from clinic_desk.documents.consent_pdf import MEANING_LABELS, NOT_TICKED, TICKED
from clinic_desk.documents.document_info import (
    INFO_CONSENT_ID,
    INFO_CONTENT_HASH,
    parse_qr_payload,
    qr_payload,
)
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_record import ConsentRecord
from clinic_desk.domain.consent_text import BulletList, Paragraph
from clinic_desk.domain.signature import SignatureMeaning
from tests.documents.conftest import render
from tests.documents.pdf_text import body_text, page_images, page_texts, pdffonts, qr_codes
from tests.helpers.consent import (
    CLINIC_NAME,
    LONG_NAME,
    MARKUP_NAME,
    PRACTITIONER,
    correcting_record,
    declined_record,
    signed_record,
)


@pytest.fixture(scope="module")
def record() -> ConsentRecord:
    return signed_record()


@pytest.fixture(scope="module")
def pdf(record: ConsentRecord) -> bytes:
    return render(record)


def header_of(record: ConsentRecord) -> str:
    return f"{CLINIC_NAME} · {record.text.title} · {record.patient.full_name}"


def test_the_pdf_holds_the_exact_signed_text(record: ConsentRecord, pdf: bytes) -> None:
    text = body_text(pdf, header_of(record))
    assert record.text.title in text
    expected = []
    for section in record.text.sections:
        expected.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                expected.append(block.text)
            else:
                assert isinstance(block, BulletList)
                expected += [f"• {item}" for item in block.items]
        expected += [f"{TICKED} {ack.text}" for ack in section.acknowledgements]
    for words in expected:
        assert " ".join(words.split()) in text, words
    # In the order they were read.
    positions = [text.index(" ".join(words.split())) for words in expected]
    assert positions == sorted(positions)


def test_the_patient_is_named_as_signed_with_every_accent(pdf: bytes) -> None:
    first = page_texts(pdf)[0]
    assert LONG_NAME in first
    assert "14/03/1987" in first and "P-000417" in first


def test_every_page_carries_id_version_page_number_and_hash(
    record: ConsentRecord, pdf: bytes
) -> None:
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Consent no. {record.consent_id}" in text
        assert "Form “microneedling-rf”, version 1" in text
        assert f"Page {number} of {len(pages)}" in text
        assert record.content_hash() in text
    for text in pages[1:]:
        assert header_of(record) in text


def test_every_page_has_a_qr_code_with_the_id_and_the_hash(
    record: ConsentRecord, pdf: bytes
) -> None:
    images = page_images(pdf, dpi=150) + page_images(pdf, dpi=100)
    assert len(images) == 2 * len(page_texts(pdf))
    for image in images:
        codes = qr_codes(image)
        assert codes == [qr_payload(record.consent_id, record.content_hash())]
        assert parse_qr_payload(codes[0]) == (record.consent_id, record.content_hash())


def test_each_signature_is_printed_with_name_role_meaning_and_time(
    record: ConsentRecord, pdf: bytes
) -> None:
    text = body_text(pdf, header_of(record))
    for signature in record.signatures:
        assert signature.signer_name in text
        assert f"{signature.signer_role} · {MEANING_LABELS[signature.meaning]}" in text
    assert "Signed 30/11/2026 at 10:41 Europe/Paris time (09:41 UTC)" in text
    assert "Signed 30/11/2026 at 10:42 Europe/Paris time (09:42 UTC)" in text
    assert "Confirmed with the practitioner's password; no handwritten signature." in text


def line_tos(pdf: bytes) -> int:
    content = PdfReader(io.BytesIO(pdf)).pages[-1].get_contents()
    assert content is not None
    return content.get_data().count(b" l ") + content.get_data().count(b" l\n")


def test_signatures_are_drawn_from_their_strokes(record: ConsentRecord, pdf: bytes) -> None:
    """Vector strokes print crisply: each drawn signature is a path of its points."""
    points = sum(len(stroke.points) for s in record.signatures if s.ink is not None
                 for stroke in s.ink.strokes)
    assert line_tos(pdf) >= points - 2 * len(record.signatures) * 3
    reader = PdfReader(io.BytesIO(pdf))
    assert not [image for page in reader.pages for image in page.images]
    without = replace(record, signatures=tuple(replace(s, ink=None, image_png=None,
                                                       image_sha256=None)
                                               for s in record.signatures))
    assert line_tos(render(without)) < 60  # table rules only


def test_an_image_without_strokes_is_printed_as_the_image(record: ConsentRecord) -> None:
    pictured = replace(record, signatures=tuple(replace(s, ink=None) for s in record.signatures))
    reader = PdfReader(io.BytesIO(render(pictured)))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2  # the patient's and the witness's; the practitioner used a password


def test_a_name_written_as_markup_prints_literally() -> None:
    record = signed_record(patient_name=MARKUP_NAME, key="photography")
    pdf = render(record)
    pages = page_texts(pdf)
    assert MARKUP_NAME in pages[0]
    assert f"I, {MARKUP_NAME}, born on" in body_text(pdf, header_of(record))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        content = page.get_contents()
        assert content is not None
        assert b"1 0 0 rg" not in content.get_data()  # nothing was turned red


def test_declined_consent_says_so_with_the_reason_and_leaves_boxes_unticked() -> None:
    record = declined_record()
    pdf = render(record)
    text = body_text(pdf, header_of(record))
    assert f"✕ Declined. The patient read this form and declined the treatment. Reason given: " \
           f"{record.reason}" in text
    assert "declined on 30/11/2026" in text
    acks = record.text.acknowledgements
    assert text.count(TICKED) == len(record.acknowledged) == 3
    assert text.count(NOT_TICKED) == len(acks) - 3
    assert MEANING_LABELS[SignatureMeaning.PATIENT_DECLINE] in text


def test_a_correction_names_the_consent_it_corrects() -> None:
    record = correcting_record()
    text = body_text(render(record), header_of(record))
    assert f"Correction. This record corrects consent no. 1042. Reason: {record.reason}" in text


@pytest.mark.parametrize(
    ("paper", "size"), [(PaperSize.A4, (595.28, 841.89)), (PaperSize.LETTER, (612.0, 792.0))])
def test_the_page_size_follows_the_clinic(
    record: ConsentRecord, paper: PaperSize, size: tuple[float, float]
) -> None:
    reader = PdfReader(io.BytesIO(render(record, paper=paper)))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_only_the_embedded_unicode_font_is_used(pdf: bytes) -> None:
    fonts = pdffonts(pdf)
    assert {f["name"].split("+")[-1] for f in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts


def test_the_metadata_names_the_consent(record: ConsentRecord, pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == record.text.title
    assert info.author == CLINIC_NAME
    assert info.subject == (f"Consent no. 1042 for {LONG_NAME}: microneedling-rf version 1")
    assert str(info[f"/{INFO_CONSENT_ID}"]) == "1042"
    assert str(info[f"/{INFO_CONTENT_HASH}"]) == record.content_hash()
    assert record.content_hash() in str(info["/Keywords"])
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "en"


def test_the_practitioner_and_clinic_appear_as_filled_in(pdf: bytes, record: ConsentRecord) -> None:
    text = body_text(pdf, header_of(record))
    assert f"It will be carried out by {PRACTITIONER}." in text
    assert "I will call the clinic on +33 1 42 65 00 00" in text
    assert "{{" not in text


def test_pages_are_compressed_streams(pdf: bytes) -> None:
    """ReportLab's page compression is on: the letterhead text is not in the raw bytes."""
    assert CLINIC_NAME.encode() not in pdf
    assert b"/FlateDecode" in pdf
    assert zlib  # the streams decode with pypdf above
