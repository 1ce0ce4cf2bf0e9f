"""The treatment catalogues shipped as data: example devices, the protocol, and the
aftercare and pre-care sheet templates.

JSON is read with `parse_float=Decimal`, so 0.1 mm stays exactly 0.1 mm. A broken file
raises `CatalogueError` naming the file and the entry.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from functools import cache
from typing import Any

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.device_catalogue import DeviceCatalogue, parse_device_catalogue
from clinic_desk.domain.protocol import Protocol, parse_protocol
from clinic_desk.domain.sheet_template import SheetTemplate, parse_sheet_template
from clinic_desk.shipped import read_resource_text, reports_root

CURRENT_DEVICES_VERSION = 1
CURRENT_PROTOCOL_VERSION = 1
CURRENT_AFTERCARE_VERSION = 1
CURRENT_PRECARE_VERSION = 1


def read_exact_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CatalogueError(name, f"not valid JSON (line {exc.lineno}: {exc.msg})") from None


def _in_file(name: str, error: CatalogueError) -> CatalogueError:
    where = f"{name}: {error.where}" if error.where else name
    return CatalogueError(where, error.problem)


def load_device_catalogue(text: str, name: str) -> DeviceCatalogue:
    try:
        return parse_device_catalogue(read_exact_json(text, name))
    except CatalogueError as exc:
        raise _in_file(name, exc) from None


def load_protocol(text: str, name: str) -> Protocol:
    try:
        return parse_protocol(read_exact_json(text, name))
    except CatalogueError as exc:
        raise _in_file(name, exc) from None


def load_sheet_template(text: str, name: str) -> SheetTemplate:
    try:
        return parse_sheet_template(text)
    except CatalogueError as exc:
        raise _in_file(name, exc) from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(name, f"the front matter is not valid TOML ({exc})") from None


@cache
def example_devices(version: int = CURRENT_DEVICES_VERSION) -> DeviceCatalogue:
    name = f"example-devices-v{version}.json" if version > 1 else "example-devices.json"
    return load_device_catalogue(read_resource_text("devices", name), name)


@cache
def protocol(version: int = CURRENT_PROTOCOL_VERSION) -> Protocol:
    """Every version stays loadable: a session names the version it was checked against."""
    name = f"protocol-v{version}.json"
    return load_protocol(read_resource_text("protocol", name), name)


@cache
def aftercare_template(version: int = CURRENT_AFTERCARE_VERSION) -> SheetTemplate:
    return _sheet("aftercare", version)


@cache
def precare_template(version: int = CURRENT_PRECARE_VERSION) -> SheetTemplate:
    return _sheet("precare", version)


def _sheet(kind: str, version: int) -> SheetTemplate:
    name = f"{kind}-v{version}.md"
    text = reports_root().joinpath(kind, name).read_text(encoding="utf-8")
    return load_named_sheet(text, name, kind, version)


def load_named_sheet(text: str, name: str, kind: str, version: int) -> SheetTemplate:
    """A template whose front matter must agree with its file name."""
    template = load_sheet_template(text, name)
    if template.kind != kind or template.version != version:
        raise CatalogueError(
            name, f"declares {template.kind} version {template.version}, not {kind} {version}"
        )
    return template
