"""A template brought in by an administrator: refused when retired or when its version is
not newer than every version on the shelf, in exact words on line 1; which version of a
form is current."""

from __future__ import annotations

import pytest

from clinic_desk.domain.consent_shelf import check_imported_template, shelf_of
from clinic_desk.domain.consent_template import InvalidTemplate, parse_template


def source(version: int, status: str = "published", key: str = "test-form") -> str:
    dated = "published = 2026-11-30\n" if status != "draft" else ""
    return (
        f'+++\nkey = "{key}"\nversion = {version}\ntitle = "Consent"\n'
        f'status = "{status}"\n{dated}+++\n\n## Part {{#part}}\n\n- [ ] Understood. {{#ok}}\n'
    )


SHELF = shelf_of(
    [
        parse_template(source(1)),
        parse_template(source(2, "draft")),
        parse_template(source(1, key="other")),
    ]
)


def refusals(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(InvalidTemplate) as caught:
        check_imported_template(text, SHELF)
    return [(p.line, p.message) for p in caught.value.problems]


def test_a_newer_version_is_taken() -> None:
    template = check_imported_template(source(3), SHELF)
    assert (template.key, template.version) == ("test-form", 3)
    assert check_imported_template(source(1, key="new-form"), SHELF).key == "new-form"


@pytest.mark.parametrize("version", [1, 2])
def test_a_version_not_newer_than_the_last_is_refused(version: int) -> None:
    assert refusals(source(version)) == [
        (
            1,
            "version 2 of 'test-form' exists already; a version is never replaced: "
            "number this one 3",
        )
    ]


def test_a_retired_version_is_refused() -> None:
    assert refusals(source(3, "retired")) == [(1, "import a new version as draft or published")]
    assert [m for _, m in refusals(source(2, "retired"))] == [
        "import a new version as draft or published",
        "version 2 of 'test-form' exists already; a version is never replaced: number this one 3",
    ]


def test_the_current_version_is_the_newest_published_or_none() -> None:
    current = SHELF.current("test-form")
    assert current is not None and current.version == 1
    drafts_only = shelf_of([parse_template(source(1, "draft"))])
    assert drafts_only.current("test-form") is None
    assert SHELF.current("missing") is None
