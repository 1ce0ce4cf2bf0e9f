"""A field that stops at its limit and says so, and the hint whose place that note
takes. Light on purpose: the sign-in window uses them before the rest of the app loads."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, label


def stop_at_limit(edit: QLineEdit, limit: int, say: Callable[[str], None]) -> None:
    """The field stops at `limit` characters, and `say` gets a note for beside it when
    typed or pasted text went past it: nothing is cut without a word, and a value that
    merely fills the field (a whole date, DD/MM/YYYY) is not told off ("" clears it).

    Not Qt's maxLength, which cuts before anyone can tell a full field from one that
    was cut: whatever goes past the limit (typing, pasting, dropping, setText) is
    taken back here, the end of what was inserted first, as Qt would."""
    note = tr("This field holds at most {count} characters; it stopped there.").format(
        count=limit)
    kept = [edit.text()[:limit]]

    def check(text: str) -> None:
        if len(text) <= limit:
            kept[0] = text
            if len(text) < limit:
                say("")
            return
        cursor = edit.cursorPosition()
        before = kept[0]
        if len(before) >= limit:  # already full: the insertion is refused whole
            trimmed, cursor = before, max(0, cursor - (len(text) - len(before)))
        else:  # what was inserted ends at the cursor: its end goes
            excess = len(text) - limit
            start = max(0, cursor - excess)
            trimmed, cursor = text[:start] + text[cursor:], start
            trimmed = trimmed[:limit]
        edit.setText(trimmed)
        edit.setCursorPosition(cursor)
        say(note)

    edit.textChanged.connect(check)


class HintOrNote(QWidget):
    """A field's hint, whose place a note takes while there is one (a paste that stopped
    at the field's limit). Both lie in the same cell and keep their room when hidden, so
    the note never moves what is below, nor makes a form taller than its hint did."""

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = label(hint, "hint")
        self._note_text = label("", "hint")
        self.note = QWidget()
        row = QHBoxLayout(self.note)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(icon_label("info", Tone.NORMAL, 16), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._note_text, 1)
        cell = QGridLayout(self)
        cell.setContentsMargins(0, 0, 0, 0)
        for page in (self.hint, self.note):
            policy = page.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            page.setSizePolicy(policy)
            cell.addWidget(page, 0, 0, Qt.AlignmentFlag.AlignTop)
        # Room for the note there will be, whichever shows.
        self._note_text.setText(tr(
            "This field holds at most {count} characters; it stopped there.").format(
                count=999))
        self.note.setVisible(False)

    def note_text(self) -> str:
        return self._note_text.text() if not self.note.isHidden() else ""

    def set_note(self, text: str) -> None:
        if text:
            self._note_text.setText(text)
        self.note.setVisible(bool(text))
        self.hint.setVisible(not text)
        self.setToolTip(text)
