"""Every released hashed record format written out column by column: a format never
changes once released, so a renamed, retyped, dropped or reordered column fails here."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic_desk.domain.record_hashes import (
    CLEARANCE_REVOCATION,
    CLINICAL_WRITES,
    INTAKE_RECORD,
    PATIENT_REVISION,
    RECORD_TYPES,
    SCREENING_CLEARANCE,
    FieldKind,
    HashedRecordType,
    RecordCanonicalError,
    RecordLink,
    RecordTypes,
    canonical_record,
    record_hash,
    records_digest,
)

I, T, B, D, U = "integer", "text", "boolean", "date", "utc_time"  # noqa: E741
PINNED = {
    ("patient_revision", 1): [("id", I), ("patient_id", I), ("version", I),
                              ("details_json", T), ("recorded_at", U), ("recorded_by", I)],
    ("intake_record", 1): [("id", I), ("patient_id", I), ("sequence", I),
                           ("questionnaire_version", I), ("answers_json", T),
                           ("recorded_on", D), ("recorded_at", U), ("signed_off_by", I),
                           ("taken_by_patient", B)],
    ("screening_clearance", 1): [("id", I), ("patient_id", I), ("intake_record_id", I),
                                 ("rule_id", T), ("reason", T), ("cleared_by", I),
                                 ("cleared_at", U)],
    ("clearance_revocation", 1): [("id", I), ("clearance_id", I), ("patient_id", I),
                                  ("reason", T), ("revoked_by", I), ("revoked_at", U)],
    ("consent_template", 1): [("id", I), ("form_key", T), ("version", I), ("title", T),
                              ("radiofrequency", B), ("for_treatment", B), ("source", T),
                              ("source_sha256", T), ("origin", T), ("registered_at", U),
                              ("registered_by", I)],
    ("consent_template_status", 1): [("id", I), ("template_id", I), ("status", T),
                                     ("changed_at", U), ("changed_by", I)],
    ("consent_record", 1): [("id", I), ("patient_id", I), ("template_id", I),
                            ("template_key", T), ("template_version", I), ("status", T),
                            ("for_treatment", B), ("covers_rf", B), ("signed_at", U),
                            ("signed_on", D), ("time_zone", T), ("recorded_by", I),
                            ("link_kind", T), ("linked_consent_id", I), ("canonical_json", T),
                            ("content_hash", T)],
    ("consent_signature", 1): [("id", I), ("consent_id", I), ("position", I), ("meaning", T),
                               ("signer_name", T), ("signer_role", T), ("signer_staff_id", I),
                               ("signed_at", U), ("time_zone", T), ("strokes_json", T),
                               ("image_sha256", T)],
    ("signing_certificate", 1): [("id", I), ("fingerprint", T), ("subject", T),
                                 ("certificate_pem", T), ("not_before", U), ("not_after", U),
                                 ("origin", T), ("workstation", T), ("registered_at", U),
                                 ("registered_by", I)],
    ("device_revision", 1): [("id", I), ("device_id", I), ("version", I), ("profile_json", T),
                             ("is_active", B), ("recorded_at", U), ("recorded_by", I)],
    ("protocol_version", 1): [("id", I), ("version", I), ("based_on", I),
                              ("protocol_json", T), ("note", T), ("recorded_at", U),
                              ("recorded_by", I)],
    ("treatment_session", 1): [("id", I), ("patient_id", I), ("course_id", I),
                               ("practitioner_id", I), ("session_date", D), ("started_at", U),
                               ("signed_off_at", U), ("device_id", I), ("device_version", I),
                               ("device_label", T), ("device_model_key", T),
                               ("cartridge_key", T), ("lot_id", I), ("lot_number", T),
                               ("lot_expiry", D), ("protocol_version", I), ("uses_rf", B),
                               ("energy_unit", T), ("highest_rf_milli", I),
                               ("consent_record_id", I), ("record_json", T)],
    ("session_amendment", 1): [("id", I), ("session_id", I), ("patient_id", I),
                               ("correction", T), ("reason", T), ("amended_by", I),
                               ("amended_at", U)],
    ("adverse_event", 1): [("id", I), ("session_id", I), ("patient_id", I), ("kind", T),
                           ("description", T), ("onset_on", D), ("severity", T),
                           ("action_taken", T), ("recorded_by", I), ("recorded_at", U)],
    ("adverse_event_followup", 1): [("id", I), ("adverse_event_id", I), ("patient_id", I),
                                    ("note", T), ("outcome", T),
                                    ("reported_to_manufacturer", B),
                                    ("reported_to_authority", B), ("closes_event", B),
                                    ("recorded_by", I), ("recorded_at", U)],
    ("handed_out_document", 1): [("id", I), ("patient_id", I), ("kind", T),
                                 ("template_key", T), ("template_version", I),
                                 ("source_id", I), ("content_sha256", T), ("how", T),
                                 ("handed_by", I), ("handed_at", U)],
    ("appointment_change", 1): [("id", I), ("appointment_id", I), ("patient_id", I),
                                ("change", T), ("status", T), ("starts_at", U),
                                ("length_minutes", I), ("practitioner_id", I), ("room_id", I),
                                ("detail", T), ("changed_by", I), ("changed_at", U)],
}  # fmt: skip


def test_every_released_format_is_pinned() -> None:
    """A new kind of record, or a new format of one, is added to PINNED when released."""
    registered = {(name, RECORD_TYPES.current(name).format) for name in RECORD_TYPES.names()}
    assert registered == set(PINNED)
    for (name, record_format), expected in PINNED.items():
        fields = RECORD_TYPES.format_of(name, record_format).fields
        assert [(column, kind.value) for column, kind in fields] == expected, name


@pytest.mark.parametrize(
    "record_type",
    [PATIENT_REVISION, INTAKE_RECORD, SCREENING_CLEARANCE, CLEARANCE_REVOCATION],
    ids=lambda t: t.name,
)
def test_released_formats_are_pinned(record_type: HashedRecordType) -> None:
    fields = [(name, kind.value) for name, kind in record_type.fields]
    assert fields == PINNED[(record_type.name, record_type.format)]
    assert record_type.column_names == tuple(name for name, _ in fields)


def test_field_kinds_and_clinical_writes_are_pinned() -> None:
    assert [k.value for k in FieldKind] == [I, T, B, D, U]
    assert CLINICAL_WRITES == {
        "patient.registered": "patient_revision",
        "patient.changed": "patient_revision",
        "intake.recorded": "intake_record",
        "screening.cleared": "screening_clearance",
        "screening.clearance_revoked": "clearance_revocation",
        "consent.signed": "consent_record",
        "consent.declined": "consent_record",
        "consent.withdrawn": "consent_record",
        "consent.template_imported": "consent_template",
        "consent.template_retired": "consent_template_status",
        "consent.template_published": "consent_template_status",
        "signing.certificate_registered": "signing_certificate",
        "device.added": "device_revision",
        "device.changed": "device_revision",
        "protocol.saved": "protocol_version",
        "session.signed_off": "treatment_session",
        "session.amended": "session_amendment",
        "adverse_event.recorded": "adverse_event",
        "adverse_event.followed_up": "adverse_event_followup",
        "document.handed_out": "handed_out_document",
        "appointment.booked": "appointment_change",
        "appointment.moved": "appointment_change",
        "appointment.status_changed": "appointment_change",
        "appointment.handed_over": "appointment_change",
    }


def test_revocation_known_answer() -> None:
    # printf '%s' '["clinic-desk-record","clearance_revocation",1,[5,4,3,
    #   "Letter withdrawn — Zoë",2,"2026-11-23T08:00:00.000000Z"]]' | sha256sum
    values = {"id": 5, "clearance_id": 4, "patient_id": 3, "reason": "Letter withdrawn — Zoë",
              "revoked_by": 2, "revoked_at": datetime(2026, 11, 23, 8, 0, tzinfo=UTC)}  # fmt: skip
    assert record_hash(CLEARANCE_REVOCATION, values) == (
        "0cfa5ee52b891ec5e449093915772550d361d01a7e15c6e10b63b083691dc390"
    )


def test_links_digest_outside_ascii_known_answer() -> None:
    # printf '%s' '[["intervention_é",1,2,"ab"]]' | sha256sum
    digest = records_digest([RecordLink("intervention_é", 1, 2, "ab")])
    assert digest == "e79e67118434160b0990711aedce3b3dda9ae89d2555150d435b496317ad2b76"


def test_links_sort_by_type_then_id() -> None:
    a, b, c = RecordLink("a", 2, 1, "x"), RecordLink("a", 10, 1, "x"), RecordLink("b", 1, 1, "x")
    assert records_digest([c, b, a]) == records_digest([a, b, c])
    assert records_digest([a, b]) != records_digest([a, c])


def test_nulls_and_each_kind_in_its_canonical_form() -> None:
    kinds = (("id", FieldKind.INTEGER), ("t", FieldKind.TEXT), ("b", FieldKind.BOOLEAN),
             ("d", FieldKind.DATE), ("u", FieldKind.UTC_TIME))  # fmt: skip
    sample = HashedRecordType("sample", 3, kinds)
    text = canonical_record(sample, {"id": 1, "t": None, "b": False, "d": date(2026, 1, 2),
                                     "u": None}).decode()  # fmt: skip
    assert text == '["clinic-desk-record","sample",3,[1,null,false,"2026-01-02",null]]'
    for name, wrong in (("b", 0), ("t", 5), ("d", "2026-01-02"), ("id", 1.0),
                        ("u", date(2026, 1, 2))):  # fmt: skip
        with pytest.raises(RecordCanonicalError) as caught:
            canonical_record(sample, {"id": 1, "t": "", "b": True, "d": None, "u": None}
                             | {name: wrong})  # fmt: skip
        assert str(caught.value).startswith(f"sample.{name}: ")


def test_registry_answers_what_it_holds() -> None:
    types = RecordTypes()
    one = types.register(HashedRecordType("b", 2, (("id", FieldKind.INTEGER),)))
    older = types.register(HashedRecordType("b", 1, (("id", FieldKind.INTEGER),)))
    types.register(HashedRecordType("a", 1, (("id", FieldKind.INTEGER),)))
    assert types.current("b") is one and types.format_of("b", 1) is older
    assert types.names() == ("a", "b")
    assert "a" in types and "c" not in types
    with pytest.raises(ValueError, match=r"^b format 2 is registered$"):
        types.register(HashedRecordType("b", 2, (("id", FieldKind.INTEGER),)))
    with pytest.raises(ValueError, match=r"^a hashed record's first field is its integer id$"):
        types.register(HashedRecordType("c", 1, ()))
    with pytest.raises(ValueError, match=r"^a hashed record's first field is its integer id$"):
        types.register(HashedRecordType("c", 1, (("id", FieldKind.TEXT),)))


def test_times_are_written_in_utc_whatever_the_workstation_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A workstation set to Auckland time must hash a record exactly as one in London."""
    import time

    sample = HashedRecordType("sample", 1, (("id", FieldKind.INTEGER), ("u", FieldKind.UTC_TIME)))
    instant = datetime(2026, 11, 23, 8, 0, 0, 1, tzinfo=UTC)
    expected = '["clinic-desk-record","sample",1,[1,"2026-11-23T08:00:00.000001Z"]]'
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert canonical_record(sample, {"id": 1, "u": instant}).decode() == expected
    finally:
        monkeypatch.undo()
        time.tzset()
