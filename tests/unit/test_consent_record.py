"""The frozen consent record: canonical serialisation, content hash, and what may be frozen."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from clinic_desk.domain.consent_record import (
    ConsentLink,
    ConsentRecord,
    ConsentSignature,
    ConsentStatus,
    LinkKind,
    PatientIdentity,
    canonical_json,
    record_from_canonical,
    record_problems,
)
from clinic_desk.domain.consent_text import (
    Acknowledgement,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.domain.signature import (
    InkDevice,
    InkPoint,
    InkStroke,
    SignatureInk,
    SignatureMeaning,
)
from tests.helpers.consent import declined_record, signed_record

PNG = b"\x89PNG\r\n\x1a\n tiny"
INK = SignatureInk(
    strokes=(InkStroke((InkPoint(10.0, 20.5, 0, 0.5), InkPoint(30.25, 40.125, 16, 0.75))),),
    width=400,
    height=150,
    device=InkDevice.STYLUS,
    pressure_reported=True,
)
TEXT = ConsentText(
    template_key="photography",
    template_version=1,
    title="Consent to photographs",
    sections=(
        ConsentSection(
            key="use",
            heading="Use",
            blocks=(Paragraph("Zoë agrees."), BulletList(("one", "two"))),
            acknowledgements=(Acknowledgement("agree", "I agree."),),
        ),
    ),
)


def known_record() -> ConsentRecord:
    return ConsentRecord(
        consent_id=7,
        patient_id=3,
        patient=PatientIdentity("Zoë Ångström", date(1990, 2, 3), "P-3"),
        template_key="photography",
        template_version=1,
        text=TEXT,
        acknowledged=("agree",),
        signatures=(
            ConsentSignature(
                SignatureMeaning.PATIENT_CONSENT, "Zoë Ångström", "Patient",
                datetime(2026, 11, 30, 9, 0, 0, 5, tzinfo=UTC), "Europe/Paris", INK,
                image_png=PNG,
            ),
            ConsentSignature(
                SignatureMeaning.PRACTITIONER, "Dr Lee", "Practitioner",
                datetime(2026, 11, 30, 9, 1, tzinfo=UTC), "Europe/Paris", None,
            ),
        ),
        status=ConsentStatus.SIGNED,
    )


PNG_SHA = hashlib.sha256(PNG).hexdigest()
KNOWN_CANONICAL = (
    '{"acknowledged":["agree"],"consent_id":7,"format":"clinic-desk/consent/1","links":[],'
    '"patient":{"date_of_birth":"1990-02-03","full_name":"Zoë Ångström","patient_number":'
    '"P-3"},"patient_id":3,"reason":null,"signatures":[{"image_sha256":"' + PNG_SHA + '",'
    '"ink":{"device":"stylus","height":150,"pressure_reported":true,"strokes":[[[1000,2050,0,'
    '5000],[3025,4012,16,7500]]],"width":400},"meaning":"patient_consent","signed_at_utc":'
    '"2026-11-30T09:00:00.000005Z","signer_name":"Zoë Ångström","signer_role":"Patient",'
    '"time_zone":"Europe/Paris"},{"image_sha256":null,"ink":null,"meaning":"practitioner",'
    '"signed_at_utc":"2026-11-30T09:01:00.000000Z","signer_name":"Dr Lee","signer_role":'
    '"Practitioner","time_zone":"Europe/Paris"}],"status":"signed","template":{"key":'
    '"photography","version":1},"text":{"sections":[{"acknowledgements":[{"key":"agree",'
    '"text":"I agree."}],"blocks":[{"paragraph":"Zoë agrees."},{"bullets":["one","two"]}],'
    '"heading":"Use","key":"use"}],"template_key":"photography","template_version":1,'
    '"title":"Consent to photographs"}}'
)
KNOWN_HASH = "b6ccc15603e6b3fd7dcdafcccd2fec9a3a72ce71d701c7a9cecd2896ca13d019"


def test_known_answer_canonical_form_and_hash() -> None:
    record = known_record()
    assert record.canonical_bytes() == KNOWN_CANONICAL.encode("utf-8")
    assert PNG_SHA == "64959d0e5ae463f5ba10bf4b079f144069a6acc9a362de6535568e6edd1639ee"
    assert record.content_hash() == KNOWN_HASH


def test_the_canonical_form_is_compact_sorted_utf8_json_without_floats() -> None:
    data = signed_record().canonical_bytes()
    parsed = json.loads(data)
    again = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert again.encode("utf-8") == data
    assert "Zoë Ångström-Müller".encode() in data and b"\\u00" not in data

    def no_floats(node: object) -> None:
        assert not isinstance(node, float)
        if isinstance(node, dict):
            for value in node.values():
                no_floats(value)
        elif isinstance(node, list):
            for item in node:
                no_floats(item)

    no_floats(parsed)


def test_control_characters_are_escaped_as_rfc_8785_does() -> None:
    record = replace(known_record(), reason="a\x1fb\nc\"d\\e")
    assert b'"reason":"a\\u001fb\\nc\\"d\\\\e"' in record.canonical_bytes()


def test_a_record_read_back_from_its_serialisation_is_the_same_record() -> None:
    for record in (known_record(), signed_record(), declined_record()):
        back = record_from_canonical(record.canonical_bytes())
        assert back.canonical_bytes() == record.canonical_bytes()
        assert back.content_hash() == record.content_hash()
        stripped = replace(record, signatures=tuple(
            replace(s, image_png=None) for s in record.signatures))
        assert back == stripped


def test_the_hash_is_stable_across_runs_and_objects() -> None:
    assert signed_record().content_hash() == signed_record().content_hash()
    assert known_record().content_hash() == hashlib.sha256(
        canonical_json(known_record())).hexdigest()


def _ink(f: Callable[[SignatureInk], SignatureInk]) -> Callable[[ConsentRecord], ConsentRecord]:
    def change(r: ConsentRecord) -> ConsentRecord:
        first = r.signatures[0]
        assert first.ink is not None
        return replace(r, signatures=(replace(first, ink=f(first.ink)), *r.signatures[1:]))
    return change


def _point(**kw: Any) -> Callable[[ConsentRecord], ConsentRecord]:
    def f(ink: SignatureInk) -> SignatureInk:
        stroke = ink.strokes[0]
        return replace(ink, strokes=(
            InkStroke((replace(stroke.points[0], **kw), *stroke.points[1:])),))
    return _ink(f)


def _sig(**kw: Any) -> Callable[[ConsentRecord], ConsentRecord]:
    return lambda r: replace(r, signatures=(replace(r.signatures[0], **kw), *r.signatures[1:]))


def _section(**kw: Any) -> Callable[[ConsentRecord], ConsentRecord]:
    return lambda r: replace(r, text=replace(r.text, sections=(
        replace(r.text.sections[0], **kw),)))


RECORD_CHANGES: dict[str, Callable[[ConsentRecord], ConsentRecord]] = {
    "consent_id": lambda r: replace(r, consent_id=8),
    "patient_id": lambda r: replace(r, patient_id=4),
    "patient": lambda r: replace(r, patient=replace(r.patient, patient_number="P-4")),
    "template_key": lambda r: replace(r, template_key="photo"),
    "template_version": lambda r: replace(r, template_version=2),
    "text": lambda r: replace(r, text=replace(r.text, title="Consent to photos")),
    "acknowledged": lambda r: replace(r, acknowledged=()),
    "signatures": lambda r: replace(r, signatures=r.signatures[:1]),
    "status": lambda r: replace(r, status=ConsentStatus.DECLINED),
    "reason": lambda r: replace(r, reason="changed mind"),
    "links": lambda r: replace(r, links=(ConsentLink(LinkKind.SUPERSEDES, 6),)),
}
NESTED_CHANGES: dict[str, Callable[[ConsentRecord], ConsentRecord]] = {
    "patient.full_name": lambda r: replace(r, patient=replace(r.patient, full_name="Zoe")),
    "patient.date_of_birth": lambda r: replace(r, patient=replace(
        r.patient, date_of_birth=date(1990, 2, 4))),
    "patient.date_of_birth=None": lambda r: replace(r, patient=replace(
        r.patient, date_of_birth=None)),
    "text.template_key": lambda r: replace(r, text=replace(r.text, template_key="x")),
    "text.template_version": lambda r: replace(r, text=replace(r.text, template_version=9)),
    "section.key": _section(key="usage"),
    "section.heading": _section(heading="Usage"),
    "section.paragraph": _section(blocks=(Paragraph("Zoe agrees."), BulletList(("one", "two")))),
    "section.bullets": _section(blocks=(Paragraph("Zoë agrees."), BulletList(("one", "tw0")))),
    "section.block kind": _section(blocks=(BulletList(("Zoë agrees.",)), BulletList(
        ("one", "two")))),
    "section.ack key": _section(acknowledgements=(Acknowledgement("agreed", "I agree."),)),
    "section.ack text": _section(acknowledgements=(Acknowledgement("agree", "I agree!"),)),
    "signature.meaning": _sig(meaning=SignatureMeaning.WITNESS),
    "signature.signer_name": _sig(signer_name="Zoe Angstrom"),
    "signature.signer_role": _sig(signer_role="Guardian"),
    "signature.signed_at_utc": _sig(signed_at_utc=datetime(2026, 11, 30, 9, 0, 0, 6, tzinfo=UTC)),
    "signature.time_zone": _sig(time_zone="Europe/London"),
    "signature.ink=None": _sig(ink=None),
    "signature.image_sha256": _sig(image_png=None, image_sha256="f" * 64),
    "ink.width": _ink(lambda i: replace(i, width=401)),
    "ink.height": _ink(lambda i: replace(i, height=151)),
    "ink.device": _ink(lambda i: replace(i, device=InkDevice.TOUCH)),
    "ink.pressure_reported": _ink(lambda i: replace(i, pressure_reported=False)),
    "ink.strokes": _ink(lambda i: replace(i, strokes=i.strokes * 2)),
    "point.x": _point(x=10.01),
    "point.y": _point(y=20.49),
    "point.t_ms": _point(t_ms=1),
    "point.pressure": _point(pressure=0.5001),
    "point.pressure=None": _point(pressure=None),
    "link.kind": lambda r: replace(r, links=(ConsentLink(LinkKind.CORRECTS, 6),)),
    "link.consent_id": lambda r: replace(r, links=(ConsentLink(LinkKind.SUPERSEDES, 5),)),
}


def test_every_field_of_the_record_is_covered_by_a_change() -> None:
    assert set(RECORD_CHANGES) == {f.name for f in dataclasses.fields(ConsentRecord)}
    signature_fields = {f.name for f in dataclasses.fields(ConsentSignature)} - {"image_png"}
    covered = {k.split(".")[1].split("=")[0] for k in NESTED_CHANGES if k.startswith("signature.")}
    assert signature_fields == covered
    ink_fields = {f.name for f in dataclasses.fields(SignatureInk)}
    assert ink_fields == {k.split(".")[1] for k in NESTED_CHANGES if k.startswith("ink.")}
    point_fields = {f.name for f in dataclasses.fields(InkPoint)}
    assert point_fields == {k.split(".")[1].split("=")[0] for k in NESTED_CHANGES
                            if k.startswith("point.")}


@pytest.mark.parametrize("name", [*RECORD_CHANGES, *NESTED_CHANGES])
def test_every_field_changes_the_hash(name: str) -> None:
    record = known_record()
    if name == "links":
        record = replace(record, links=(ConsentLink(LinkKind.SUPERSEDES, 5),))
    change = {**RECORD_CHANGES, **NESTED_CHANGES}[name]
    if name.startswith("link."):
        record = replace(record, links=(ConsentLink(LinkKind.SUPERSEDES, 6),))
    changed = change(record)
    assert changed != record
    assert changed.content_hash() != record.content_hash()


def test_the_image_bytes_count_through_their_hash() -> None:
    record = known_record()
    other = _sig(image_png=PNG + b"!", image_sha256=None)(record)
    assert other.content_hash() != record.content_hash()


def test_ink_is_kept_to_a_hundredth_of_a_pixel() -> None:
    record = known_record()
    assert _point(x=10.004)(record).content_hash() == record.content_hash()
    assert _point(x=10.006)(record).content_hash() != record.content_hash()
    first = _point(x=10.004)(record).signatures[0].ink
    assert first is not None and first.strokes[0].points[0].x == 10.0


def test_a_signature_time_must_be_utc() -> None:
    paris = timezone(timedelta(hours=1))
    with pytest.raises(ValueError, match="UTC"):
        _sig(signed_at_utc=datetime(2026, 11, 30, 10, tzinfo=paris))(known_record())
    with pytest.raises(ValueError, match="UTC"):
        _sig(signed_at_utc=datetime(2026, 11, 30, 10))(known_record())


def test_an_image_must_match_its_given_hash() -> None:
    with pytest.raises(ValueError, match="does not match"):
        _sig(image_png=PNG, image_sha256="0" * 64)(known_record())


def test_a_complete_signed_or_declined_record_may_be_frozen() -> None:
    assert record_problems(known_record()) == []
    assert record_problems(signed_record()) == []
    assert record_problems(declined_record()) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: replace(r, acknowledged=()), "acknowledgements not ticked: agree"),
        (lambda r: replace(r, acknowledged=("agree", "agree")), "ticked twice"),
        (lambda r: replace(r, acknowledged=("agree", "nope")), "not in the text: nope"),
        (lambda r: replace(r, signatures=r.signatures[:1]), "no practitioner signature"),
        (lambda r: replace(r, signatures=r.signatures[1:]), "no patient_consent signature"),
        (_sig(ink=None, image_png=None), "the patient_consent signature must be drawn"),
        (_sig(image_png=None, image_sha256=None), "needs both its strokes and image"),
        (_sig(time_zone="Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (_sig(signer_name=" "), "has no signer name or role"),
        (lambda r: replace(r, template_version=2), "not from the template the record names"),
        (lambda r: replace(r, links=(ConsentLink(LinkKind.CORRECTS, 7),)), "link to itself"),
        (lambda r: replace(r, status=ConsentStatus.DECLINED), "needs the reason"),
        (lambda r: replace(r, status=ConsentStatus.DECLINED, reason="no"),
         "cannot carry the patient's consent signature"),
        (lambda r: replace(r, signatures=(*r.signatures, r.signatures[1])), "same meaning"),
        (_sig(meaning=SignatureMeaning.PATIENT_DECLINE), "cannot carry the patient's decline"),
    ],
)
def test_an_incomplete_record_is_refused_with_the_reason(
    change: Callable[[ConsentRecord], ConsentRecord], problem: str
) -> None:
    found = record_problems(change(known_record()))
    assert any(problem in p for p in found), found


def test_the_signed_time_is_the_patients() -> None:
    record = signed_record()
    patient = record.signature(SignatureMeaning.PATIENT_CONSENT)
    assert patient is not None and record.signed_at_utc == patient.signed_at_utc
    declined = declined_record()
    decline = declined.signature(SignatureMeaning.PATIENT_DECLINE)
    assert decline is not None and declined.signed_at_utc == decline.signed_at_utc
    assert replace(record, signatures=()).signed_at_utc is None


def linked_record() -> ConsentRecord:
    return replace(known_record(), consent_id=9, reason="Moved to a new form.",
                   links=(ConsentLink(LinkKind.SUPERSEDES, 7), ConsentLink(LinkKind.CORRECTS, 4)))


def test_known_answer_of_a_record_linked_to_earlier_ones() -> None:
    data = linked_record().canonical_bytes()
    assert b'"links":[{"consent_id":7,"kind":"supersedes"},{"consent_id":4,"kind":"corrects"}]' \
        in data
    assert data == KNOWN_CANONICAL.replace('"consent_id":7,', '"consent_id":9,').replace(
        '"links":[]', '"links":[{"consent_id":7,"kind":"supersedes"},'
        '{"consent_id":4,"kind":"corrects"}]').replace(
        '"reason":null', '"reason":"Moved to a new form."').encode("utf-8")
    assert hashlib.sha256(data).hexdigest() == linked_record().content_hash()


@pytest.mark.parametrize("kind", list(LinkKind))
def test_links_are_read_back_with_their_kind_and_consent(kind: LinkKind) -> None:
    record = replace(linked_record(), links=(ConsentLink(kind, 7),))
    back = record_from_canonical(record.canonical_bytes())
    assert back.links == (ConsentLink(kind, 7),)
    assert isinstance(back.links[0].kind, LinkKind) and type(back.links[0].consent_id) is int
    assert back.content_hash() == record.content_hash()


def test_a_signature_time_is_kept_in_utc_whatever_the_workstations_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A UTC time given with another zero-offset zone is stored in UTC, also on a
    workstation whose own clock is set to another zone (the hash must not depend on it);
    a time with an offset is refused."""
    import time

    gmt = timezone(timedelta(0), "GMT")
    for zone in ("Europe/Warsaw", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            signature = replace(known_record().signatures[1],
                                signed_at_utc=datetime(2026, 11, 30, 9, 1, tzinfo=gmt))
            assert signature.signed_at_utc.tzinfo is UTC
            record = replace(known_record(), signatures=(known_record().signatures[0], signature))
            assert record.content_hash() == KNOWN_HASH
        finally:
            monkeypatch.delenv("TZ")
            time.tzset()
    with pytest.raises(ValueError) as refused:
        replace(known_record().signatures[1],
                signed_at_utc=datetime(2026, 11, 30, 10, 1, tzinfo=timezone(timedelta(hours=1))))
    assert str(refused.value) == "a signature's time must be given in UTC"
