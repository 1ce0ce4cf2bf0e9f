"""Country names come from the time-zone database's ISO 3166 table; a clinic's time zone
gives its country, UTC none."""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

import pytest

from clinic_desk.domain.phones import _tz_table, country_for_time_zone, country_names


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


def test_a_zone_of_a_country_without_phone_numbers_gives_none() -> None:
    """Pitcairn and Antarctica are in zone.tab but have no phone-number plan of their own:
    no country is proposed rather than one the phone checks cannot use."""
    assert country_for_time_zone("Pacific/Pitcairn") == ""
    assert country_for_time_zone("Antarctica/Troll") == ""
    assert country_for_time_zone("Pacific/Auckland") == "NZ"


def test_without_system_zone_files_the_tzdata_package_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As on Windows: no zone files in TZPATH, the tables come from the tzdata package."""
    package = tmp_path / "tzdata"
    (package / "zoneinfo").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "zoneinfo" / "zone.tab").write_text("NZ\t-3652+17446\tPacific/Auckland\n",
                                                   encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tzdata", raising=False)
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tmp_path / "none"),))
    assert _tz_table("zone.tab") == "NZ\t-3652+17446\tPacific/Auckland\n"
    assert _tz_table("iso3166.tab") == ""  # not in the package either
    monkeypatch.setitem(sys.modules, "tzdata", None)  # not installed: importing it fails
    assert _tz_table("zone.tab") == ""  # neither: no table, no error
