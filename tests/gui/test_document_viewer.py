"""The document viewer: busy, document and error states; pages and zoom on a multi-page
PDF; printing offscreen to a PDF file; Save as writing the exact bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.ui.documents.printing import PRINT_DPI, PrintJob
from clinic_desk.ui.documents.viewer import MAX_ZOOM, MIN_ZOOM, ZOOM_STEP, DocumentViewer
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.gui.fakes import FakeDialogService
from tests.gui.pdf_support import difference, render_page, sample_pdf


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return sample_pdf(3)


@pytest.fixture
def viewer(qtbot: QtBot, dialogs: FakeDialogService) -> Iterator[DocumentViewer]:
    widget = DocumentViewer(dialogs)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


@pytest.fixture
def shown(viewer: DocumentViewer, pdf: bytes) -> DocumentViewer:
    assert viewer.show_document(pdf, "Aftercare — Zoë Ångström-Müller",
                                file_name="aftercare-2026-11-30.pdf")
    return viewer


def test_empty_then_busy_then_document(viewer: DocumentViewer, pdf: bytes) -> None:
    assert viewer.state() == viewer.EMPTY
    assert not viewer.print_action.isEnabled() and not viewer.save_action.isEnabled()
    viewer.show_busy("Preparing the aftercare sheet…")
    assert viewer.state() == viewer.BUSY
    assert viewer.busy_label.text() == "Preparing the aftercare sheet…"
    assert viewer.busy_bar.isVisible() and viewer.busy_bar.maximum() == 0  # moving bar
    assert not viewer.print_action.isEnabled() and not viewer.save_action.isEnabled()
    assert viewer.show_document(pdf, "Aftercare")
    assert viewer.state() == viewer.DOCUMENT
    assert viewer.page_count() == 3
    assert viewer.page_count_label.text() == "of 3"
    assert viewer.page_box.currentText() == "1"
    assert viewer.print_action.isEnabled() and viewer.save_action.isEnabled()
    assert not viewer.previous_action.isEnabled() and viewer.next_action.isEnabled()


def test_bytes_that_are_not_a_pdf_give_the_error_state(viewer: DocumentViewer,
                                                       qtbot: QtBot) -> None:
    assert not viewer.show_document(b"%PDF-1.7 but not really", "Broken")
    assert viewer.state() == viewer.ERROR
    assert "not a readable PDF" in viewer.error_label.text()
    assert not viewer.print_action.isEnabled() and not viewer.save_action.isEnabled()
    assert viewer.retry_button.isHidden()


def test_error_state_offers_to_try_again(viewer: DocumentViewer, qtbot: QtBot,
                                         pdf: bytes) -> None:
    def retry() -> None:
        viewer.show_document(pdf, "Aftercare")

    viewer.show_document(pdf, "An earlier document")
    viewer.show_error("The aftercare sheet could not be made: no session today.",
                      title="Aftercare", retry=retry)
    assert viewer.state() == viewer.ERROR
    assert viewer.title_label.text() == "Aftercare"
    assert viewer.pdf_bytes() == b""  # the earlier document cannot be printed or saved now
    assert viewer.error_label.text().startswith("The aftercare sheet could not be made")
    qtbot.mouseClick(viewer.retry_button, qtbot_left())
    assert viewer.state() == viewer.DOCUMENT


def qtbot_left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton


def test_page_navigation(shown: DocumentViewer, qtbot: QtBot) -> None:
    shown.next_action.trigger()
    qtbot.waitUntil(lambda: shown.current_page() == 1, timeout=2000)
    assert shown.page_box.currentText() == "2"
    assert shown.previous_action.isEnabled() and shown.next_action.isEnabled()
    shown.next_action.trigger()
    assert shown.current_page() == 2 and not shown.next_action.isEnabled()
    shown.next_action.trigger()  # nothing after the last page
    assert shown.current_page() == 2
    shown.page_box.activated.emit(0)  # a page chosen in the page list
    assert shown.page_box.currentText() == "1"
    assert shown.current_page() == 0 and not shown.previous_action.isEnabled()
    shown.go_to_page(99)
    assert shown.current_page() == 2


def test_scrolling_updates_the_page_number(shown: DocumentViewer, qtbot: QtBot) -> None:
    bar = shown.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: shown.page_box.currentText() == "3", timeout=2000)
    bar.setValue(0)
    qtbot.waitUntil(lambda: shown.page_box.currentText() == "1", timeout=2000)


def test_zoom_in_out_and_fit(shown: DocumentViewer) -> None:
    assert shown.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert shown.zoom_label.text() == "Fit width"
    assert shown.fit_width_action.isChecked()
    fit_width = shown.zoom_factor()
    shown.zoom_in_action.trigger()
    assert shown.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert shown.zoom_factor() == pytest.approx(fit_width * ZOOM_STEP)
    assert shown.zoom_label.text() == f"{round(fit_width * ZOOM_STEP * 100)} %"
    shown.zoom_out_action.trigger()
    shown.zoom_out_action.trigger()
    assert shown.zoom_factor() == pytest.approx(fit_width / ZOOM_STEP)
    shown.fit_page_action.trigger()
    assert shown.zoom_label.text() == "Fit page" and shown.fit_page_action.isChecked()
    assert shown.zoom_factor() < fit_width  # a portrait page in a landscape window
    for _ in range(20):
        shown.zoom_out_action.trigger()
    assert shown.zoom_factor() == pytest.approx(MIN_ZOOM)
    assert not shown.zoom_out_action.isEnabled()
    for _ in range(20):
        shown.zoom_in_action.trigger()
    assert shown.zoom_factor() == pytest.approx(MAX_ZOOM)
    assert not shown.zoom_in_action.isEnabled()
    shown.fit_width_action.trigger()
    assert shown.zoom_factor() == pytest.approx(fit_width)


def closest_page(image: QImage, pdf: bytes) -> int:
    """Which page of `pdf` the image looks like (and it must look like it closely)."""
    differences = [difference(image, render_page(pdf, page)) for page in range(3)]
    best = min(range(3), key=differences.__getitem__)
    assert differences[best] < 5, differences
    return best


def test_zooming_keeps_the_page_being_read(shown: DocumentViewer, qtbot: QtBot) -> None:
    view, bar = shown.view, shown.view.verticalScrollBar()

    def second_page_top() -> float:  # where page 2 begins, in the scrolled content
        first = shown.document.pagePointSize(0).height() * shown.logicalDpiY() / 72
        return view.documentMargins().top() + first * shown.zoom_factor() + view.pageSpacing()

    shown.go_to_page(1)
    for change in (shown.fit_page, shown.zoom_in, shown.zoom_in, shown.zoom_out,
                   shown.fit_width):
        change()
        qtbot.waitUntil(lambda: abs(bar.value() - second_page_top()) < 30, timeout=2000)
        assert shown.current_page() == 1 and shown.page_box.currentText() == "2"


def to_pdf_file(path: Path, *, copies: int = 1, pages: tuple[int, int] | None = None):  # type: ignore[no-untyped-def]
    """A print-dialog script: a PDF file instead of a printer, A4, copies, a page range."""

    def choose(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setCopyCount(copies)
        if pages is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*pages)
        return True

    return choose


def test_print_all_pages_twice_to_a_pdf_file(shown: DocumentViewer, qtbot: QtBot,
                                             dialogs: FakeDialogService, pdf: bytes,
                                             tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    dialogs.printer_scripts.append(to_pdf_file(out, copies=2))
    with qtbot.waitSignal(shown.document_printed, timeout=30000) as printed:
        shown.print_action.trigger()
        # Printing runs on a worker thread: the window goes on, and says what it is doing.
        assert shown.is_printing() and shown.activity_label.text() == "Printing…"
        assert not shown.print_action.isEnabled()
        shown.next_page()
        assert shown.current_page() == 1
    assert not shown.is_printing() and shown.print_action.isEnabled()
    job = printed.args[0]
    assert job == PrintJob(str(out), 2, (1, 2, 3))
    assert dialogs.printers_offered[0].docName() == "Aftercare — Zoë Ångström-Müller"
    reader = PdfReader(out)
    assert len(reader.pages) == 6  # two collated copies
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595, abs=1)
        assert float(page.mediabox.height) == pytest.approx(842, abs=1)
    # Each printed page looks like its own page of the document, and like no other.
    printed_pdf = out.read_bytes()
    for index, source in enumerate((0, 1, 2, 0, 1, 2)):
        assert closest_page(render_page(printed_pdf, index), pdf) == source
    image = next(iter(reader.pages[0].images))
    assert image.image is None or image.image.width >= PRINT_DPI * 8  # 8.27 in wide


def test_print_a_page_range(shown: DocumentViewer, qtbot: QtBot, dialogs: FakeDialogService,
                            pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "range.pdf"
    dialogs.printer_scripts.append(to_pdf_file(out, pages=(2, 3)))
    with qtbot.waitSignal(shown.document_printed, timeout=20000) as printed:
        shown.print_action.trigger()
    assert printed.args[0].pages == (2, 3)
    printed_pdf = out.read_bytes()
    assert len(PdfReader(out).pages) == 2
    assert [closest_page(render_page(printed_pdf, i), pdf) for i in (0, 1)] == [1, 2]


def test_cancelled_print_dialog_prints_nothing(shown: DocumentViewer, qtbot: QtBot,
                                               dialogs: FakeDialogService) -> None:
    with qtbot.assertNotEmitted(shown.document_printed):
        shown.print_action.trigger()
    assert len(dialogs.printers_offered) == 1


@pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS, r"^QPdfWriter|^QPainter::begin|^QPrinter")
def test_a_printer_that_will_not_start_is_said_plainly(
        shown: DocumentViewer, qtbot: QtBot, dialogs: FakeDialogService,
        tmp_path: Path) -> None:
    dialogs.printer_scripts.append(to_pdf_file(tmp_path / "missing" / "folder" / "x.pdf"))
    with qtbot.assertNotEmitted(shown.document_printed, wait=100):
        shown.print_action.trigger()
        qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=10000)
    assert not shown.is_printing() and shown.print_action.isEnabled()
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("error", "Not printed")
    assert "could not be started" in text


def test_save_as_writes_exactly_the_bytes(shown: DocumentViewer, qtbot: QtBot,
                                          dialogs: FakeDialogService, pdf: bytes,
                                          tmp_path: Path) -> None:
    dialogs.save_answers.append(tmp_path / "for the patient")
    with qtbot.waitSignal(shown.document_saved, timeout=2000) as saved:
        shown.save_action.trigger()
    written = tmp_path / "for the patient.pdf"
    assert saved.args == [str(written)]
    assert written.read_bytes() == pdf
    assert dialogs.save_requests == [("Save as PDF", "aftercare-2026-11-30.pdf")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for the patient.pdf"]


def test_cancelled_save_writes_nothing(shown: DocumentViewer, qtbot: QtBot,
                                       tmp_path: Path) -> None:
    with qtbot.assertNotEmitted(shown.document_saved):
        shown.save_action.trigger()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_said_plainly(
        shown: DocumentViewer, qtbot: QtBot, dialogs: FakeDialogService,
        tmp_path: Path) -> None:
    dialogs.save_answers.append(tmp_path / "no such folder" / "copy.pdf")
    with qtbot.assertNotEmitted(shown.document_saved):
        shown.save_action.trigger()
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("error", "Not saved")
    assert "could not be written" in text
    assert list(tmp_path.iterdir()) == []


def test_controls_are_touch_sized_and_named(shown: DocumentViewer) -> None:
    controls: list[QWidget] = [w for w in shown.findChildren(QAbstractButton) if w.isVisible()]
    controls += shown.findChildren(QComboBox)
    assert len(controls) >= 9
    for control in controls:
        assert control.accessibleName(), control
        assert control.height() >= 44 and control.width() >= 44, (
            control.accessibleName(), control.size())
    assert shown.print_action.toolTip().startswith("Print")
