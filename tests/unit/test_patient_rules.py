"""A patient's details, phone numbers and stored text at their limits (one below, on,
one above), and the clinic profile's own limits."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from clinic_desk.domain import phones
from clinic_desk.domain.clinic_profile import (
    MAX_INTAKE_AGE_DAYS,
    MIN_INTAKE_AGE_DAYS,
    ClinicDetails,
    PaperSize,
    validate_clinic_details,
)
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import (
    FITZPATRICK_DESCRIPTIONS,
    MAX_ADDRESS,
    MAX_NAME,
    MAX_NOTES,
    OLDEST_BIRTH_YEAR,
    FitzpatrickType,
    PatientDetails,
    Sex,
    age_on,
    check_date_of_birth,
    check_email,
    check_phone,
    format_patient_number,
    validate_patient,
)
from clinic_desk.domain.text_checks import (
    BIDI_CONTROLS,
    TextKind,
    check_password_text,
    check_text,
    text_problem,
)

TODAY = date(2026, 11, 23)
ZOE = PatientDetails(
    "Ångström-Müller Ferreira de la Fuente", "Zoë", date(1990, 2, 28), "06 12 34 56 78"
)


def _refused(details: PatientDetails) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_patient(details, TODAY)
    return caught.value


@pytest.mark.parametrize(
    ("day", "age"),
    [(date(2026, 3, 11), 40), (date(2026, 3, 12), 41), (date(2026, 3, 13), 41),
     (date(2026, 2, 12), 40), (date(2026, 4, 1), 41), (date(1985, 3, 12), 0)],
)  # fmt: skip
def test_age_turns_on_the_birthday_not_a_day_before(day: date, age: int) -> None:
    assert age_on(date(1985, 3, 12), day) == age


def test_stored_values_and_limits_are_pinned() -> None:
    assert [s.value for s in Sex] == ["female", "male", "other"]
    assert [f.value for f in FitzpatrickType] == ["I", "II", "III", "IV", "V", "VI"]
    assert FITZPATRICK_DESCRIPTIONS == {
        FitzpatrickType.I: "Always burns, never tans",
        FitzpatrickType.II: "Usually burns, tans with difficulty",
        FitzpatrickType.III: "Sometimes burns, tans gradually",
        FitzpatrickType.IV: "Rarely burns, tans easily",
        FitzpatrickType.V: "Very rarely burns, tans darkly",
        FitzpatrickType.VI: "Never burns, deeply pigmented",
    }
    assert list(FITZPATRICK_DESCRIPTIONS) == list(FitzpatrickType)
    assert (MAX_NAME, MAX_NOTES, MAX_ADDRESS, OLDEST_BIRTH_YEAR) == (100, 5000, 400, 1900)
    assert format_patient_number(42) == "P-000042"
    assert format_patient_number(1234567) == "P-1234567"


def test_good_details_are_cleaned() -> None:
    raw = dataclasses.replace(
        ZOE, family_name="  O’Brien  de   la Fuente ", given_name="Anne-Marie",
        phone=" +33 6 12  34 56 78 ", email=" zoe@example.fr ", address=" 1 rue X  \n Paris ",
        notes="a  \n\tb", preferred_name="", emergency_contact_phone="",
        referring_physician="Dr. Ngũgĩ", emergency_contact_name="",
    )  # fmt: skip
    cleaned = validate_patient(raw, TODAY)
    assert cleaned.family_name == "O’Brien de la Fuente"
    assert cleaned.phone == "+33 6 12 34 56 78"
    assert (cleaned.email, cleaned.address, cleaned.notes) == (
        "zoe@example.fr", "1 rue X\n Paris", "a\n\tb",
    )  # fmt: skip
    assert cleaned.referring_physician == "Dr. Ngũgĩ"
    assert validate_patient(ZOE, TODAY).family_name == ZOE.family_name


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "  ", "Enter the family name."),
        ("given_name", "", "Enter the given name."),
        ("given_name", "Zoë2", "The given name may contain only letters, spaces, hyphens, "
         "apostrophes and dots (not “2”)."),
        ("family_name", "--", "The family name must contain letters."),
        ("family_name", "x" * 101, "The family name may have at most 100 characters."),
        ("preferred_name", "Zo_e", None),
        ("emergency_contact_name", "J@ne", None),
        ("referring_physician", "Dr 7", None),
        ("phone", "", "Enter a phone number."),
        ("email", "zoe@", "This does not look like an email address (name@example.com)."),
        ("address", "x" * 401, "The address may have at most 400 characters."),
        ("notes", "x" * 5001, "The notes may have at most 5000 characters."),
        ("notes", "a\x0bb", None),
        ("emergency_contact_phone", "12ab34", None),
    ],
)  # fmt: skip
def test_bad_details_name_their_field(field: str, value: str, message: str | None) -> None:
    error = _refused(dataclasses.replace(ZOE, **{field: value}))  # type: ignore[arg-type]
    assert error.field == field
    if message is not None:
        assert str(error) == message


def test_names_addresses_and_notes_at_their_limits_pass() -> None:
    cleaned = validate_patient(
        dataclasses.replace(ZOE, family_name="x" * 100, address="a" * 400, notes="n" * 5000),
        TODAY,
    )
    assert (len(cleaned.family_name), len(cleaned.address), len(cleaned.notes)) == (
        100, 400, 5000,
    )  # fmt: skip
    assert validate_patient(dataclasses.replace(ZOE, given_name="Zoe\u0301"), TODAY)


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("12345", False), ("123456", True), ("1" * 15, True), ("1" * 16, False),
     ("+44 (20) 7946-0018.", True), ("06 12 34 56 7a", False), ("0612 ext 5", False),
     ("06+1234567", False), ("+0612345678", True), ("٠٦١٢٣٤٥٦٧٨", False),
     ("++33612345", False), ("06/12/34/56", True)],
)  # fmt: skip
def test_phone_numbers_have_6_to_15_digits_and_no_letters(typed: str, ok: bool) -> None:
    if ok:
        assert check_phone(typed, "phone", required=True) == typed
        return
    with pytest.raises(ValidationError) as caught:
        check_phone(typed, "phone", required=True)
    assert caught.value.field == "phone"
    assert str(caught.value).startswith("A phone number has 6 to 15 digits")


def test_an_optional_phone_may_be_blank() -> None:
    assert check_phone("   ", "emergency_contact_phone", required=False) == ""
    with pytest.raises(ValidationError) as caught:
        check_phone("   ", "phone", required=True)
    assert caught.value.field == "phone"


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("a@b.c", True), ("", True), ("x" * 64 + "@example.com", True),
     ("x" * 65 + "@example.com", False), ("a@b", False), ("a b@c.d", False), ("a@@b.c", False),
     ("a@b..c", False), ("a@" + "b" * 251 + ".c", False)],
)  # fmt: skip
def test_email_addresses(typed: str, ok: bool) -> None:
    if ok:
        assert check_email(f" {typed} ") == typed
    else:
        with pytest.raises(ValidationError) as caught:
            check_email(typed)
        assert caught.value.field == "email"


def test_email_length_limit_is_254() -> None:
    at_limit = "a@" + "b" * 249 + ".cd"
    assert len(at_limit) == 254 and check_email(at_limit) == at_limit
    with pytest.raises(ValidationError):
        check_email("a@" + "b" * 250 + ".cd")


@pytest.mark.parametrize(
    ("born", "message"),
    [(None, "Enter the date of birth."),
     (date(2026, 11, 24), "The date of birth cannot be in the future."),
     (date(1899, 12, 31), "The date of birth cannot be before 1900.")],
)  # fmt: skip
def test_dates_of_birth_outside_the_possible_are_refused(
    born: date | None, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        check_date_of_birth(born, TODAY)
    assert (caught.value.field, str(caught.value)) == ("date_of_birth", message)
    assert check_date_of_birth(TODAY, TODAY) == TODAY
    assert check_date_of_birth(date(1900, 1, 1), TODAY) == date(1900, 1, 1)


@pytest.mark.parametrize(
    ("text", "kind", "problem"),
    [("a\ud800", TextKind.LINE, "an unpaired surrogate character (U+D800)"),
     ("a\udfff", TextKind.MULTILINE, "an unpaired surrogate character (U+DFFF)"),
     ("a\x00", TextKind.MULTILINE, "a null character"),
     ("a\nb", TextKind.LINE, "a control character (U+000A)"),
     ("a\x7f", TextKind.MULTILINE, "a control character (U+007F)"),
     ("a\u202eb", TextKind.IDENTITY, "an invisible text-direction character (U+202E)"),
     ("a\u200fb", TextKind.IDENTITY, "an invisible text-direction character (U+200F)"),
     ("a\u202eb", TextKind.LINE, None), ("a\n\r\tb", TextKind.MULTILINE, None),
     ("a\ud7ff\ue000", TextKind.LINE, None), ("Zoë", TextKind.IDENTITY, None)],
)  # fmt: skip
def test_text_that_cannot_be_stored_faithfully(
    text: str, kind: TextKind, problem: str | None
) -> None:
    assert text_problem(text, kind) == problem


def test_text_checks_name_field_and_kind_never_the_character() -> None:
    assert len(BIDI_CONTROLS) == 12 and "\u061c" in BIDI_CONTROLS and "\u2069" in BIDI_CONTROLS
    assert [k.value for k in TextKind] == ["line", "multiline", "identity"]
    assert text_problem("a\nb") == "a control character (U+000A)"  # one line by default
    with pytest.raises(ValidationError) as caught:
        check_text("x\x00", field="notes", label="notes")
    assert caught.value.field == "notes"
    assert str(caught.value) == (
        "The notes contains a null character, which cannot be stored. Remove it and type "
        "the text again."
    )
    with pytest.raises(ValidationError) as not_text:
        check_text(5, field="name", label="name")  # type: ignore[arg-type]
    assert (not_text.value.field, str(not_text.value)) == ("name", "The name must be text.")
    assert check_text("a\tb", field="f", label="l", kind=TextKind.MULTILINE) == "a\tb"


def test_passwords_refuse_only_what_cannot_be_encoded() -> None:
    assert check_password_text("a\u202e\x01 b") == "a\u202e\x01 b"
    with pytest.raises(ValidationError) as null:
        check_password_text("a\x00", field="new_password")
    assert null.value.field == "new_password"
    assert str(null.value).endswith("(a null character).")
    with pytest.raises(ValidationError) as surrogate:
        check_password_text("a\udc00")
    assert surrogate.value.field == "password"
    assert str(surrogate.value).endswith("(U+DC00).")
    with pytest.raises(ValidationError) as not_text:
        check_password_text(None, field="new_password")  # type: ignore[arg-type]
    assert (not_text.value.field, str(not_text.value)) == (
        "new_password", "The password must be text.",
    )  # fmt: skip
    prefix = "The password contains a character that cannot be used in a password "
    for text, named in (("\ud800", "(U+D800)."), ("x\udfff", "(U+DFFF)."),
                        ("\x00", "(a null character).")):  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            check_password_text(text)
        assert (caught.value.field, str(caught.value)) == ("password", prefix + named)
    assert check_password_text("\ud7ff\ue000\x01") == "\ud7ff\ue000\x01"


CLINIC = ClinicDetails("Clinic", "1 Main St", "+44 20 7946 0000", "Europe/London", PaperSize.A4)


def test_clinic_profile_defaults_and_limits_are_pinned() -> None:
    assert (MIN_INTAKE_AGE_DAYS, MAX_INTAKE_AGE_DAYS) == (7, 365)
    assert CLINIC.intake_max_age_days == 90
    assert CLINIC.date_format is DateFormat.DAY_MONTH_YEAR_SLASH
    assert CLINIC.country == ""
    assert [p.value for p in PaperSize] == ["A4", "Letter"]


def test_clinic_country_comes_from_the_time_zone_unless_chosen() -> None:
    cleaned = validate_clinic_details(dataclasses.replace(CLINIC, time_zone="Europe/Paris"))
    assert cleaned.country == "FR"
    assert validate_clinic_details(CLINIC).country == "GB"
    chosen = validate_clinic_details(dataclasses.replace(CLINIC, country=" be "))
    assert chosen.country == "BE"
    assert validate_clinic_details(dataclasses.replace(CLINIC, time_zone="UTC")).country == ""
    with pytest.raises(ValidationError) as caught:
        validate_clinic_details(dataclasses.replace(CLINIC, country="XX"))
    assert (caught.value.field, str(caught.value)) == ("country", "Choose the clinic's country.")
    kept = validate_clinic_details(
        dataclasses.replace(
            CLINIC,
            paper_size="Letter",  # type: ignore[arg-type]
            date_format="YYYY-MM-DD",  # type: ignore[arg-type]
            intake_max_age_days=30,
        )
    )
    assert (kept.paper_size, kept.date_format, kept.intake_max_age_days) == (
        PaperSize.LETTER, DateFormat.ISO, 30,
    )  # fmt: skip
    assert (kept.time_zone, kept.name, kept.address) == ("Europe/London", "Clinic", "1 Main St")


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [("name", "x" * 120, True), ("address", "a" * 400, True), ("address", "a" * 401, False),
     ("phone", "12345", True), ("phone", "1234", False), ("phone", "1" * 20, True),
     ("phone", "1" * 21, False), ("phone", "  ", False), ("phone", "12345 x", False),
     ("name", "a\x00", False), ("address", "a\x00", False), ("phone", "1234\u202e5", False),
     ("time_zone", "Europe/London\x00", False)],
)  # fmt: skip
def test_clinic_details_at_their_limits(field: str, value: str, ok: bool) -> None:
    details = dataclasses.replace(CLINIC, **{field: value})  # type: ignore[arg-type]
    if ok:
        assert getattr(validate_clinic_details(details), field) == value
        return
    with pytest.raises(ValidationError) as caught:
        validate_clinic_details(details)
    assert caught.value.field == field


def test_clinic_messages() -> None:
    for field, value, message in (
        ("name", " ", "Enter the clinic's name."),
        ("name", "x" * 121, "The clinic's name may have at most 120 characters."),
        ("address", "\n", "Enter the clinic's address."),
        ("address", "a" * 401, "The address may have at most 400 characters."),
        ("phone", "", "Enter the clinic's phone number."),
        ("phone", "1234", "A phone number has 5 to 20 digits and may use spaces, +, -, ( ) "
         "and dots."),
        ("time_zone", "Mars/Base", "“Mars/Base” is not a known time zone."),
        ("intake_max_age_days", 6, "A medical history stays valid for 7 to 365 days."),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            validate_clinic_details(
                dataclasses.replace(CLINIC, **{field: value})  # type: ignore[arg-type]
            )
        assert str(caught.value) == message


def test_phones_are_read_in_the_clinic_country() -> None:
    assert phones.read_phone(" 06 12 34 56 78 ", "fr") == phones.ReadPhone(
        "06 12 34 56 78", "+33612345678"
    )
    assert phones.read_phone("06 12 34 56 78", "").e164 == ""
    assert phones.read_phone("+33 6 12 34 56 78", "").is_recognised
    assert not phones.read_phone("12", "FR").is_recognised
    assert phones.read_phone("hello", "FR") == phones.ReadPhone("hello", "")
    assert phones.read_phone("  ", "FR") == phones.ReadPhone("", "")
    assert phones.e164_of("020 7946 0018", "GB") == "+442079460018"
    assert phones.shown_phone("x", "+33612345678", "fr") == "06 12 34 56 78"
    assert phones.shown_phone("x", "+442079460018", "FR") == "+44 20 7946 0018"
    assert phones.shown_phone("x", "+442079460018", "") == "+44 20 7946 0018"
    assert phones.shown_phone(" 06  12 ", "", "FR") == "06 12"
    assert phones.shown_phone("typed", "garbage", "FR") == "typed"
    assert phones.search_forms("+33612345678") == ("+33612345678", "06 12 34 56 78")
    assert phones.search_forms("") == ()
    assert phones.is_known_country("fr") and not phones.is_known_country("XX")
    assert phones.NO_COUNTRY == ""


def test_time_zones_name_their_countries() -> None:
    assert phones.country_for_time_zone("Europe/Paris") == "FR"
    assert phones.country_for_time_zone("Europe/London") == "GB"
    assert phones.country_for_time_zone("UTC") == ""
    assert phones.country_for_time_zone("Etc/UTC") == ""
    assert phones.country_for_time_zone("Mars/Base") == ""
    zone_tab = (
        "# comment\tx\tEurope/X\n\nFR\t+4852+00220\tEurope/Paris\tmain\n"
        "fr\t+1\tEurope/Other\nGB\t+1\tEurope/Paris\nAQ\t-1\nBE\t+1\t Europe/Brussels \n"
    )
    assert phones._countries_of_zones(zone_tab) == {
        "Europe/Paris": "FR", "Europe/Other": "FR", "Europe/Brussels": "BE",
    }  # fmt: skip
    # Tab-separated: a space inside a column does not split it.
    assert phones._countries_of_zones("X Y\t+1\tZone/A\n") == {"Zone/A": "X Y"}


def test_country_names_in_the_order_of_their_names() -> None:
    names = phones._iso_names("# c\tcomment\nfr\t France \nDE\tGermany\nno tab here\n")
    assert names == {"FR": "France", "DE": "Germany"}
    # Only the first tab ends the code: the rest of the line is the name.
    assert phones._iso_names("x y\tA\tB\n") == {"X Y": "A\tB"}
    ordered = phones._in_name_order({"FR": "France", "DE": "Germany", "AT": "Zzz"})
    assert ordered["FR"] == "France" and ordered["BE"] == "BE"
    keys = list(ordered)
    assert keys.index("DE") > keys.index("FR") and keys.index("AT") == len(keys) - 1
    shipped = phones.country_names()
    assert shipped["FR"] == "France" or shipped["FR"] == "FR"


def test_clinic_text_refusals_name_the_field_in_words() -> None:
    tail = " contains a null character, which cannot be stored. Remove it and type the text again."
    labels = (("name", "The clinic's name"), ("address", "The address"),
              ("phone", "The phone number"), ("time_zone", "The time zone"))  # fmt: skip
    for field, label in labels:
        with pytest.raises(ValidationError) as caught:
            validate_clinic_details(
                dataclasses.replace(CLINIC, **{field: "1\x00"})  # type: ignore[arg-type]
            )
        assert (caught.value.field, str(caught.value)) == (field, label + tail)
    with pytest.raises(ValidationError) as hidden:
        validate_clinic_details(dataclasses.replace(CLINIC, phone="+44 20\u200e 7946 0000"))
    assert str(hidden.value).startswith("The phone number contains an invisible text-direction")
    with pytest.raises(ValidationError) as letter:
        validate_clinic_details(dataclasses.replace(CLINIC, phone="X12345"))
    assert letter.value.field == "phone"
    with pytest.raises(ValidationError) as fmt:
        validate_clinic_details(
            dataclasses.replace(CLINIC, date_format="YY")  # type: ignore[arg-type]
        )
    assert (fmt.value.field, str(fmt.value)) == ("date_format", "Choose one of the date formats.")


def test_numbers_not_read_are_kept_as_typed() -> None:
    assert phones.read_phone(" 12 ", "FR") == phones.ReadPhone("12", "")
    assert phones.read_phone("+33 1", "FR") == phones.ReadPhone("+33 1", "")


def test_zone_tables_come_from_the_system_zone_files() -> None:
    zone_tab = phones._tz_table("zone.tab")
    assert "Europe/Paris" in zone_tab and "\t" in zone_tab
    assert "France" in phones._tz_table("iso3166.tab")
    assert phones._tz_table("no-such-table.tab") == ""


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (12, True), (60, True),
                                            (61, False), (-12, False), (None, True)])
def test_consent_validity_is_1_to_60_months_or_kept_as_stored(months: int | None,
                                                              ok: bool) -> None:
    details = dataclasses.replace(CLINIC, consent_validity_months=months)
    if ok:
        assert validate_clinic_details(details).consent_validity_months == months
        return
    with pytest.raises(ValidationError) as caught:
        validate_clinic_details(details)
    assert (caught.value.field, str(caught.value)) == (
        "consent_validity_months", "A signed consent stays valid for 1 to 60 months.")
