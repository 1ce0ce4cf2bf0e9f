"""The demo patients' name pools (services/demo_names.py): eleven languages, each with
its phone region; names split cleanly from their lists and written as people write them;
where a language has feminine family names, women and men each get their own, and the
two lists pair up name by name; one street and one city per region for addresses."""

from __future__ import annotations

from clinic_desk.services.demo_names import CITIES, NAME_POOLS, STREETS, NamePool

REGIONS = {
    "fr": "FR", "de": "DE", "pl": "PL", "es": "ES", "pt": "PT", "cz": "CZ", "hu": "HU",
    "nordic": "SE", "tr": "TR", "vi": "VN", "en": "GB",
}  # fmt: skip


def _names(pool: NamePool) -> list[str]:
    return [*pool.female, *pool.male, *pool.families_female, *pool.families_male]


def _as_written(name: str) -> bool:
    """No stray spaces or list commas, not in capitals: 'O'Brien', 'de la Fuente',
    'MacDonald', 'Nguyễn Thị Lan' are; 'AMÉLIE', 'Amélie,' and ' Léa' are not."""
    words = name.split(" ")
    return (
        name == name.strip()
        and "," not in name
        and all(words)
        and not any(len(w) > 1 and w[0].isupper() and w[1].isupper() for w in words)
        and not name[-1].isupper()
    )


def test_eleven_languages_each_with_its_phone_region() -> None:
    assert {key: pool.region for key, pool in NAME_POOLS.items()} == REGIONS


def test_every_pool_has_names_for_women_and_men_written_as_people_write_them() -> None:
    for key, pool in NAME_POOLS.items():
        assert len(pool.female) >= 4 and len(pool.male) >= 3, key
        assert len(pool.families_female) >= 8 and len(pool.families_male) >= 8, key
        for name in _names(pool):
            assert _as_written(name), (key, name)
        assert len(set(pool.female)) == len(pool.female), key
        assert not set(pool.female) & set(pool.male), key


def test_feminine_family_names_pair_up_with_the_masculine_ones() -> None:
    feminine = {"pl", "cz", "nordic", "en"}
    for key, pool in NAME_POOLS.items():
        if key not in feminine:
            assert pool.families_male == pool.families_female, key
            continue
        assert pool.families_male != pool.families_female, key
    polish = NAME_POOLS["pl"]
    assert len(polish.families_female) == len(polish.families_male)
    pairs = dict(zip(polish.families_female, polish.families_male, strict=True))
    assert pairs["Wiśniewska"] == "Wiśniewski" and pairs["Nowak"] == "Nowak"
    assert all(f == m or (f.endswith("ska") and m.endswith("ski")) or f[:-1] == m[:-1]
               for f, m in pairs.items()), pairs
    czech = NAME_POOLS["cz"]
    assert dict(zip(czech.families_female, czech.families_male, strict=True))[
        "Dvořáková"] == "Dvořák"
    assert "Jóhannsdóttir" in NAME_POOLS["nordic"].families_female
    assert "Kristjánsson" in NAME_POOLS["nordic"].families_male
    assert "Ní Bhriain" in NAME_POOLS["en"].families_female
    assert "Ní Bhriain" not in NAME_POOLS["en"].families_male


def test_names_keep_their_accents_and_several_words() -> None:
    everything = {name for pool in NAME_POOLS.values() for name in _names(pool)}
    for name in ("Amélie", "Łucja", "Żółkiewska", "Ångström", "Øvergård", "Nguyễn Thị Lan",
                 "María José", "de la Fuente", "Ó Súilleabháin", "Fitzgerald-Montgomery",
                 "O'Brien", "İrem", "Şükrü", "Lőrinc", "Kateřina"):
        assert name in everything, name


def test_one_street_and_one_city_per_region() -> None:
    assert len(STREETS) == len(CITIES) == 10
    assert len(set(STREETS)) == len(set(CITIES)) == 10
    for text in (*STREETS, *CITIES):
        assert _as_written(text.replace(".", "")), text
    assert dict(zip(CITIES, STREETS, strict=True)) == {
        "Paris": "Rue des Lilas", "München": "Hauptstraße", "Łódź": "ul. Piotrkowska",
        "Sevilla": "Calle Mayor", "Lisboa": "Rua Augusta", "Praha": "Václavské nám.",
        "Budapest": "Andrássy út", "Göteborg": "Storgatan", "İstanbul": "İstiklal Cd.",
        "Dublin": "High Street",
    }
