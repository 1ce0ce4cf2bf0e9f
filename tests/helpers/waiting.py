"""Waiting for another connection, thread or process: a condition and a deadline.

Never one zero-second look, never a fixed sleep: the test goes on as soon as the
condition holds, and fails with a message once the deadline passes.
"""

from __future__ import annotations

import os
import selectors
import time
from collections.abc import Callable
from typing import IO, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
PAUSE_S = 0.01


class WaitTimeout(AssertionError):
    """The condition did not hold before the deadline."""


def wait_until(
    predicate: Callable[[], T], timeout: float = DEFAULT_TIMEOUT_S, what: str = "the condition"
) -> T:
    """Calls `predicate` until it returns something true, which it returns; fails with
    WaitTimeout after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"{what} did not happen within {timeout:g} s")
        time.sleep(PAUSE_S)


def collect_until(
    read: Callable[[], list[T]],
    enough: Callable[[list[T]], bool],
    timeout: float = DEFAULT_TIMEOUT_S,
    what: str = "the expected items",
) -> list[T]:
    """Calls `read` repeatedly, gathering what each call returns, until `enough` says the
    gathered list is complete; returns it. Fails with what was gathered at the deadline."""
    gathered: list[T] = []

    def complete() -> bool:
        gathered.extend(read())
        return enough(gathered)

    try:
        wait_until(complete, timeout, what)
    except WaitTimeout as exc:
        raise WaitTimeout(f"{exc}; gathered so far: {gathered!r}") from None
    return gathered


def read_line(stream: IO[bytes], timeout: float = DEFAULT_TIMEOUT_S) -> str:
    """The next line a child process writes on `stream` (a pipe), or "" if the pipe
    closes or `timeout` seconds pass first. Never blocks past the deadline."""
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                return ""
            chunk = os.read(stream.fileno(), 1)
            if not chunk:
                return ""
            line += chunk
    return line.decode()
