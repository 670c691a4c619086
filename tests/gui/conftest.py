"""Shared fixtures for the GUI tests: the real main window, offscreen, with isolated settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

import pytest

# before pytest-qt creates the QApplication: no screen here
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from testkit.speech import speech_dir

SPEECH = speech_dir()
TEST_MODELS = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models"))
TINY_EN = TEST_MODELS / "tiny.en"


@pytest.fixture
def speech() -> Callable[[str], Path]:
    """`speech("jfk_en.flac")`: a real recording from the shared data folder."""

    def find(name: str) -> Path:
        path = SPEECH / name
        assert path.is_file(), f"missing recording {path} (see manifest.json in ../shared/data/speech)"
        return path

    return find


@pytest.fixture
def speech_wav(speech, tmp_path) -> Callable[[str], Path]:
    """`speech_wav("jfk_en.flac")`: the recording as 16 kHz mono 16-bit WAV, for paplay into a virtual mic.

    paplay of the 24-bit stereo 44.1 kHz jfk_en.flac reached the virtual microphone as silence here;
    the same speech as a plain 16 kHz WAV plays reliably.
    """

    def convert(name: str) -> Path:
        from testkit.speech import load, write_wav

        out = tmp_path / (Path(name).stem + ".wav")
        write_wav(out, load(speech(name)))
        return out

    return convert


@pytest.fixture
def tiny_model() -> Path:
    assert (TINY_EN / "model.bin").is_file(), f"no test model at {TINY_EN}: run tests/fetch_test_models.py"
    return TINY_EN


@pytest.fixture(autouse=True, scope="session")
def qt_thread_warnings_fail_tests() -> None:
    """Qt's own cross-thread warnings ("Cannot create children for a parent that is in a different thread")
    become thread reports, which fail the test that caused them (tests/conftest.py)."""
    from voicedesk.ui.gui_thread import install_qt_thread_warnings

    install_qt_thread_warnings()


@pytest.fixture(autouse=True, scope="session")
def english_catalogue(qapp) -> None:
    """The English catalogue ("1 sentence", "2 sentences"), installed as the app does at start-up."""
    from PySide6.QtCore import QLocale

    from voicedesk.ui.i18n import install_translators

    previous = QLocale()
    install_translators(qapp, "en")
    QLocale.setDefault(previous)   # number formats as before: only the texts change


@pytest.fixture(autouse=True)
def test_models_listed(monkeypatch) -> Path:
    """The app lists the test models as it would a folder of the user's: through $VOICEDESK_MODEL_DIRS."""
    from voicedesk.models.choices import MODEL_DIRS_ENV

    monkeypatch.setenv(MODEL_DIRS_ENV, str(TEST_MODELS))
    return TEST_MODELS


@pytest.fixture(autouse=True)
def quit_without_saving(monkeypatch) -> None:
    """Closing a window with unexported text asks (a modal dialog nobody could click here): tests that
    close windows answer "Quit without saving". tests/gui/test_confirmations.py asks the real question."""
    from voicedesk.ui.window.main_window import MainWindow, QuitAnswer

    monkeypatch.setattr(MainWindow, "confirm_quit", lambda self: QuitAnswer.QUIT)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch) -> Path:
    """Each test's own user data folder: its session journals never meet another test's (or the user's)."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def gui_settings(tmp_path: Path):
    """A QSettings file of this test's own, so no test reads another's (or the user's) choices."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "voicedesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, gui_settings) -> Iterator[Callable[..., object]]:
    """Build the real MainWindow (model preselected when given); closed cleanly after the test."""
    from voicedesk.ui.window.main_window import MainWindow

    windows = []

    def make(model: Path | None = None, settings=None):
        s = settings if settings is not None else gui_settings
        if model is not None:
            s.setValue("model/spec", str(model))
        window = MainWindow(settings=s)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if not window._closed:
            window.close()
            qtbot.waitUntil(lambda w=window: w._closed, timeout=30_000)


def input_labels(window) -> list[str]:
    return [window.widgets.choices.device_combo.itemText(i) for i in range(window.widgets.choices.device_combo.count())]


@pytest.fixture
def pick_input(qtbot) -> Callable[[object, str], None]:
    """`pick_input(window, "Desk Mic")`: wait until the dropdown lists it, then choose it as a user would."""

    def pick(window, description: str) -> None:
        window.widgets.choices.refresh_devices(rescan=False)
        qtbot.waitUntil(lambda: any(t.startswith(description) for t in input_labels(window)), timeout=15_000)
        combo = window.widgets.choices.device_combo
        combo.setCurrentIndex(next(i for i, t in enumerate(input_labels(window)) if t.startswith(description)))

    return pick
