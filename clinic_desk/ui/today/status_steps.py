"""The status changes an appointment can take (check in, ready for its room, start, done,
no-show, cancel with a reason), shared by the Today list and the day and week views:
the same words, icons and keys everywhere, and a refusal in words when a change does not
apply ("A cancelled appointment cannot be checked in: book a new one.").

`StatusSteps` runs a step through the appointment book and reports back on the page's
banner; `menu_for` builds the context menu of one appointment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desk.domain.booking import AppointmentStatus, Punctuality, transition_refusal
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.book_port import AppointmentBook
from clinic_desk.ui.today.cancel_dialog import CancelDialog
from clinic_desk.ui.widgets import NoticeBanner


class Refresh(Protocol):
    """A view's reload; `then` runs once the new rows are shown."""

    def __call__(self, then: Callable[[], None] | None = None) -> None: ...


class Step(StrEnum):
    CHECK_IN = "check_in"
    HAND_OVER = "hand_over"
    START = "start"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class StepLook:
    text: str
    icon_name: str
    key: str


def step_look(step: Step) -> StepLook:
    return {
        Step.CHECK_IN: StepLook(tr("Check in"), "log-in", "Space"),
        Step.HAND_OVER: StepLook(tr("Ready for room"), "user-check", "R"),
        Step.START: StepLook(tr("Start treatment"), "hand", "T"),
        Step.DONE: StepLook(tr("Done"), "circle-check", "D"),
        Step.NO_SHOW: StepLook(tr("Mark as no-show"), "octagon-x", "N"),
        Step.CANCEL: StepLook(tr("Cancel appointment…"), "x", "Del"),
    }[step]


def step_text(step: Step, view: AppointmentView | None) -> str:
    """"Ready for Room 2" names the appointment's room once there is one."""
    if step is Step.HAND_OVER and view is not None:
        return tr("Ready for {room}").format(room=view.room_name)
    return step_look(step).text


_WANTED = {
    Step.CHECK_IN: AppointmentStatus.ARRIVED,
    Step.START: AppointmentStatus.IN_TREATMENT,
    Step.DONE: AppointmentStatus.DONE,
    Step.NO_SHOW: AppointmentStatus.NO_SHOW,
    Step.CANCEL: AppointmentStatus.CANCELLED,
}


def refusal(step: Step, view: AppointmentView, today: date | None) -> str | None:
    """None when the step applies to the appointment now; otherwise why not, in words
    (the domain's words for a status that may not follow; the service checks again)."""
    if step is Step.HAND_OVER:
        if view.status is not AppointmentStatus.ARRIVED:
            return tr("Check the patient in before handing them to a room.")
        if view.ready_for_room_id == view.room_id:
            return tr("{patient} is already ready for {room}.").format(
                patient=view.patient_name, room=view.room_name)
        return None
    refused = transition_refusal(view.status, _WANTED[step])
    if refused is not None:
        return tr(refused)
    day = view.start.date()
    if step is Step.CHECK_IN and today is not None and day != today:
        return tr("This appointment is on {day:%a %d %b}: check in on that day only.").format(
            day=day)
    if step is Step.NO_SHOW and view.status is AppointmentStatus.BOOKED and (
            view.punctuality in (None, Punctuality.EXPECTED)):
        return tr("The patient is not late yet: a no-show is marked once they are late.")
    return None


_DONE_WORDS = {
    Step.CHECK_IN: "{patient} is checked in.",
    Step.HAND_OVER: "{patient} is ready for {room}.",
    Step.START: "{patient} is in treatment.",
    Step.DONE: "Done: {patient}.",
    Step.NO_SHOW: "{patient} is marked as a no-show.",
    Step.CANCEL: "Cancelled the {time:%H:%M} appointment of {patient} ({reason}).",
}


class StatusSteps(QObject):
    """Runs a step for one appointment: a refusal or a problem goes to `banner`, a stale
    version offers Reload, a cancellation first asks why (a reason is required)."""

    def __init__(self, book: AppointmentBook, actor: SignedInStaff, dialogs: DialogService,
                 *, banner: NoticeBanner, refresh: Refresh,
                 changed: Callable[[AppointmentView], None],
                 today: Callable[[], date | None], parent: QWidget) -> None:
        super().__init__(parent)
        self._book = book
        self._actor = actor
        self._dialogs = dialogs
        self._banner = banner
        self._refresh = refresh
        self._changed = changed
        self._today = today
        self._parent = parent

    def refusal(self, step: Step, view: AppointmentView) -> str | None:
        return refusal(step, view, self._today())

    def run(self, step: Step, view: AppointmentView | None) -> AppointmentView | None:
        if view is None:
            self._banner.show_message("info", tr("Choose an appointment first."))
            return None
        refused = self.refusal(step, view)
        if refused is not None:
            self._banner.show_message("warning", refused)
            return None
        reason = ""
        if step is Step.CANCEL:
            dialog = CancelDialog(view, parent=self._parent)
            if not self._dialogs.run(dialog) or not dialog.reason:
                return None
            reason = dialog.reason
        try:
            changed = self._change(step, view, reason)
        except ConcurrentEditError as exc:
            self._banner.show_message("warning", message_for(exc), action_text=tr("Reload"),
                                      action_icon="refresh-cw", action=self._refresh)
            return None
        except ClinicDeskError as exc:
            self._banner.show_message("danger", message_for(exc))
            return None
        self._refresh(then=lambda: self._changed(changed))
        self._banner.show_message("success", tr(_DONE_WORDS[step]).format(
            patient=changed.patient_name, room=changed.ready_for_room_name,
            time=changed.start, reason=changed.cancel_reason))
        return changed

    def _change(self, step: Step, view: AppointmentView, reason: str) -> AppointmentView:
        book, actor, version = self._book, self._actor, view.version
        if step is Step.CHECK_IN:
            return book.check_in(actor, view.appointment_id, expected_version=version)
        if step is Step.HAND_OVER:
            return book.hand_over(actor, view.appointment_id, view.room_id,
                                  expected_version=version)
        return book.set_status(actor, view.appointment_id, _WANTED[step],
                               expected_version=version, reason=reason)


def shortcut_text(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def menu_for(view: AppointmentView, steps: StatusSteps, *, extra: tuple[QAction, ...] = (),
             parent: QWidget) -> QMenu:
    """One appointment's context menu: the status steps that apply, then under "Not now"
    the others greyed out, each with the reason beside it (and in its tooltip); then
    `extra`. Disabled text alone is too faint a sign: the heading says it in words."""
    menu = QMenu(parent)
    menu.setObjectName("appointmentMenu")
    menu.setToolTipsVisible(True)
    heading = f"{view.start:%H:%M} {view.patient_name}"
    if view.status is AppointmentStatus.CANCELLED and view.cancel_reason:
        heading = tr("{appointment}, cancelled: {reason}").format(
            appointment=heading, reason=view.cancel_reason)
    menu.addSection(heading)
    refused_steps: list[tuple[Step, str]] = []
    for step in Step:
        refused = steps.refusal(step, view)
        if refused is not None:
            refused_steps.append((step, refused))
            continue
        action = _menu_action(step, view, menu)
        action.triggered.connect(lambda _c=False, s=step: steps.run(s, view))
        menu.addAction(action)
    if refused_steps:
        menu.addSection(tr("Not now"))
    for step, refused in refused_steps:
        action = _menu_action(step, view, menu)
        action.setEnabled(False)
        action.setText(tr("{step} — {why}").format(step=action.text(), why=refused))
        action.setToolTip(refused)
        menu.addAction(action)
    if extra:
        menu.addSeparator()
        for action in extra:
            menu.addAction(action)
    return menu


def _menu_action(step: Step, view: AppointmentView, menu: QMenu) -> QAction:
    look = step_look(step)
    action = QAction(icon(look.icon_name), step_text(step, view), menu)
    action.setObjectName(f"step_{step.value}")
    action.setShortcut(QKeySequence(look.key))
    # Shown in the menu only: the view's own actions carry the working shortcuts.
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    return action
