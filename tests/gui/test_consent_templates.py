"""Template administration: every version listed and readable, a new version imported from
a file or as an edited copy (with its problems shown by line, or a preview), retiring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Role
from clinic_desk.shipped import reports_root
from clinic_desk.ui.consents.template_editor import TemplateEditorDialog, next_version_copy
from clinic_desk.ui.consents.templates_panel import TemplateColumn, TemplatesPanel
from tests.gui.consent_fake import FakeConsentDesk
from tests.gui.fakes import FakeDialogService
from tests.gui.test_consent_signing import staff

ADMIN = staff(Role.ADMINISTRATOR, name="Björn Þórsdóttir")
PRACTITIONER = staff(Role.PRACTITIONER)
LEFT = Qt.MouseButton.LeftButton


def shipped(name: str) -> str:
    return reports_root().joinpath("consent", name).read_text("utf-8")


@pytest.fixture
def desk() -> FakeConsentDesk:
    return FakeConsentDesk()


def make_panel(desk: FakeConsentDesk, dialogs: FakeDialogService, qtbot: QtBot,
               actor: object = ADMIN) -> TemplatesPanel:
    panel = TemplatesPanel(desk, actor, dialogs,  # type: ignore[arg-type]
                           date_format=DateFormat.DAY_MONTH_YEAR_SLASH)
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    return panel


def statuses(panel: TemplatesPanel) -> dict[tuple[str, str], str]:
    model = panel.model
    return {(model.index(r, TemplateColumn.FORM).data(), model.index(r, 1).data()):
            model.index(r, TemplateColumn.STATUS).data() for r in range(model.rowCount())}


def test_every_version_is_listed_and_readable(desk: FakeConsentDesk, dialogs: FakeDialogService,
                                              qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    panel = make_panel(desk, dialogs, qtbot)
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 3
    assert set(statuses(panel).values()) == {"In use"}
    panel.table.selectRow(0)
    assert panel.reader is not None
    assert panel.reader_stack.currentWidget() is panel.reader
    assert "version 1" in panel.reader_title.text()


def test_import_from_a_file_shows_problems_then_imports(
        desk: FakeConsentDesk, dialogs: FakeDialogService, qtbot: QtBot,
        tmp_path: Path) -> None:
    panel = make_panel(desk, dialogs, qtbot)
    source = next_version_copy(shipped("photography-v1.md"), 2)
    broken = tmp_path / "photography-v2.md"
    broken.write_text(source.replace("version = 2", "version = 1"), "utf-8")
    dialogs.open_answers.append(broken)
    seen: list[str] = []

    def fix_and_import(dialog: QDialog) -> None:
        assert isinstance(dialog, TemplateEditorDialog)
        seen.append(dialog.problem_text())
        assert not dialog.import_button.isEnabled()
        dialog.editor.setPlainText(source)
        assert dialog.check() and dialog.preview is not None
        assert "Zoë Ångström-Müller" in " ".join(
            label.text() for label in dialog.preview.findChildren(type(panel.reader_title)))
        qtbot.mouseClick(dialog.import_button, LEFT)

    dialogs.dialog_scripts.append(fix_and_import)
    qtbot.mouseClick(panel.import_button, LEFT)
    assert "version 1 of 'photography' exists already" in seen[0]
    assert desk.calls[-1] == ("import", ("photography", 2))
    assert panel.model.rowCount() == 4
    selected = panel.selected()
    assert selected is not None and selected.template_version == 2
    assert statuses(panel)[(selected.title, "1")] == "Published, older"
    assert "imported" in panel.banner.text()


def test_a_file_that_is_not_text_is_refused(desk: FakeConsentDesk, dialogs: FakeDialogService,
                                            qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(desk, dialogs, qtbot)
    picture = tmp_path / "photo.md"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    dialogs.open_answers.append(picture)
    qtbot.mouseClick(panel.import_button, LEFT)
    assert dialogs.messages and dialogs.messages[-1][1] == "Not imported"
    assert not desk.imported


def test_edit_a_copy_is_numbered_as_the_next_version(
        desk: FakeConsentDesk, dialogs: FakeDialogService, qtbot: QtBot) -> None:
    panel = make_panel(desk, dialogs, qtbot)
    panel.table.selectRow(panel.model.row_of("microneedling", 1))

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, TemplateEditorDialog)
        assert "version = 2" in dialog.source()
        assert dialog.import_button.isEnabled()
        dialog.editor.setPlainText(dialog.source().replace(
            "## ", "## Revised: ", 1))
        qtbot.mouseClick(dialog.import_button, LEFT)

    dialogs.dialog_scripts.append(edit)
    qtbot.mouseClick(panel.copy_button, LEFT)
    assert desk.calls[-1] == ("import", ("microneedling", 2))


def test_retire_asks_first_and_the_version_stays_readable(
        desk: FakeConsentDesk, dialogs: FakeDialogService, qtbot: QtBot) -> None:
    panel = make_panel(desk, dialogs, qtbot)
    panel.table.selectRow(panel.model.row_of("photography", 1))
    qtbot.mouseClick(panel.retire_button, LEFT)  # cancelled
    assert not desk.retired
    dialogs.confirm_answers.append(True)
    qtbot.mouseClick(panel.retire_button, LEFT)
    assert desk.calls[-1] == ("retire", ("photography", 1))
    row = panel.selected()
    assert row is not None and row.status.value == "retired"
    assert not panel.retire_button.isEnabled()
    assert panel.reader_stack.currentWidget() is panel.reader


def test_a_practitioner_reads_but_does_not_manage(desk: FakeConsentDesk,
                                                  dialogs: FakeDialogService,
                                                  qtbot: QtBot) -> None:
    panel = make_panel(desk, dialogs, qtbot, PRACTITIONER)
    panel.table.selectRow(0)
    assert panel.reader is not None
    for button in (panel.import_button, panel.copy_button, panel.retire_button):
        assert not button.isEnabled()
    assert panel.note.isVisible() and "administrator" in panel.note.text()
