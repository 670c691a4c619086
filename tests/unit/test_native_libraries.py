"""The native-library report the bundle smoke test reads: real imports, and a failure reported, not raised."""

from __future__ import annotations

import sys

import ctranslate2
import sounddevice

from voicedesk.native_libraries import library_report, report_as_dict


def test_every_native_library_is_reported_with_the_version_this_process_loaded():
    report = report_as_dict()
    assert list(report) == ["portaudio", "onnxruntime", "ctranslate2", "av"]
    assert report["portaudio"] == {"version": sounddevice.get_portaudio_version()[1], "error": None}
    assert report["ctranslate2"] == {"version": ctranslate2.__version__, "error": None}
    assert all(status["version"] and status["error"] is None for status in report.values())


def test_a_library_that_cannot_be_imported_is_reported_with_its_error(monkeypatch):
    # None in sys.modules makes the import fail as a missing or broken package does
    monkeypatch.setitem(sys.modules, "av", None)
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    by_name = {status.name: status for status in library_report()}
    assert by_name["av"].version is None and "import of av halted" in by_name["av"].error
    assert by_name["portaudio"].version is None and "sounddevice" in by_name["portaudio"].error
    assert by_name["onnxruntime"].error is None
