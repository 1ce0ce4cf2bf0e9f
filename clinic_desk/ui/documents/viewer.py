"""One document viewer for consents, aftercare and pre-care sheets.

The caller makes the PDF (off the UI thread) and gives the viewer its bytes; meanwhile
the viewer shows a busy state. It previews with QtPdf, turns and jumps pages, zooms,
prints through the print dialog and saves the exact bytes as a PDF file, both through the
injectable dialog service, and says so with `document_printed` / `document_saved` so the
caller can record the hand-over in the documents history.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.background import run_in_background
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.printing import PrintJob, print_pdf
from clinic_desk.ui.documents.viewer_parts import (
    StatePage,
    application,
    keeping_place,
    shown_zoom,
    tool_button,
    write_whole,
)
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import ElidedLabel, label

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
TOUCH_TARGET = 44


class DocumentViewer(QWidget):
    """`show_busy(text)` while the PDF is made, then `show_document(pdf, title)`; or
    `show_error(text)` if it could not be made."""

    document_printed = Signal(object)  # PrintJob
    document_saved = Signal(str)  # the path written

    EMPTY, BUSY, DOCUMENT, ERROR = range(4)

    def __init__(self, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self._dialogs = dialogs
        self._pdf = b""
        self._file_name = ""
        self._buffer: QBuffer | None = None
        self._retry: Callable[[], None] | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName(tr("Document preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(16)
        self.title_label = ElidedLabel("")
        self.title_label.setObjectName("viewerTitle")
        self._make_actions()
        # A list of page numbers: one touch opens it, one more jumps (and it types too).
        self.page_box = QComboBox()
        self.page_box.setAccessibleName(tr("Page number"))
        self.page_box.setMinimumSize(76, TOUCH_TARGET)
        self.page_count_label = QLabel()
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(80)
        self.zoom_label.setAccessibleName(tr("Zoom"))
        self.activity_label = QLabel()
        self.activity_label.setObjectName("hint")
        self.pages = QStackedWidget()
        self.pages.addWidget(StatePage("file-text", Tone.MUTED, text=tr("No document is open.")))
        self.pages.addWidget(self._busy_page())
        self.pages.addWidget(self.view)
        self.pages.addWidget(self._error_page())
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(8)
        column.addWidget(self.title_label)
        column.addLayout(self._toolbar())
        column.addWidget(self.pages, 1)
        self.page_box.activated.connect(self.go_to_page)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(self._refresh_zoom)
        self.view.zoomModeChanged.connect(self._refresh_zoom)
        self._set_state(self.EMPTY)

    # --- building ---------------------------------------------------------------------

    def _action(self, icon_name: str, text: str, shortcut: QKeySequence.StandardKey | str,
                slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), text, self)
        keys = QKeySequence(shortcut)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shown = keys.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shown})" if shown else text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.previous_action = self._action("chevron-left", tr("Previous page"),
                                            QKeySequence.StandardKey.MoveToPreviousPage,
                                            self.previous_page)
        self.next_action = self._action("chevron-right", tr("Next page"),
                                        QKeySequence.StandardKey.MoveToNextPage,
                                        self.next_page)
        self.zoom_out_action = self._action("zoom-out", tr("Zoom out"),
                                            QKeySequence.StandardKey.ZoomOut, self.zoom_out)
        self.zoom_in_action = self._action("zoom-in", tr("Zoom in"),
                                           QKeySequence.StandardKey.ZoomIn, self.zoom_in)
        self.fit_width_action = self._action("move-horizontal", tr("Fit width"), "Ctrl+1",
                                             self.fit_width)
        self.fit_page_action = self._action("maximize", tr("Fit page"), "Ctrl+2",
                                            self.fit_page)
        self.print_action = self._action("printer", tr("Print…"),
                                         QKeySequence.StandardKey.Print, self.print_document)
        self.save_action = self._action("save", tr("Save as PDF…"),
                                        QKeySequence.StandardKey.Save, self.save_as)
        self.buttons: dict[QAction, QToolButton] = {}

    def _button(self, action: QAction, *, with_text: bool = False) -> QToolButton:
        self.buttons[action] = tool_button(action, with_text=with_text)
        return self.buttons[action]

    def _toolbar(self) -> QHBoxLayout:
        # Pages and zoom mean nothing without a document: they are hidden until one is
        # shown; Save and Print stay in their place, disabled.
        self.page_controls = QWidget()
        row = QHBoxLayout(self.page_controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self._button(self.previous_action))
        row.addWidget(label(tr("Page"), wrap=False))
        row.addWidget(self.page_box)
        row.addWidget(self.page_count_label)
        row.addWidget(self._button(self.next_action))
        row.addSpacing(12)
        for action in (self.zoom_out_action, self.zoom_in_action):
            row.addWidget(self._button(action))
        row.addWidget(self.zoom_label)
        row.addWidget(self._button(self.fit_width_action))
        row.addWidget(self._button(self.fit_page_action))
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.page_controls)
        row.addStretch(1)
        row.addWidget(self.activity_label)
        row.addWidget(self._button(self.save_action, with_text=True))
        row.addWidget(self._button(self.print_action, with_text=True))
        return row

    def _busy_page(self) -> QWidget:
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # moving: the length of the work is not known
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedWidth(260)
        self.busy_bar.setAccessibleName(tr("Working"))
        page = StatePage("hourglass", Tone.NORMAL, self.busy_bar)
        self.busy_label = page.words
        return page

    def _error_page(self) -> QWidget:
        self.retry_button = QPushButton(icon("refresh-cw"), tr("Try again"))
        self.retry_button.setAccessibleName(tr("Try again"))
        self.retry_button.setMinimumHeight(TOUCH_TARGET)
        self.retry_button.clicked.connect(self._run_retry)
        page = StatePage("circle-alert", Tone.DANGER, self.retry_button)
        self.error_label = page.words
        self.error_label.setObjectName("fieldError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        return page

    # --- states -----------------------------------------------------------------------

    def state(self) -> int:
        return self.pages.currentIndex()

    def _set_state(self, state: int) -> None:
        self.pages.setCurrentIndex(state)
        has_document = state == self.DOCUMENT
        self.print_action.setEnabled(has_document and not self.is_printing())
        for action in (self.save_action, self.zoom_in_action,
                       self.zoom_out_action, self.fit_width_action, self.fit_page_action):
            action.setEnabled(has_document)
        self.page_box.setEnabled(has_document)
        self.page_controls.setVisible(has_document)
        self.busy_bar.setVisible(state == self.BUSY)
        self._page_changed(self.current_page())
        self._refresh_zoom()

    def show_busy(self, text: str, *, title: str = "") -> None:
        """While the caller makes the PDF: a moving bar and what is happening, in words
        (and the title of what is coming, if known)."""
        self._set_title(title)
        self.busy_label.setText(text)
        self._set_state(self.BUSY)

    def show_document(self, pdf: bytes, title: str, *, file_name: str = "") -> bool:
        """Shows the PDF; Save as offers `file_name` (or the title) and writes exactly
        these bytes. False, with the error state shown, if the bytes are not a PDF."""
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.close()
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        if self.document.status() != QPdfDocument.Status.Ready or \
                self.document.pageCount() == 0:
            self.show_error(tr("This document could not be opened: it is not a readable "
                               "PDF."))
            return False
        self._pdf = pdf
        self._file_name = file_name or f"{title}.pdf"
        self._set_title(title)
        self.page_box.clear()
        self.page_box.addItems([str(n) for n in range(1, self.document.pageCount() + 1)])
        self.page_count_label.setText(tr("of {count}").format(count=self.document.pageCount()))
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._set_state(self.DOCUMENT)
        self.go_to_page(0)
        return True

    def show_error(self, text: str, *, title: str = "",
                   retry: Callable[[], None] | None = None) -> None:
        """What went wrong, in plain words; with `retry`, a Try again button."""
        self._set_title(title)
        self.error_label.setText(text)
        self._retry = retry
        self.retry_button.setVisible(retry is not None)
        self._set_state(self.ERROR)

    def _set_title(self, title: str) -> None:
        self.title_label.setText(title)
        self.title_label.setToolTip(title)

    def _run_retry(self) -> None:
        if self._retry is not None:
            self._retry()

    def pdf_bytes(self) -> bytes:
        return self._pdf if self.state() == self.DOCUMENT else b""

    # --- pages and zoom ---------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount() if self.state() == self.DOCUMENT else 0

    def current_page(self) -> int:
        """0-based, as QtPdf counts; the screen shows it 1-based."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if self.page_count():
            page = max(0, min(page, self.page_count() - 1))
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator()
                                           .currentZoom())
            self._page_changed(page)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _page_changed(self, page: int) -> None:
        count = self.page_count()
        self.previous_action.setEnabled(count > 0 and page > 0)
        self.next_action.setEnabled(count > 0 and page < count - 1)
        if count:
            self.page_box.setCurrentIndex(page)

    def zoom_factor(self) -> float:
        """The scale the pages are shown at, whichever zoom mode is on (1.0: actual size)."""
        if not self.page_count():
            return self.view.zoomFactor()
        return shown_zoom(self.view, self.document.pagePointSize(self.current_page()),
                          self.logicalDpiX())

    def _zoom_to(self, factor: float) -> None:
        with keeping_place(self.view):
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(min(MAX_ZOOM, max(MIN_ZOOM, factor)))

    def zoom_in(self) -> None:
        self._zoom_to(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self.zoom_factor() / ZOOM_STEP)

    def fit_width(self) -> None:
        with keeping_place(self.view):
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        with keeping_place(self.view):
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def _refresh_zoom(self) -> None:
        mode = self.view.zoomMode()
        self.zoom_label.setText(
            "" if not self.page_count() else tr("Fit width")
            if mode == QPdfView.ZoomMode.FitToWidth else tr("Fit page")
            if mode == QPdfView.ZoomMode.FitInView
            else tr("{percent} %").format(percent=round(self.view.zoomFactor() * 100)))
        factor = self.zoom_factor()
        has_document = bool(self.page_count())
        self.zoom_in_action.setEnabled(has_document and factor < MAX_ZOOM - 1e-6)
        self.zoom_out_action.setEnabled(has_document and factor > MIN_ZOOM + 1e-6)
        self.fit_width_action.setCheckable(True)
        self.fit_page_action.setCheckable(True)
        self.fit_width_action.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_action.setChecked(mode == QPdfView.ZoomMode.FitInView)

    # --- print and save ---------------------------------------------------------------

    def print_document(self) -> None:
        """The print dialog (printer, copies, pages), then the pages to the printer."""
        if not self.page_count():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title_label.text())
        printer.setFromTo(1, self.page_count())
        if not self._dialogs.setup_printer(self, printer):
            return
        # About a second a page at print resolution: on a worker thread, never the UI's.
        # The task belongs to the application, so closing the viewer cannot cut it short.
        pdf, page = self._pdf, self.current_page()
        self.print_action.setEnabled(False)
        self.activity_label.setText(tr("Printing…"))
        run_in_background(lambda: print_pdf(pdf, printer, current_page=page),
                          on_success=self._printed, on_failure=self._not_printed,
                          parent=application())

    def is_printing(self) -> bool:
        return bool(self.activity_label.text())

    def _printed(self, job: PrintJob) -> None:
        self._print_finished()
        self.document_printed.emit(job)

    def _not_printed(self, error: BaseException) -> None:
        self._print_finished()
        self._dialogs.error(self, tr("Not printed"), tr(
            "The printer could not be started ({printer}). Check that it is switched on "
            "and connected, then try again.").format(printer=str(error)))

    def _print_finished(self) -> None:
        self.activity_label.setText("")
        self.print_action.setEnabled(self.state() == self.DOCUMENT)

    def save_as(self) -> None:
        """Writes exactly the bytes that are shown to a file the person chooses."""
        if not self.page_count():
            return
        path = self._dialogs.choose_save_path(self, tr("Save as PDF"), self._file_name,
                                              filters=tr("PDF documents (*.pdf)"))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_whole(path, self._pdf)
        except OSError as exc:
            self._dialogs.error(self, tr("Not saved"), tr(
                "The file could not be written ({reason}). Choose another folder and try "
                "again.").format(reason=exc.strerror or str(exc)))
            return
        self.document_saved.emit(str(path))

