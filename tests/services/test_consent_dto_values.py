"""The consent service's plain values (services/consent_dto.py): the states' words as the
command line's `--json` prints them, the form keys, and what a drawn signature carries
when no name or role is given (a witness must then be named; the role defaults)."""

from __future__ import annotations

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.consent_dto import (
    MICRONEEDLING_FORM,
    MICRONEEDLING_RF_FORM,
    PHOTOGRAPHY_FORM,
    ConsentState,
    DrawnSignature,
)
from tests.helpers.consent import png_of, scribble
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.services.exact import refused


def test_the_states_words_and_the_form_keys() -> None:
    assert [s.value for s in ConsentState] == [
        "signed", "declined", "withdrawn", "withdrawal", "superseded", "reconsent_needed"]
    assert (MICRONEEDLING_FORM, MICRONEEDLING_RF_FORM, PHOTOGRAPHY_FORM) == (
        "microneedling", "microneedling-rf", "photography")


def test_a_drawn_signature_carries_no_name_or_role_unless_given() -> None:
    ink = scribble(seed=3)
    drawn = DrawnSignature(ink=ink, image_png=png_of(ink))
    assert (drawn.signer_name, drawn.signer_role) == ("", "")


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def test_a_witness_given_no_name_is_refused_and_one_given_no_role_is_a_witness(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    ink = scribble(seed=4)
    with refused(ValidationError, "Enter the witness's name."):
        sign(core, setup, witness=DrawnSignature(ink=ink, image_png=png_of(ink)))
    signed = sign(core, setup, witness=DrawnSignature(ink=ink, image_png=png_of(ink),
                                                      signer_name="Jonas Müller"))
    witness = signed.signatures[-1]
    assert (witness.meaning, witness.signer_name, witness.signer_role) == (
        "witness", "Jonas Müller", "Witness")
