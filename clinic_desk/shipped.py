"""Files shipped with Clinic Desk: `resources/` and `reports/`, installed or in a checkout."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_CHECKOUT = Path(__file__).parents[1]


@cache
def _root(package: str, folder: str, probe: str) -> Traversable:
    """The installed package folder; the checkout's top-level folder otherwise.

    An editable install maps the package through a finder that may not expose the folder,
    so the source tree is a fallback rather than an error.
    """
    try:
        root = resources.files(package)
        if root.joinpath(probe).is_file():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return _CHECKOUT / folder


def resource_root() -> Traversable:
    return _root("clinic_desk.resources", "resources", "style.qss")


def reports_root() -> Traversable:
    return _root("clinic_desk.reports", "reports", "README.md")


def read_resource_text(*parts: str) -> str:
    return resource_root().joinpath(*parts).read_text(encoding="utf-8")


def read_resource_json(*parts: str) -> Any:
    return json.loads(read_resource_text(*parts))
