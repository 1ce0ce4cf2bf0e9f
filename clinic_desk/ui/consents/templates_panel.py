"""Consent form templates, for administrators: every version of every form, each readable
as written; import a new version from a file or as an edited copy; retire old ones."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.consent_template import InvalidTemplate, parse_template
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.port import ConsentDesk, TemplateRow
from clinic_desk.ui.consents.reading_parts import ConsentTextPanel
from clinic_desk.ui.consents.template_editor import (
    TemplateEditorDialog,
    next_version_copy,
    tone_word,
)
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import NoticeBanner, label

MAX_TEMPLATE_BYTES = 400_000


class TemplateColumn(IntEnum):
    FORM = 0
    VERSION = 1
    STATUS = 2
    PUBLISHED = 3
    ORIGIN = 4
    CONSENTS = 5


class TemplateListModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, parent: QObject | None = None) -> None:
        super().__init__([tr("Form"), tr("Version"), tr("Status"), tr("Published"),
                          tr("From"), tr("Consents")], parent)
        self._date_format = date_format
        self._rows: list[TemplateRow] = []

    def set_rows(self, rows: list[TemplateRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> TemplateRow:
        return self._rows[row]

    def row_of(self, key: str, version: int) -> int:
        return next((n for n, r in enumerate(self._rows)
                     if (r.template_key, r.template_version) == (key, version)), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = TemplateColumn(index.column())
        word, icon_name, tone = tone_word(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                TemplateColumn.FORM: row.title,
                TemplateColumn.VERSION: str(row.template_version),
                TemplateColumn.STATUS: word,
                TemplateColumn.PUBLISHED: format_date(row.published, self._date_format)
                if row.published else "—",
                TemplateColumn.ORIGIN: tr("Imported") if row.origin == "imported"
                else tr("Shipped"),
                TemplateColumn.CONSENTS: str(row.consents_recorded),
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == TemplateColumn.STATUS:
            return icon(icon_name, tone)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TemplateColumn.VERSION,
                                                                    TemplateColumn.CONSENTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def may_manage(actor: SignedInStaff) -> bool:
    return actor.may(Permission.MANAGE_CONSENT_FORMS)


class TemplatesPanel(QWidget):
    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService, *,
                 date_format: DateFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._dialogs = dialogs
        self.may_manage = may_manage(actor)
        self.model = TemplateListModel(date_format, self)
        self.banner = NoticeBanner()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Consent form templates"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setIconSize(QSize(18, 18))
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TemplateColumn.FORM, QHeaderView.ResizeMode.Stretch)
        for kind in (TemplateColumn.VERSION, TemplateColumn.STATUS,
                     TemplateColumn.PUBLISHED, TemplateColumn.ORIGIN, TemplateColumn.CONSENTS):
            header.setSectionResizeMode(kind, QHeaderView.ResizeMode.ResizeToContents)
        self.import_button = self._button("folder-open", tr("Import a new version…"),
                                          self.import_file)
        self.copy_button = self._button("copy", tr("Edit a copy…"), self.edit_copy)
        self.retire_button = self._button("archive", tr("Retire"), self.retire_selected)
        self.reader_title = label("", "sectionTitle")
        self.reader_stack = QStackedWidget()
        self.reader_stack.addWidget(CalmEmptyState("file-text", tr("Choose a version"), tr(
            "Every version stays readable: consents signed on it point to it for ever.")))
        self.reader: ConsentTextPanel | None = None
        note = "" if self.may_manage else tr(
            "Only an administrator can import or retire a form; everyone can read them.")
        self.note = label(note, "hint")
        self.note.setVisible(bool(note))
        buttons = QHBoxLayout()
        for button in (self.import_button, self.copy_button, self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        reader = QWidget()
        reader_column = QVBoxLayout(reader)
        reader_column.setContentsMargins(0, 0, 0, 0)
        reader_column.addWidget(self.reader_title)
        reader_column.addWidget(label(tr("As written: the details in {{ }} are filled in for "
                                         "each patient at signing."), "hint"))
        reader_column.addWidget(self.reader_stack, 1)
        # The list above (form titles are long and alike at the start), the text below.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(reader)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 360])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.note)
        column.addWidget(self.banner)
        column.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.refresh()

    def _button(self, icon_name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(icon(icon_name), text)
        button.setAccessibleName(text.rstrip("…"))
        button.setMinimumSize(100, 44)  # see ConsentsPanel._button
        button.clicked.connect(lambda _c=False: slot())
        return button

    def refresh(self) -> None:
        chosen = self.selected()
        try:
            self.model.set_rows(self._desk.templates(self._actor))
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
        if chosen is not None:
            self.select(chosen.template_key, chosen.template_version)
        self._selected_changed()

    def selected(self) -> TemplateRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, key: str, version: int) -> None:
        n = self.model.row_of(key, version)
        if n >= 0:
            self.table.selectRow(n)

    def _selected_changed(self) -> None:
        row = self.selected()
        self.import_button.setEnabled(self.may_manage)
        self.copy_button.setEnabled(self.may_manage and row is not None)
        self.retire_button.setEnabled(self.may_manage and row is not None
                                      and row.status.value != "retired")
        if row is None:
            self.reader_title.setText("")
            self.reader_stack.setCurrentIndex(0)
            return
        self.reader_title.setText(tr("{title} — version {version}").format(
            title=row.title, version=row.template_version))
        try:
            text = parse_template(row.source).text
        except InvalidTemplate:
            self.reader_stack.setCurrentIndex(0)
            return
        if self.reader is not None:
            self.reader_stack.removeWidget(self.reader)
            self.reader.deleteLater()
        self.reader = ConsentTextPanel(text)
        for box in self.reader.boxes:
            box.setEnabled(False)  # read here, ticked only by a patient
        self.reader_stack.addWidget(self.reader)
        self.reader_stack.setCurrentWidget(self.reader)

    # --- administrators ------------------------------------------------------------------

    def import_file(self) -> TemplateEditorDialog | None:
        path = self._dialogs.choose_open_path(self, tr("Import a consent form"),
                                              filters=tr("Consent forms (*.md);;All files (*)"))
        if path is None:
            return None
        try:
            data = path.read_bytes()[:MAX_TEMPLATE_BYTES]
            source = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._dialogs.error(self, tr("Not imported"), tr(
                "{file} could not be read as a text file ({why}).").format(
                    file=path.name, why=getattr(exc, "strerror", None) or exc))
            return None
        return self._edit(source, tr("Import {file}").format(file=path.name))

    def edit_copy(self) -> TemplateEditorDialog | None:
        row = self.selected()
        if row is None:
            return None
        newest = max(r.template_version for r in (self.model.row_at(n) for n in
                                                   range(self.model.rowCount()))
                     if r.template_key == row.template_key)
        return self._edit(next_version_copy(row.source, newest + 1),
                          tr("New version of {title}").format(title=row.title))

    def _edit(self, source: str, title: str) -> TemplateEditorDialog:
        dialog = TemplateEditorDialog(self._desk, self._actor, source, title=title, parent=self)
        self._dialogs.run(dialog)
        if dialog.imported is not None:
            self.refresh()
            self.select(dialog.imported.template_key, dialog.imported.template_version)
            self.banner.show_message("success", tr(
                "Version {version} of {title} was imported.").format(
                    version=dialog.imported.template_version, title=dialog.imported.title))
        return dialog

    def retire_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not self._dialogs.confirm(self, tr("Retire version {version}?").format(
                version=row.template_version), tr(
                "No new consent is signed on version {version} of {title}. Consents already "
                "signed on it stay valid and keep pointing at it; it stays readable.").format(
                    version=row.template_version, title=row.title),
                confirm_label=tr("Retire")):
            return
        try:
            self._desk.retire(self._actor, row.template_key, row.template_version)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.refresh()
        self.banner.show_message("success", tr("Version {version} of {title} was retired.")
                                 .format(version=row.template_version, title=row.title))
