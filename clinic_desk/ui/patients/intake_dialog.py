"""Taking the medical history: with the staff member at the desk, or handed to the patient
on the tablet in large type, one section per page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.intake import Questionnaire
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.patient_dto import IntakeVersionView
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.intake_form import IntakeForm, scrolled
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.touch import touch_buttons
from clinic_desk.ui.widgets import FieldError, icon_label, label, primary_button


def counter_text(count: int) -> str:
    return (tr("1 question still needs an answer.") if count == 1
            else tr("{count} questions still need an answer.").format(count=count))


def is_answer(widget: QWidget | None) -> bool:
    """A yes/no toggle or a choice: something that changes a medical answer."""
    return widget is not None and bool(widget.property("intakeAnswer"))


class _IntakeSaver:
    """Records the answers and maps a service's problem back to its question."""

    def __init__(self, intake: IntakeService, actor: SignedInStaff, patient_id: int) -> None:
        self._intake = intake
        self._actor = actor
        self._patient_id = patient_id
        self.saved: IntakeVersionView | None = None

    def save(self, forms: list[IntakeForm], error: FieldError, *, by_patient: bool) -> bool:
        answers = {k: v for form in forms for k, v in form.answers().items()}
        try:
            self.saved = self._intake.record(self._actor, self._patient_id, answers,
                                             taken_by_patient=by_patient)
        except ValidationError as exc:
            for form in forms:
                if form.widget_for(exc.field or "") is not None:
                    form.show_problems({exc.field or "": str(exc)})
                    return False
            error.show_problem(str(exc))
            return False
        except ClinicDeskError as exc:
            error.show_problem(message_for(exc))
            return False
        return True


class IntakeDialog(QDialog):
    """The staff member asks the questions and signs the answers off."""

    def __init__(self, intake: IntakeService, actor: SignedInStaff, dialogs: DialogService,
                 *, patient_id: int, patient_name: str, date_format: DateFormat, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        questionnaire = intake.current
        self._saver = _IntakeSaver(intake, actor, patient_id)
        self.setWindowTitle(tr("Medical history — {name}").format(name=patient_name))
        self.form = IntakeForm(questionnaire, date_format, today)
        self.error = FieldError(object_name="formError")
        self.signed_off = label(tr("Signed off by {name}").format(name=actor.full_name),
                                "hint", wrap=False)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.save_button = primary_button(tr("Save medical history"), "save")
        self.save_button.setToolTip(tr(
            "Save these answers as a new version, signed off by you ({shortcut})").format(
                shortcut=QKeySequence(QKeySequence.StandardKey.Save).toString(
                    QKeySequence.SequenceFormat.NativeText)))
        # No default button at all: Qt would otherwise make the first one the default,
        # and Enter anywhere would press it. Enter presses only a focused Save or Cancel.
        for button in (self.cancel_button, self.save_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 22, 28, 18)
        root.setSpacing(12)
        root.addWidget(label(tr("Medical history for {name}").format(name=patient_name),
                             "pageTitle"))
        root.addWidget(label(questionnaire.introduction, "hint"))
        root.addWidget(scrolled(self.form), 1)
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(icon_label("shield-check", Tone.ACCENT))
        buttons.addWidget(self.signed_off)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.submit)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.submit)
        self.form.answered.connect(self._recount)
        self.resize(900, 780)
        first = self.form.questions[0] if self.form.questions else None
        if first is not None:
            first.focus_input()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never changes an answer: it presses a focused Save or Cancel, and
        otherwise does nothing."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if (isinstance(focused, QAbstractButton) and not is_answer(focused)
                    and focused.isEnabled()):
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def has_answers(self) -> bool:
        return any(answer not in (None, "") for answer in self.form.answers().values())

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Cancel, Escape and closing the window ask before answers are thrown away."""
        if self.has_answers() and not self._dialogs.confirm(
            self, tr("Discard these answers?"),
            tr("The medical history is not saved yet; the answers given so far will be "
               "lost."), confirm_label=tr("Discard"), cancel_label=tr("Keep editing"),
        ):
            return
        super().reject()

    def _recount(self) -> None:
        # Once Save has said how many are missing, the count follows the answers.
        if not self.error.text() or self._saver.saved is not None:
            return
        count = self.form.unanswered()
        if count:
            self.error.show_problem(counter_text(count))
        else:
            self.error.clear()

    @property
    def saved(self) -> IntakeVersionView | None:
        return self._saver.saved

    def submit(self) -> None:
        self.error.clear()
        problems = self.form.problems()
        if problems:
            self.form.show_problems(problems)
            self.error.show_problem(counter_text(len(problems)))
            return
        if self._saver.save([self.form], self.error, by_patient=False):
            self.accept()


class PatientModeDialog(QDialog):
    """Full screen, large type, one section per page; ends by asking for the tablet back,
    and the staff member confirms with one click (they sign it off)."""

    def __init__(self, intake: IntakeService, actor: SignedInStaff, dialogs: DialogService,
                 *, patient_id: int, patient_name: str, date_format: DateFormat, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientMode")
        self.setWindowTitle(tr("Medical history — for the patient"))
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        questionnaire: Questionnaire = intake.current
        self._dialogs = dialogs
        self._saver = _IntakeSaver(intake, actor, patient_id)
        self.pages = QStackedWidget()
        self.forms: list[IntakeForm] = []
        self.pages.addWidget(self._welcome(questionnaire, patient_name))
        for number, section in enumerate(questionnaire.sections, start=1):
            form = IntakeForm(questionnaire, date_format, today, sections=[section])
            self.forms.append(form)
            page = QWidget()
            column = QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label(tr("Part {number} of {total}").format(
                number=number, total=len(questionnaire.sections)), "stepText"))
            column.addWidget(scrolled(form), 1)
            self.pages.addWidget(page)
        self.error = FieldError(object_name="formError")
        self.pages.addWidget(self._hand_back(actor))
        self.stop_button = QPushButton(icon("x"), tr("Stop"))
        self.stop_button.setToolTip(tr("For staff: close without saving"))
        self.back_button = QPushButton(icon("chevron-left"), tr("Back"))
        self.next_button = primary_button(tr("Next"), "chevron-right")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.problem = FieldError(object_name="formError")
        top = QHBoxLayout()
        top.addWidget(label(questionnaire.title, "sectionTitle"), 1)
        top.addWidget(self.stop_button)
        self.nav = QWidget()
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.back_button)
        nav.addWidget(self.problem, 6)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        root = QVBoxLayout(self)
        root.setContentsMargins(48, 28, 48, 28)
        root.setSpacing(16)
        root.addLayout(top)
        root.addWidget(self.pages, 1)
        root.addWidget(self.nav)
        self.stop_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self._show_page(0)
        # Enter turns the page; it never presses an answer (the toggles are no defaults).
        self.next_button.setDefault(True)
        self.next_button.setFocus()
        touch_buttons(self)

    def _welcome(self, questionnaire: Questionnaire, patient_name: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(20)
        column.addStretch(1)
        column.addWidget(label(tr("Hello, {name}").format(name=patient_name), "pageTitle"))
        column.addWidget(label(questionnaire.introduction))
        column.addWidget(label(tr(
            "There are {count} short parts. Touch Yes or No for each question, then Next."
        ).format(count=len(questionnaire.sections))))
        column.addStretch(2)
        return page

    def _hand_back(self, actor: SignedInStaff) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(20)
        column.addStretch(1)
        column.addWidget(icon_label("hand", Tone.ACCENT, 64), 0, Qt.AlignmentFlag.AlignHCenter)
        done = label(tr("Thank you. Please hand the tablet back to the staff."), "pageTitle")
        done.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(done)
        staff = label(tr("For staff: confirm that you have the tablet back. The answers are "
                         "saved as filled in by the patient and signed off by {name}.").format(
                             name=actor.full_name))
        staff.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(staff)
        self.confirm_button = primary_button(tr("I have the tablet back — save"), "save")
        self.review_button = QPushButton(tr("Review the answers"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.review_button)
        row.addWidget(self.confirm_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.error, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.confirm_button.clicked.connect(self.confirm)
        self.review_button.clicked.connect(lambda: self._show_page(1))
        return page

    @property
    def saved(self) -> IntakeVersionView | None:
        return self._saver.saved

    def current_page(self) -> int:
        return self.pages.currentIndex()

    def is_handed_back(self) -> bool:
        return self.pages.currentIndex() == self.pages.count() - 1

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.problem.clear()
        last_section = len(self.forms)
        self.nav.setVisible(not self.is_handed_back())
        self.back_button.setEnabled(index > 0)
        self.next_button.setText(tr("Start") if index == 0
                                 else tr("Finish") if index == last_section else tr("Next"))

    def next(self) -> None:
        index = self.pages.currentIndex()
        if 1 <= index <= len(self.forms):
            form = self.forms[index - 1]
            problems = form.problems()
            if problems:
                form.show_problems(problems)
                self.problem.show_problem(tr("Some questions still need an answer: see the "
                                             "notes under them."))
                return
        self._show_page(index + 1)

    def back(self) -> None:
        self._show_page(max(0, self.pages.currentIndex() - 1))

    def confirm(self) -> None:
        self.error.clear()
        if self._saver.save(self.forms, self.error, by_patient=True):
            self.accept()
            return
        for number, form in enumerate(self.forms, start=1):
            if any(w.error.text() for w in form.all_widgets()):
                self._show_page(number)
                return

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Stop, Escape and closing the window all ask first: the tablet is in the
        patient's hands, and what was answered would be lost."""
        self.stop()

    def stop(self) -> None:
        if self._dialogs.confirm(self, tr("Stop the medical history?"), tr(
                "The answers given so far are not saved."), confirm_label=tr("Stop"),
                cancel_label=tr("Go on")):
            super().reject()
