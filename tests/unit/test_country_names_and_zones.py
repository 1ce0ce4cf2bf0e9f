"""Country names come from the time-zone database's ISO 3166 table; a clinic's time zone
gives its country, UTC none."""

from __future__ import annotations

from clinic_desk.domain.phones import country_for_time_zone, country_names


def test_country_names_come_from_the_iso_table() -> None:
    names = country_names()
    assert names["FR"] == "France"
    assert names["AF"] == "Afghanistan"
    assert names["GB"] == "Britain (UK)"


def test_time_zones_give_their_country_and_utc_none() -> None:
    assert country_for_time_zone("Europe/Paris") == "FR"
    assert country_for_time_zone("Europe/London") == "GB"
    assert country_for_time_zone("UTC") == ""
    assert country_for_time_zone("Etc/UTC") == ""
