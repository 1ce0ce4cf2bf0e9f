"""Names for demo patients, from several languages, with their accents.

Given names match the patient's sex; where a language gives family names a feminine
form (Polish, Czech, Icelandic), women and men each get their own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    families_female: tuple[str, ...]
    families_male: tuple[str, ...]
    # The country whose mobile numbers the patients have (ISO 3166).
    region: str


def _pool(
    female: str, male: str, families: str, region: str, families_male: str | None = None
) -> NamePool:
    def split(text: str) -> tuple[str, ...]:
        return tuple(name.strip() for name in text.split(",") if name.strip())

    return NamePool(
        split(female),
        split(male),
        split(families),
        split(families_male if families_male is not None else families),
        region,
    )


NAME_POOLS: dict[str, NamePool] = {
    "fr": _pool(
        "Amélie, Chloé, Léa, Zoé, Hélène, Céline, Maëlle, Noémie, Inès, Éloïse, Renée, Anaïs",
        "Gaël, Jérôme, François, Loïc, Théo, Mathis",
        "Dubois, Lefèvre, Moreau, Girard, Rousseau, Mercier, Faure, Bézier, Gagné, Lemaître, "
        "Chevalier, Dupré, Bérard, Laurent, Dubois-Laurent",
        "FR",
    ),
    "de": _pool(
        "Käthe, Lena, Sophie, Anja, Mia, Hannah, Greta, Ute",
        "Jürgen, Jörg, Günther, Jonas, Björn, Lukas, Felix, Maximilian",
        "Müller, Schröder, Weiß, Groß, Köhler, Bäcker, Fischer, Schäfer, Wagner, Krüger, "
        "Hoffmann, Vogel, Schmidt, Zimmermann, Böhm",
        "DE",
    ),
    "pl": _pool(
        "Łucja, Małgorzata, Agnieszka, Zofia, Wiktoria, Żaneta, Bożena, Alicja",
        "Łukasz, Paweł, Michał, Grzegorz, Jędrzej, Krzysztof",
        "Wiśniewska, Łukasiewicz, Kowalczyk, Woźniak, Dąbrowska, Zielińska, Szymańska, "
        "Kamińska, Żółkiewska, Nowak, Wójcik, Lewandowska",
        "PL",
        "Wiśniewski, Łukasiewicz, Kowalczyk, Woźniak, Dąbrowski, Zieliński, Szymański, "
        "Kamiński, Żółkiewski, Nowak, Wójcik, Lewandowski",
    ),
    "es": _pool(
        "María José, Lucía, Sofía, Begoña, Inés, Nuria, Rocío, Ángela",
        "Martín, Andrés, Ramón, Álvaro, Iñaki, José Luis",
        "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, "
        "Núñez, Ibáñez, Muñoz, Peña, de la Fuente",
        "ES",
    ),
    "pt": _pool(
        "Inês, Conceição, Beatriz, Mariana, Leonor",
        "João, Gonçalo, Sebastião, Tomás, Simão",
        "Gonçalves, Conceição, Araújo, Magalhães, Simões, Brandão, Pereira, Silva, Estêvão, "
        "Loureiro",
        "PT",
    ),
    "cz": _pool(
        "Lucie, Tereza, Kateřina, Věra, Jana",
        "Jiří, Tomáš, Ondřej, Zdeněk",
        "Dvořáková, Novotná, Černá, Procházková, Kučerová, Veselá, Mullerová, Horáková, "
        "Růžičková",
        "CZ",
        "Dvořák, Novotný, Černý, Procházka, Kučera, Veselý, Muller, Horák, Růžička",
    ),
    "hu": _pool(
        "Ágnes, Zsófia, Réka, Erzsébet",
        "Gergő, Bálint, Lőrinc, Dániel",
        "Kovács, Szőke, Tóth, Horváth, Nagy, Szabó, Varga, Fűzfa, Győri",
        "HU",
    ),
    "nordic": _pool(
        "Åsa, Ingrid, Märta, Sigrún, Elin",
        "Søren, Bjørn, Øystein, Jón",
        "Ångström, Sørensen, Løvgren, Jóhannsdóttir, Nyström, Øvergård, Hansen, Lindqvist, "
        "Åberg",
        "SE",
        "Ångström, Sørensen, Løvgren, Kristjánsson, Nyström, Øvergård, Hansen, Lindqvist, "
        "Åberg",
    ),
    "tr": _pool(
        "Ayşe, Çağla, Gülşen, Öykü, İrem, Zeynep",
        "Şükrü, Oğuz, Emre",
        "Yılmaz, Öztürk, Şahin, Çelik, Aydın, Doğan, Güneş, Kılıç, Koç",
        "TR",
    ),
    "vi": _pool(
        "Nguyễn Thị Lan, Thảo, Hương, Phương, Ngọc",
        "Minh, Đức, Tuấn",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Đặng, Vũ, Bùi",
        "VN",
    ),
    "en": _pool(
        "Olivia, Amelia, Siobhán, Aoife, Niamh, Grace, Charlotte, Chloë, Zoë",
        "James, Oliver, Seán, Émile",
        "O'Brien, Smith, Johnson, Williams, Ní Bhriain, MacDonald, Taylor, Brown, "
        "Ó Súilleabháin, Fitzgerald-Montgomery, Evans, Walsh",
        "GB",
        "O'Brien, Smith, Johnson, Williams, MacDonald, Taylor, Brown, Ó Súilleabháin, "
        "Fitzgerald-Montgomery, Evans, Walsh",
    ),
}

STREETS = (
    "Rue des Lilas",
    "Hauptstraße",
    "ul. Piotrkowska",
    "Calle Mayor",
    "Rua Augusta",
    "Václavské nám.",
    "Andrássy út",
    "Storgatan",
    "İstiklal Cd.",
    "High Street",
)
CITIES = (
    "Paris",
    "München",
    "Łódź",
    "Sevilla",
    "Lisboa",
    "Praha",
    "Budapest",
    "Göteborg",
    "İstanbul",
    "Dublin",
)
