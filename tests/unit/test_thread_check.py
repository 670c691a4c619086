"""Code found off its owner's thread is reported: logged in the app, kept (and failing the test) in the suite."""

from __future__ import annotations

import threading

from voicedesk import thread_check
from voicedesk.engine.events import SilentInput
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.coordinator import SessionCoordinator


class _NoEngine:
    def start(self, *args) -> None: ...
    def stop(self) -> None: ...
    def close_journal(self, clean: bool) -> None: ...
    def discard_journal(self) -> None: ...
    def adopt_segments(self, segments, old_journal=None, speakers=None) -> None: ...


def _on_another_thread(work) -> None:
    thread = threading.Thread(target=work, name="engine-dispatch")
    thread.start()
    thread.join()


def test_the_session_core_reports_an_event_and_a_notice_from_another_thread():
    notices = []
    core = SessionCoordinator(_NoEngine(), notices.append, EngineSettings)
    _on_another_thread(lambda: core.on_event(SilentInput(True, "The microphone sends only silence.")))
    reports = thread_check.take_reports()
    assert notices, "the notice still goes out: the report is a diagnosis, not a gate"
    assert any("on_event(SilentInput)" in r and "engine-dispatch" in r for r in reports), reports
    assert any("notice Message" in r for r in reports), reports


def test_the_session_core_on_its_own_thread_reports_nothing():
    notices = []
    core = SessionCoordinator(_NoEngine(), notices.append, EngineSettings)
    core.on_event(SilentInput(True, "The microphone sends only silence."))
    core.on_event(SilentInput(False))
    assert len(notices) == 2
    assert thread_check.take_reports() == []


def test_outside_the_test_suite_a_report_is_logged_once_per_place_and_not_kept(monkeypatch, caplog):
    monkeypatch.delenv(thread_check.STRICT_ENV)
    owner = thread_check.ThreadOwner()
    _on_another_thread(lambda: [owner.check("Widget.repaint in a test"), owner.check("Widget.repaint in a test")])
    assert thread_check.take_reports() == []
    logged = [r for r in caplog.records if "Widget.repaint in a test" in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelname == "ERROR"
