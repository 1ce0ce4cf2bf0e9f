"""The clinic's own details, printed on every page the clinic hands out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.phones import country_for_time_zone, is_known_country
from clinic_desk.domain.session_start import (
    MAX_CONSENT_VALIDITY_MONTHS,
    MIN_CONSENT_VALIDITY_MONTHS,
)
from clinic_desk.domain.text_checks import TextKind, check_text

MIN_INTAKE_AGE_DAYS = 7
MAX_INTAKE_AGE_DAYS = 365


class PaperSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


@dataclass(frozen=True, slots=True)
class ClinicDetails:
    name: str
    address: str
    phone: str
    time_zone: str
    paper_size: PaperSize
    date_format: DateFormat = DateFormat.DAY_MONTH_YEAR_SLASH
    # A medical history older than this on the session date must be taken again.
    intake_max_age_days: int = 90
    # ISO 3166 code ("FR"): how patients' phone numbers are read and shown. Left empty,
    # the time zone's country is taken; with none, only numbers written with + are read.
    country: str = ""
    # A signed treatment consent is valid this many months; None keeps what is stored
    # (12 for a new clinic).
    consent_validity_months: int | None = None
    # Open the print dialog for the aftercare sheet as soon as a session is signed off;
    # None keeps what is stored (off for a new clinic).
    print_aftercare_on_sign_off: bool | None = None


def common_time_zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def validate_clinic_details(details: ClinicDetails) -> ClinicDetails:
    check_text(details.name, field="name", label="clinic's name")
    check_text(details.address, field="address", label="address", kind=TextKind.MULTILINE)
    check_text(details.phone, field="phone", label="phone number", kind=TextKind.IDENTITY)
    check_text(details.time_zone, field="time_zone", label="time zone")
    name = " ".join(details.name.split())
    if not name:
        raise ValidationError("Enter the clinic's name.", field="name")
    if len(name) > 120:
        raise ValidationError("The clinic's name may have at most 120 characters.", field="name")
    address = "\n".join(line.strip() for line in details.address.strip().splitlines())
    if not address:
        raise ValidationError("Enter the clinic's address.", field="address")
    if len(address) > 400:
        raise ValidationError("The address may have at most 400 characters.", field="address")
    phone = " ".join(details.phone.split())
    digits = sum(ch.isdigit() for ch in phone)
    if not phone:
        raise ValidationError("Enter the clinic's phone number.", field="phone")
    if digits < 5 or digits > 20 or any(not (ch.isdigit() or ch in " +-()./") for ch in phone):
        raise ValidationError(
            "A phone number has 5 to 20 digits and may use spaces, +, -, ( ) and dots.",
            field="phone",
        )
    try:
        ZoneInfo(details.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"“{details.time_zone}” is not a known time zone.", field="time_zone"
        ) from None
    try:
        date_format = DateFormat(details.date_format)
    except ValueError:
        raise ValidationError("Choose one of the date formats.", field="date_format") from None
    if not MIN_INTAKE_AGE_DAYS <= details.intake_max_age_days <= MAX_INTAKE_AGE_DAYS:
        raise ValidationError(
            f"A medical history stays valid for {MIN_INTAKE_AGE_DAYS} to "
            f"{MAX_INTAKE_AGE_DAYS} days.",
            field="intake_max_age_days",
        )
    months = details.consent_validity_months
    if months is not None and not (
        MIN_CONSENT_VALIDITY_MONTHS <= months <= MAX_CONSENT_VALIDITY_MONTHS
    ):
        raise ValidationError(
            f"A signed consent stays valid for {MIN_CONSENT_VALIDITY_MONTHS} to "
            f"{MAX_CONSENT_VALIDITY_MONTHS} months.",
            field="consent_validity_months",
        )
    country = details.country.strip().upper() or country_for_time_zone(details.time_zone)
    if country and not is_known_country(country):
        raise ValidationError("Choose the clinic's country.", field="country")
    return ClinicDetails(
        name,
        address,
        phone,
        details.time_zone,
        PaperSize(details.paper_size),
        date_format,
        details.intake_max_age_days,
        country,
        months,
        details.print_aftercare_on_sign_off,
    )
