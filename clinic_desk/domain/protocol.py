"""The clinic's treatment protocol: areas, indications and needle depth limits per pair.

Shipped as EXAMPLE values (resources/protocol/) that an administrator reviews: the
source texts say only that fine lines take shallow needling and scars deeper, so every
number is marked as an example. Each session records the protocol version it was
checked against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from clinic_desk.domain.catalogue_data import CatalogueError, Reader, unique_keys
from clinic_desk.domain.course import CourseRules, parse_course_rules
from clinic_desk.domain.quantities import format_mm

# Hard bounds no protocol may leave, whatever an administrator types.
ABSOLUTE_MIN_DEPTH_MM = Decimal("0.1")
ABSOLUTE_MAX_DEPTH_MM = Decimal("3")
NOT_OFFERED = "not offered"


class Region(StrEnum):
    """Which aftercare additions an area brings."""

    FACE = "face"
    BODY = "body"
    SCALP = "scalp"


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    label: str
    region: Region


@dataclass(frozen=True, slots=True)
class Indication:
    key: str
    label: str
    source: str


@dataclass(frozen=True, slots=True)
class DepthLimit:
    default_mm: Decimal
    maximum_mm: Decimal


@dataclass(frozen=True, slots=True)
class NumbingGuide:
    """How long numbing cream usually stays on; outside it a session warns."""

    default_minutes: int
    typical_min_minutes: int
    typical_max_minutes: int
    # Longer than this is taken for a mistyped time.
    implausible_after_minutes: int


@dataclass(frozen=True, slots=True)
class Protocol:
    version: int
    example_values: bool
    notice: str
    areas: tuple[Area, ...]
    indications: tuple[Indication, ...]
    # (area, indication) -> limit; None where the pair is explicitly not offered.
    limits: Mapping[tuple[str, str], DepthLimit | None]
    numbing: NumbingGuide
    courses: CourseRules

    def area(self, key: str) -> Area:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def indication(self, key: str) -> Indication:
        for indication in self.indications:
            if indication.key == key:
                return indication
        raise KeyError(key)

    def limit(self, area: str, indication: str) -> DepthLimit | None:
        """The limit for a pair; None when not offered; KeyError for an unknown pair."""
        return self.limits[(area, indication)]

    def indications_for(self, area: str) -> tuple[Indication, ...]:
        return tuple(i for i in self.indications if self.limits[(area, i.key)] is not None)

    def areas_for(self, indication: str) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if self.limits[(a.key, indication)] is not None)


def parse_protocol(raw: Any) -> Protocol:
    top = Reader.top(raw, "")
    version = top.integer("version")
    if version < 1:
        raise top.fail("version", "must be 1 or more")
    areas = tuple(_area(a) for a in top.children("areas"))
    indications = tuple(
        Indication(i.text("key"), i.text("label"), i.text("source"))
        for i in top.children("indications")
    )
    unique_keys([a.key for a in areas], "areas")
    unique_keys([i.key for i in indications], "indications")
    limits = _limits(top.child("limits"), areas, indications)
    for area in areas:
        if all(limits[(area.key, i.key)] is None for i in indications):
            raise CatalogueError(f"limits.{area.key}", "the area offers no indication")
    for indication in indications:
        if all(limits[(a.key, indication.key)] is None for a in areas):
            raise CatalogueError("limits", f"no area offers “{indication.key}”")
    courses = parse_course_rules(top.child("courses"), [i.key for i in indications])
    return Protocol(
        version=version,
        example_values=top.flag("example_values"),
        notice=top.text("notice"),
        areas=areas,
        indications=indications,
        limits=limits,
        numbing=_numbing(top.child("numbing")),
        courses=courses,
    )


def _area(reader: Reader) -> Area:
    try:
        region = Region(reader.text("region"))
    except ValueError:
        regions = ", ".join(r.value for r in Region)
        raise reader.fail("region", f"must be one of {regions}") from None
    return Area(reader.text("key"), reader.text("label"), region)


def _limits(
    table: Reader, areas: tuple[Area, ...], indications: tuple[Indication, ...]
) -> dict[tuple[str, str], DepthLimit | None]:
    area_keys = {a.key for a in areas}
    indication_keys = {i.key for i in indications}
    for key in table.raw:
        if key not in area_keys:
            raise table.fail(key, "is not one of the areas")
    limits: dict[tuple[str, str], DepthLimit | None] = {}
    for area in areas:
        row = table.child(area.key)
        for key in row.raw:
            if key != "source" and key not in indication_keys:
                raise row.fail(key, "is not one of the indications")
        for indication in indications:
            if indication.key not in row.raw:
                raise row.fail(
                    indication.key, f"is missing: give the depths or write “{NOT_OFFERED}”"
                )
            limits[(area.key, indication.key)] = _limit(row, indication.key)
    return limits


def _limit(row: Reader, key: str) -> DepthLimit | None:
    if row.raw[key] == NOT_OFFERED:
        return None
    if not isinstance(row.raw[key], Mapping):
        raise row.fail(key, f"must give default_mm and max_mm, or say “{NOT_OFFERED}”")
    cell = row.child(key)
    limit = DepthLimit(cell.number("default_mm"), cell.number("max_mm"))
    if limit.maximum_mm < limit.default_mm:
        raise cell.fail(
            "max_mm",
            f"the maximum {format_mm(limit.maximum_mm)} is below the default "
            f"{format_mm(limit.default_mm)}",
        )
    for field, value in (("default_mm", limit.default_mm), ("max_mm", limit.maximum_mm)):
        if not ABSOLUTE_MIN_DEPTH_MM <= value <= ABSOLUTE_MAX_DEPTH_MM:
            raise cell.fail(
                field,
                f"{format_mm(value)} is outside {format_mm(ABSOLUTE_MIN_DEPTH_MM)} to "
                f"{format_mm(ABSOLUTE_MAX_DEPTH_MM)}",
            )
    return limit


def _numbing(reader: Reader) -> NumbingGuide:
    guide = NumbingGuide(
        default_minutes=reader.integer("default_minutes"),
        typical_min_minutes=reader.integer("typical_min_minutes"),
        typical_max_minutes=reader.integer("typical_max_minutes"),
        implausible_after_minutes=reader.integer("implausible_after_minutes"),
    )
    if not (
        0
        < guide.typical_min_minutes
        <= guide.default_minutes
        <= guide.typical_max_minutes
        < guide.implausible_after_minutes
    ):
        raise CatalogueError(
            reader.where,
            "needs 0 < typical_min_minutes <= default_minutes <= typical_max_minutes "
            "< implausible_after_minutes",
        )
    return guide
