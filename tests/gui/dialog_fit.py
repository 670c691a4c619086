"""Open the main window and every dialog on a screen of a given size, at 100% and 150% text size, and
report any text that does not fit: a wrapped label shorter than its lines need, a one-line label or a
button narrower than its text, a window larger than the screen.

Run by tests/gui/test_dialog_fit.py in a child process per screen size (Qt's offscreen platform is
given the screen's size when it starts, through a config file):
`python tests/gui/dialog_fit.py WIDTH HEIGHT OUT_DIR [LANGUAGE]`. It prints one line, `FIT <json>`, with the
problems found and the screenshots saved in OUT_DIR. LANGUAGE (default en) is the UI's language: Spanish
texts are longer.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

TOLERANCE_PX = 1
SCALES = (1.0, 1.5)


def configure_screen(width: int, height: int, folder: Path) -> None:
    """The offscreen platform's one screen, `width` x `height` at 96 dpi (set before QApplication exists)."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "test", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def clipped(window: Any) -> list[str]:
    """Where `window`'s visible text does not fit, in words."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    problems = []
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if frame.width() > screen.width() or frame.height() > screen.height():
        problems.append(f"window {frame.width()}x{frame.height()} is larger than the screen "
                        f"{screen.width()}x{screen.height()}")
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text():
            continue
        name = f"label {label.text()[:60]!r}"
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + TOLERANCE_PX:
                problems.append(f"{name} needs {need} px of height at width {label.width()}, has {label.height()}")
        else:
            hint = label.sizeHint()
            if hint.width() > label.width() + TOLERANCE_PX or hint.height() > label.height() + TOLERANCE_PX:
                problems.append(f"{name} needs {hint.width()}x{hint.height()}, has {label.width()}x{label.height()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        hint = button.sizeHint()
        if hint.width() > button.width() + TOLERANCE_PX:
            problems.append(f"button {button.text()!r} needs {hint.width()} px of width, has {button.width()}")
    return problems


def dialogs(folder: Path) -> dict[str, Callable[[], Any]]:
    """Each window to check, built as the app builds it (no network, no model, no language pack)."""
    from PySide6.QtCore import QSettings

    from voicedesk.models.machine import recommended_model
    from voicedesk.models.whisper_store import WhisperModelStore
    from voicedesk.session.preferences import Preferences
    from voicedesk.ui.dialogs.export import ExportDialog
    from voicedesk.ui.dialogs.language_packs import LanguagePacksDialog
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog
    from voicedesk.ui.dialogs.preferences import PreferencesDialog
    from voicedesk.ui.dialogs.vocabulary import VocabularyDialog
    from voicedesk.ui.dialogs.welcome import WelcomeDialog

    def store() -> WhisperModelStore:
        home = Path(tempfile.mkdtemp(dir=folder))
        return WhisperModelStore(hub_cache=home / "hub", data_dir=home / "data", bundled_dir=home / "bundled")

    def main_window() -> Any:
        from voicedesk.ui.window.main_window import MainWindow

        settings = QSettings(str(Path(tempfile.mkdtemp(dir=folder)) / "voicedesk.ini"), QSettings.Format.IniFormat)
        return MainWindow(settings=settings)

    return {
        # offline: the welcome's longest text, the one that overlapped on a 1280x800 screen
        "welcome": lambda: WelcomeDialog(store=store(), recommendation=recommended_model(), probe=lambda: False),
        "model-manager": lambda: ModelManagerDialog(store=store()),
        "language-packs": lambda: LanguagePacksDialog(fetch_on_open=False),
        "export": lambda: ExportDialog(str(folder), "srt", "both"),
        "preferences": lambda: PreferencesDialog(Preferences(), gpu=(False, "no GPU here")),
        "vocabulary": lambda: VocabularyDialog(["Kowalczyk", "Nguyen"], save=lambda terms: None),
        "main-window": main_window,
    }


def main(width: int, height: int, out: Path, language: str = "en") -> int:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="voicedesk-fit-"))
    configure_screen(width, height, work)
    os.environ["VOICEDESK_DATA_DIR"] = str(work / "user-data")
    from testkit.argos_package import isolate_argos

    isolate_argos(work / "argos")      # no language pack installed, none of the user's touched
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from voicedesk.ui.i18n import install_translators

    install_translators(app, language)   # as the app does at start-up
    base_size = app.font().pointSizeF()
    report: dict[str, Any] = {"problems": [], "shots": [], "screen": [width, height]}
    for scale in SCALES:
        font = app.font()
        font.setPointSizeF(base_size * scale)
        app.setFont(font)
        for name, build in dialogs(work).items():
            window = build()
            window.show()
            loop = QEventLoop()
            QTimer.singleShot(400, loop.quit)   # shown, laid out, the welcome's network check answered
            loop.exec()
            QCoreApplication.processEvents()
            label = f"{name} at {width}x{height}, {round(scale * 100)}% text"
            report["problems"] += [f"{label}: {problem}" for problem in clipped(window)]
            if name == "welcome":
                shot = out / f"welcome-{width}x{height}-{round(scale * 100)}pct.png"
                window.grab().save(str(shot))
                report["shots"].append(str(shot))
            window.hide()
    print("FIT " + json.dumps(report), flush=True)
    sys.stdout.flush()
    os._exit(0)   # the main window's engine thread need not be wound down for a layout check
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:5]))
