"""The clinic's country in the clinic form (first start and settings): proposed from the
time zone, kept once chosen, saved with the profile."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.ui.clinic_form import ClinicProfileForm
from tests.helpers.clinic import SAMPLE_CLINIC, SeededClinic


def test_the_country_follows_the_time_zone_until_chosen(qtbot: QtBot) -> None:
    form = ClinicProfileForm()
    qtbot.addWidget(form)
    form.time_zone_combo.set_zone("Europe/Paris")
    assert form.country_combo.country() == "FR"
    assert form.details().country == "FR"
    form.time_zone_combo.set_zone("America/Chicago")
    assert form.country_combo.country() == "US"
    # chosen by hand, it stays when the time zone changes
    index = form.country_combo.findData("BE")
    form.country_combo.setCurrentIndex(index)
    form.country_combo.activated.emit(index)
    form.time_zone_combo.set_zone("Europe/Paris")
    assert form.details().country == "BE"


def test_an_unknown_country_is_refused_next_to_the_field(qtbot: QtBot) -> None:
    form = ClinicProfileForm()
    qtbot.addWidget(form)
    form.country_combo.setEditText("Atlantis")
    assert form.problems()["country"] == "Choose the clinic's country."


def test_the_country_is_saved_with_the_profile(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    profile = sqlite_core.clinic.profile()
    assert profile is not None and profile.country == "PL"
    form = ClinicProfileForm()
    qtbot.addWidget(form)
    form.set_profile(profile)
    assert form.country_combo.country() == "PL"
    form.country_combo.setCurrentIndex(form.country_combo.findData("DE"))
    saved = sqlite_core.clinic.update_profile(
        seeded.admin, replace(SAMPLE_CLINIC, country=form.details().country),
        expected_version=profile.version)
    assert saved.country == "DE"
