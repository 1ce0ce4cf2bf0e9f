"""Grabs the treatment-room widgets to PNG for a look:

    python -m tests.gui.consent_screenshots DIR            (offscreen, three window sizes)
    python -m tests.gui.consent_screenshots DIR --live W H (a real window on $DISPLAY, for
                                                            xdotool; see --help)

The shots folder is not part of the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

if "--live" not in sys.argv:  # the live modes need a real display
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.domain.signature import point_count
from clinic_desk.ui.consents.ink_painting import PngBackground
from clinic_desk.ui.consents.reading_view import ConsentReadingView
from clinic_desk.ui.consents.signature_pad import SignaturePad
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.theme import apply_theme
from tests.gui.consent_texts import LONG_NAME, long_consent_text
from tests.gui.fakes import FakeDialogService
from tests.gui.ink_support import draw_with_mouse, sign_with_mouse
from tests.gui.pdf_support import sample_pdf

SIZES = ((1024, 768), (1280, 800), (1440, 900))


def shoot(widget: QWidget, out: Path, name: str, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    QTest.qWait(400)  # QtPdf draws its pages on a worker thread
    widget.grab().save(str(out / f"{name}.png"))
    print(f"{name}: {widget.width()}x{widget.height()}")


def ready_view() -> ConsentReadingView:
    view = ConsentReadingView(long_consent_text(), patient_name=LONG_NAME)
    return view


def read_and_tick(view: ConsentReadingView) -> None:
    view.text_panel.scroll_to_end()
    for box in view.text_panel.boxes:
        box.box.setChecked(True)
    QApplication.processEvents()


def shoot_all(out: Path) -> None:
    for width, height in SIZES:
        size = f"{width}x{height}"
        view = ready_view()
        shoot(view, out, f"reading-{size}-1-start", width, height)
        view.text_panel.boxes[0].box.setChecked(True)
        view.text_panel.verticalScrollBar().setValue(
            view.text_panel.verticalScrollBar().maximum() // 2)
        shoot(view, out, f"reading-{size}-2-halfway", width, height)
        read_and_tick(view)
        sign_with_mouse(view.pad.canvas)
        shoot(view, out, f"reading-{size}-3-signed-ready", width, height)
        view.pad.clear()
        draw_with_mouse(view.pad.canvas, [(200, 120), (201, 121)])
        view.sign()
        shoot(view, out, f"reading-{size}-4-refused-dot", width, height)
        view.show_decline()
        view.decline_panel.reason_buttons["questions"].setChecked(True)
        shoot(view, out, f"reading-{size}-5-decline", width, height)
        view.close()
        viewer = DocumentViewer(FakeDialogService())
        viewer.show_busy("Preparing the aftercare sheet…")
        shoot(viewer, out, f"viewer-{size}-1-busy", width, height)
        viewer.show_document(sample_pdf(2), "Aftercare — " + LONG_NAME)
        shoot(viewer, out, f"viewer-{size}-2-document", width, height)
        viewer.next_page()
        viewer.fit_page()
        shoot(viewer, out, f"viewer-{size}-3-page2-fit-page", width, height)
        viewer.zoom_in()
        viewer.zoom_in()
        shoot(viewer, out, f"viewer-{size}-4-zoomed", width, height)
        viewer.show_error("The aftercare sheet could not be made: the session is not signed "
                          "off yet.", retry=lambda: None)
        shoot(viewer, out, f"viewer-{size}-5-error", width, height)
        viewer.close()
    pad = SignaturePad()
    shoot(pad, out, "pad-empty", 720, 300)
    sign_with_mouse(pad.canvas)
    shoot(pad, out, "pad-signed", 720, 300)
    (out / "pad-signed-ink.png").write_bytes(pad.png(PngBackground.WHITE))
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def live(out: Path, width: int, height: int, seconds: int) -> None:
    """A real window, ready to sign; writes the pad's place on screen to live.json for
    xdotool, and, when the time is up, what the pad recorded to live-ink.json."""
    view = ready_view()
    view.setWindowTitle("Clinic Desk — consent (live)")
    view.resize(width, height)
    view.move(0, 0)
    view.show()
    QApplication.processEvents()
    read_and_tick(view)
    signed: list[str] = []
    view.consent_signed.connect(lambda keys, ink, png: signed.append(",".join(keys)))

    def place() -> None:
        canvas = view.pad.canvas
        corner = canvas.mapToGlobal(canvas.rect().topLeft())
        sign = view.sign_button.mapToGlobal(view.sign_button.rect().center())
        (out / "live.json").write_text(json.dumps({
            "pad": [corner.x(), corner.y(), canvas.width(), canvas.height()],
            "sign": [sign.x(), sign.y()]}))

    def finish() -> None:
        ink = view.pad.ink()
        (out / "live-ink.json").write_text(json.dumps({
            "strokes": len(ink.strokes), "points": point_count(ink),
            "device": ink.device.value, "refusal": view.pad.refusal(),
            "signed": signed}))
        QApplication.quit()

    QTimer.singleShot(500, place)
    QTimer.singleShot(seconds * 1000, finish)
    QApplication.exec()


def live_viewer(out: Path, width: int, height: int, seconds: int) -> None:
    """The viewer with a two-page PDF in a real window; live-viewer.json says which page
    it ended on (for a check that keyboard shortcuts sent by xdotool arrive)."""
    viewer = DocumentViewer(FakeDialogService())
    viewer.setWindowTitle("Clinic Desk — document (live)")
    viewer.resize(width, height)
    viewer.move(0, 0)
    viewer.show_document(sample_pdf(2), "Aftercare — " + LONG_NAME)
    viewer.show()
    viewer.activateWindow()
    viewer.view.setFocus()

    def finish() -> None:
        (out / "live-viewer.json").write_text(json.dumps({
            "page": viewer.current_page() + 1, "zoom": viewer.zoom_label.text()}))
        QApplication.quit()

    QTimer.singleShot(seconds * 1000, finish)
    QApplication.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--live", nargs=3, type=int, metavar=("WIDTH", "HEIGHT", "SECONDS"))
    parser.add_argument("--viewer", action="store_true", help="with --live: the viewer")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    if args.live:
        (live_viewer if args.viewer else live)(args.out, *args.live)
    else:
        shoot_all(args.out)


if __name__ == "__main__":
    main()
