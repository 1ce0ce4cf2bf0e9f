"""Finding patients: search as you type, the lazy table model, the keyboard, odd input."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.services.patient_dto import PatientListRow, SearchPage
from clinic_desk.services.patients import SEARCH_HINT
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.page import PatientsPage
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.patients.search_model import PatientColumn, PatientSearchModel
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import person, register
from tests.helpers.clinic import SeededClinic


def patients_page(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
                  dialogs: FakeDialogService) -> PatientsPage:
    page = PatientsPage(services, seeded.reception, dialogs)
    qtbot.addWidget(page)
    page.show()
    return page


def names(page: PatientsPage) -> list[str]:
    return [page.model.row_at(r).display_name for r in range(page.model.rowCount())]


def fake_row(patient_id: int) -> PatientListRow:
    return PatientListRow(patient_id, f"P-{patient_id:06d}", f"Family{patient_id:03d}",
                          "Given", "", date(1980, 1, 2), 46, "+44 20 7946 0000")


def paged_search(total: int, size: int, overlap: int = 0):  # type: ignore[no-untyped-def]
    """A search over `total` fake patients, `size` a page; each page repeats `overlap`
    patients of the one before (as the real search may, for a patient found twice)."""
    calls: list[object] = []

    def search(text: str, after: object) -> SearchPage:
        calls.append(after)
        start = 0 if after is None else int(str(after))
        first = max(0, start - overlap)
        rows = tuple(fake_row(i) for i in range(first, min(total, start + size)))
        end = start + size
        return SearchPage(rows, end if end < total else None)  # type: ignore[arg-type]

    return search, calls


@pytest.fixture
def clinic_with_patients(sqlite_core: ClinicDesk, seeded: SeededClinic) -> ClinicDesk:
    for details in (
        person("Müller", "Anna", date(1985, 3, 12), "+49 151 2345 6789"),
        person("Ångström", "Zoë", date(1990, 7, 1), "+46 70 123 45 67"),
        person("Dupont", "Zoé", date(1975, 11, 24), "01 23 45 67 89"),
        person("Smith", "John", date(1962, 1, 5), "(020) 7946 0018"),
    ):
        register(sqlite_core, seeded.reception, details)
    return sqlite_core


def test_the_model_passes_qtmodeltester_across_pages(qtmodeltester: ModelTester) -> None:
    # Given a search with three pages of patients
    search, _calls = paged_search(total=120, size=50)
    model = PatientSearchModel(search, DateFormat.DAY_MONTH_YEAR_DOT)
    model.set_query("")
    # When the view fetches more, and the model is checked throughout
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)
    # Then every patient is there once, dates in the clinic's format
    assert model.rowCount() == 120
    assert model.data(model.index(0, PatientColumn.DATE_OF_BIRTH)) == "02.01.1980"
    assert model.data(model.index(0, PatientColumn.NAME)) == "Family000, Given"


def test_fetch_more_skips_patients_already_shown() -> None:
    # Given pages that repeat the last two patients of the page before
    search, calls = paged_search(total=30, size=10, overlap=2)
    model = PatientSearchModel(search, DateFormat.ISO)
    model.set_query("fam")
    assert model.rowCount() == 10 and model.canFetchMore()
    # When all pages are fetched lazily
    while model.canFetchMore():
        model.fetchMore()
    # Then nobody appears twice, and the search was asked page by page
    ids = [model.row_at(r).patient_id for r in range(model.rowCount())]
    assert ids == list(range(30))
    assert len(calls) == 3


def test_the_real_search_fetches_lazily_past_the_first_page(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, qtmodeltester: ModelTester,
) -> None:
    # Given 60 patients called Nowak (more than one page of 50)
    for i in range(60):
        register(sqlite_core, seeded.reception,
                 person("Nowak", f"Ewa{chr(97 + i % 26)}", date(1970, 1, 1 + i % 28),
                        f"+48 600 100 {i:03d}"))
    page = patients_page(qtbot, services, seeded, dialogs)
    # When "nowak" is typed
    qtbot.keyClicks(page.search_edit, "nowak")
    # Then one page shows, more can be fetched, and the line says so
    assert page.model.rowCount() == 50 and page.model.canFetchMore()
    assert "More than 50 patients match" in page.status_label.text()
    page.model.fetchMore()
    assert page.model.rowCount() == 60 and not page.model.canFetchMore()
    qtmodeltester.check(page.model, force_py=True)


@pytest.mark.parametrize(("typed", "found"), [
    ("muller", "Müller, Anna"),
    ("zoe ang", "Ångström, Zoë"),
    ("ANGSTROM", "Ångström, Zoë"),
    ("0151 23456789", "Müller, Anna"),
    ("7946-0018", "Smith, John"),
    ("12/03/1985", "Müller, Anna"),
    ("dupont 24/11/1975", "Dupont, Zoé"),
])
def test_search_as_you_type_finds_by_name_phone_and_birth_date(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService, typed: str, found: str,
) -> None:
    # Given the patients list
    page = patients_page(qtbot, services, seeded, dialogs)
    # When the text is typed key by key
    qtbot.keyClicks(page.search_edit, typed)
    # Then the patient is listed
    assert found in names(page)
    assert "match" in page.status_label.text()


def test_both_zoes_are_found_without_accents(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    qtbot.keyClicks(page.search_edit, "zoe")
    assert sorted(names(page)) == ["Dupont, Zoé", "Ångström, Zoë"]
    assert page.status_label.text() == "2 patients match"


def test_nothing_typed_lists_everyone_with_a_count(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    assert page.model.rowCount() == 4
    assert page.status_label.text() == "4 patients, by family name"
    assert page.stack.currentWidget() is page.table


def _stray(ch: str) -> str:
    return f"No name, phone or patient number contains “{ch}”."


EVERYONE = "4 patients, by family name"
NO_MATCH = "No patient matches “"


@pytest.mark.parametrize(("typed", "expected"), [
    # Nothing searchable typed: everyone, alphabetically.
    ("   ", EVERYONE), ("\t", EVERYONE),
    # Searchable text that nobody holds: no rows, and the offer to register.
    ("a" * 10_000, NO_MATCH), ("مرحبا", NO_MATCH), ("שלום", NO_MATCH), ("O'Brien", NO_MATCH),
    # A character no name, phone or number can hold: named back as a hint.
    ("😀", _stray("😀")), ('"Müller"', _stray('"')), ("'; DROP TABLE patient;--", _stray(";")),
    ("%", _stray("%")), ("_", _stray("_")), ("mü%ller", _stray("%")), ("\\", _stray("\\")),
    # Only separators: what can be searched for.
    ("--//..", SEARCH_HINT),
])
def test_odd_input_shows_a_hint_or_no_rows_never_an_error(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService, typed: str, expected: str,
) -> None:
    # Given the patients list
    page = patients_page(qtbot, services, seeded, dialogs)
    # When odd text is put in the search box
    page.search_edit.setText(typed)
    # Then there is no error banner, and exactly the expected one of: everyone (nothing
    # searchable typed), no rows with the offer to register, or a hint and no offer
    assert page.banner.text() == ""
    status = page.status_label.text()
    if expected == EVERYONE:
        assert (page.model.rowCount(), page.model.hint(), status) == (4, None, EVERYONE)
        assert not page.register_link.isVisible()
    elif expected == NO_MATCH:
        assert (page.model.rowCount(), page.model.hint()) == (0, None)
        assert status.startswith(NO_MATCH) and page.register_link.isVisible()
    else:
        assert (page.model.rowCount(), page.model.hint(), status) == (0, expected, expected)
        assert not page.register_link.isVisible()


def test_no_match_offers_registration(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    qtbot.keyClicks(page.search_edit, "xyzzy")
    assert page.status_label.text().startswith("No patient matches “xyzzy”")
    assert page.register_link.isVisible()
    assert "Ctrl+N" in page.register_link.text()
    # And clicking it opens the registration dialog
    qtbot.mouseClick(page.register_link, Qt.MouseButton.LeftButton)
    assert dialogs.dialogs_run[-1].windowTitle() == "Register a new patient"


def test_empty_clinic_shows_an_empty_state_offering_registration(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    assert page.stack.currentWidget() is page.empty_state
    assert "No patients yet" in page.empty_state.text
    button = page.empty_state.action_button
    assert button is not None and "Register a new patient" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(dialogs.dialogs_run) == 1


def test_keyboard_type_down_enter_opens_the_chart(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    # Given the search box with focus
    page = patients_page(qtbot, services, seeded, dialogs)
    page.focus_search()
    # When "zoe", Down, Down, Up and Enter are typed
    qtbot.keyClicks(page.search_edit, "zoe")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.selected_row() == 1
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Up)
    assert page.selected_row() == 0
    chosen = page.model.row_at(0)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    # Then the cursor never left the box, and that patient's chart opened
    assert page.search_edit.text() == "zoe"
    window = page.charts.windows[chosen.patient_id]
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.record is not None and window.record.details.family_name == chosen.family_name


def test_enter_without_selection_opens_the_first_and_a_second_open_reuses_the_window(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    qtbot.keyClicks(page.search_edit, "smith")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Enter)
    first = page.model.row_at(0).patient_id
    window = page.charts.windows[first]
    qtbot.addWidget(window)
    page.open_row(0)
    assert list(page.charts.windows) == [first]
    assert page.charts.windows[first] is window


def test_escape_clears_the_search(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    qtbot.keyClicks(page.search_edit, "muller")
    assert page.model.rowCount() == 1
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    assert page.model.rowCount() == 4


@pytest.mark.parametrize("shortcut", ["Ctrl+F", "Ctrl+K"])
def test_find_shortcut_jumps_to_the_search_box_from_anywhere(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings, shortcut: str,
) -> None:
    # Given the main window on Settings & staff
    window = MainWindow(services, seeded.admin, dialogs, ui_settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.show_area(Area.SETTINGS)
    # When the find shortcut is pressed
    key = Qt.Key.Key_F if shortcut.endswith("F") else Qt.Key.Key_K
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    # Then the Patients area shows with the cursor in its search box
    assert window.current_area() == Area.PATIENTS
    assert window.patients_page.search_edit.hasFocus()
    assert "Ctrl+F" in window.find_patient_action.toolTip()


def test_archived_patients_are_listed_on_request_and_can_be_found(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
    clinic_with_patients: ClinicDesk,
) -> None:
    # Given Anna Müller was archived
    anna = clinic_with_patients.patients.search(seeded.reception, "muller").rows[0]
    record = clinic_with_patients.patients.get(seeded.reception, anna.patient_id)
    clinic_with_patients.patients.set_archived(
        seeded.reception, anna.patient_id, expected_version=record.version, archived=True)
    page = patients_page(qtbot, services, seeded, dialogs)
    assert "Müller, Anna" not in names(page)
    # When reception shows the archived patients
    page.archived_action.trigger()
    # Then only she is listed, with a count that says so, and she can be searched for
    assert names(page) == ["Müller, Anna"]
    assert page.status_label.text() == "1 archived patient"
    qtbot.keyClicks(page.search_edit, "zoe")
    assert names(page) == []
    assert "No archived patient matches" in page.status_label.text()
    assert not page.register_link.isVisible()
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "mull")
    assert names(page) == ["Müller, Anna"]
    # And switching back lists the current patients again
    page.archived_action.trigger()
    assert "Müller, Anna" not in names(page) and len(names(page)) == 0


@pytest.mark.parametrize(("typed", "family", "given", "phone"), [
    ("Ferreira", "Ferreira", "", ""),
    ("Ana Ferreira", "Ferreira", "Ana", ""),
    ("+351 912 345 678", "", "", "+351 912 345 678"),
])
def test_a_search_that_found_nobody_starts_the_registration(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
    typed: str, family: str, given: str, phone: str,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClicks(page.search_edit, typed)
    assert page.status_label.text().startswith(NO_MATCH)
    seen: list[tuple[str, str, str, bool]] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        form = dialog.form
        seen.append((form.family_edit.text(), form.given_edit.text(), form.phone_edit.text(),
                     dialog.has_changes()))
        # still editable as ever
        form.family_edit.setText("Ferreira-Costa")
        assert form.family_edit.text() == "Ferreira-Costa"
        dialog.discard_unsaved()

    dialogs.dialog_scripts.append(look)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(seen) == 1)
    # what the form opened with is not "typing to lose": Cancel does not ask
    assert seen == [(family, given, phone, False)]


def test_a_date_searched_for_goes_to_the_date_of_birth(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    typed = format_date(date(1977, 8, 19), page.date_format())
    page.search_edit.setText(typed)
    assert page.register_link.isVisible()
    dialogs.dialog_scripts.append(lambda dialog: dialog.reject())
    page.register_patient()
    dialog = dialogs.dialogs_run[-1]
    assert isinstance(dialog, PatientDialog)
    assert dialog.form.birth_date() == date(1977, 8, 19)
    assert dialog.form.family_edit.text() == ""


def test_registering_when_the_search_found_someone_starts_empty(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    clinic_with_patients: ClinicDesk, dialogs: FakeDialogService,
) -> None:
    page = patients_page(qtbot, services, seeded, dialogs)
    found = names(page)[0].split(",")[0]
    page.search_edit.setText(found)
    assert page.model.rowCount() > 0
    page.register_patient()
    dialog = dialogs.dialogs_run[-1]
    assert isinstance(dialog, PatientDialog)
    assert dialog.form.family_edit.text() == ""
