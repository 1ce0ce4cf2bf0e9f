"""The Qt user interface: the only package that imports PySide6.

Importing it first guards against a reference-counting fault in PySide6 6.12's bindings
on Python 3.11: every call of a Qt method that returns nothing takes one reference away
from `None`. On 3.12 and later `None` is immortal (PEP 683) and nothing happens; on 3.11
the count reaches zero after a few thousand calls and the interpreter aborts ("Fatal
Python error: none_dealloc"), in the middle of a patient's signature or at the latest
when the app quits. Giving `None` a reserve of references that no session can use up
makes the fault harmless; `tests/gui/test_none_guard.py` shows the crash and the cure.
"""

from __future__ import annotations

import sys

# 2**40 one-reference calls: a workstation making a million Qt calls a second would need
# more than twelve days without a restart to use it up.
NONE_RESERVE = 1 << 40


def _reserve_references_to_none() -> None:
    if sys.version_info >= (3, 12):
        return
    import ctypes

    # CPython's object header starts with its reference count (Py_ssize_t); the GIL is
    # held while this module is imported.
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < NONE_RESERVE:
        count.value += NONE_RESERVE


_reserve_references_to_none()
