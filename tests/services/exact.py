"""`pytest.raises` that pins the whole message, not a fragment of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest

E = TypeVar("E", bound=BaseException)


@contextmanager
def refused(kind: type[E], message: str) -> Iterator[pytest.ExceptionInfo[E]]:
    with pytest.raises(kind) as caught:
        yield caught
    assert str(caught.value) == message
