"""The catalogue reader: each wrong value gives its place and its problem, in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from clinic_desk.domain.catalogue_data import CatalogueError, Reader, unique_keys

RAW = {
    "name": "  Pen  ",
    "count": 3,
    "flag": True,
    "depth": 0.5,
    "due": "2026-06-30",
    "child": {"a": 1},
    "items": [{"k": "x"}, {"k": "y"}],
    "words": [" a ", "b"],
    "empty": None,
}
TOP = Reader(RAW, "devices[0]")


def problem(call: Any) -> tuple[str, str]:
    with pytest.raises(CatalogueError) as caught:
        call()
    return caught.value.where, caught.value.problem


def test_values_that_read() -> None:
    assert TOP.text("name") == "Pen"
    assert TOP.text("missing", "fallback") == "fallback"
    assert TOP.text("name", "fallback") == "Pen"
    assert TOP.integer("count") == 3
    assert TOP.integer("missing", 7) == 7
    assert TOP.integer("count", 7) == 3
    assert TOP.flag("flag") is True
    assert TOP.flag("missing", False) is False
    assert TOP.flag("flag", False) is True
    assert Reader({"d": D("0.5")}, "").number("d") == D("0.5")
    assert Reader({"d": 2}, "").number("d") == D(2)
    assert TOP.day("due") == date(2026, 6, 30)
    assert TOP.day("missing") is None and TOP.day("empty") is None
    assert TOP.child("child").raw == {"a": 1} and TOP.child("child").where == "devices[0].child"
    items = TOP.children("items")
    assert [i.where for i in items] == ["devices[0].items[0]", "devices[0].items[1]"]
    assert TOP.children("missing", default_empty=True) == ()
    assert TOP.children("items", default_empty=True)[1].raw == {"k": "y"}
    assert TOP.texts("words") == ("a", "b") and TOP.texts("missing") == ()
    assert TOP.has("name") and not TOP.has("empty") and not TOP.has("missing")
    assert Reader.top({"a": 1}, "x.json").where == "x.json"
    assert Reader(RAW, "").at("name") == "name"


@pytest.mark.parametrize(
    ("call", "where", "message"),
    [
        (lambda: TOP.text("missing"), "devices[0].missing", "is missing"),
        (lambda: TOP.text("count"), "devices[0].count", "must be a non-empty text"),
        (lambda: Reader({"s": "  "}, "e").text("s"), "e.s", "must be a non-empty text"),
        (lambda: TOP.integer("name"), "devices[0].name", "must be a whole number, not '  Pen  '"),
        (lambda: TOP.integer("flag"), "devices[0].flag", "must be a whole number, not True"),
        (lambda: TOP.integer("missing"), "devices[0].missing", "is missing"),
        (lambda: TOP.flag("count"), "devices[0].count", "must be true or false"),
        (lambda: TOP.number("depth"), "devices[0].depth",
         "0.5 is not an exact number: write it as text, e.g. '0.5'"),
        (lambda: TOP.day("name"), "devices[0].name",
         "must be a date written YYYY-MM-DD, not '  Pen  '"),
        (lambda: TOP.child("name"), "devices[0].name", "must be a JSON object"),
        (lambda: TOP.children("name"), "devices[0].name", "must be a list"),
        (lambda: TOP.children("child"), "devices[0].child", "must be a list"),
        (lambda: TOP.children("missing"), "devices[0].missing", "is missing"),
        (lambda: Reader({"l": [1]}, "e").children("l"), "e.l[0]", "must be a JSON object"),
        (lambda: TOP.texts("name"), "devices[0].name", "must be a list of texts"),
        (lambda: TOP.texts("child"), "devices[0].child", "must be a list of texts"),
        (lambda: Reader({"l": ["a", 1]}, "e").texts("l"), "e.l",
         "must be a list of non-empty texts"),
        (lambda: Reader({"l": ["a", " "]}, "e").texts("l"), "e.l",
         "must be a list of non-empty texts"),
        (lambda: Reader.top([1], "x.json"), "x.json", "the file must hold one JSON object"),
        (lambda: unique_keys(["a", "b", "a"], "devices"), "devices", "“a” appears twice"),
    ],
)
def test_each_problem_says_where_and_what(call: Any, where: str, message: str) -> None:
    assert problem(call) == (where, message)


def test_error_text_joins_place_and_problem() -> None:
    assert str(CatalogueError("a.b", "is missing")) == "a.b: is missing"
    assert str(CatalogueError("", "is missing")) == "is missing"
    unique_keys(["a", "b"], "x")
