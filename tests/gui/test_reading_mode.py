"""View > Settled text only: the panes and the overlay show settled sentences only, and the choice is remembered."""

from __future__ import annotations

from voicedesk.engine.events import FinalSegment, Partial, Settled


def _action(window, text: str):
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    return next(a for a in view.actions() if a.text().replace("&", "") == text)


def _running(window) -> None:
    # partials only reach the panes of a running session (a real Start needs a microphone: see
    # test_live_microphone.py); this sets the session core's own flag, as its start does
    window.core._running = True


def test_settled_text_only_shows_settled_sentences_in_the_panes_and_overlay_and_is_remembered(qtbot, make_window,
                                                                                     gui_settings):
    window = make_window()
    settled = _action(window, "Settled text only")
    assert settled.isCheckable() and not settled.isChecked()

    window.captions.overlay_action.trigger()
    _running(window)
    window.controller.partial.emit(Partial(0, "We choose to go", 0.0, 1.0, "en"))
    assert window.captions.overlay.text() == "We choose to go"
    assert window.widgets.panes.partial_text() == "We choose to go"

    settled.trigger()
    assert window.widgets.panes.partial_text() == ""               # what was being guessed is gone at once
    window.controller.partial.emit(Partial(0, "We choose to go to", 0.0, 1.2, "en"))
    assert window.widgets.panes.partial_text() == ""
    assert window.captions.overlay.text() == "We choose to go"   # the overlay did not take the new guess
    window.controller.final.emit(FinalSegment(0, "We choose to go to the moon", 0.0, 2.0, "en"))
    assert "moon" not in window.widgets.panes.source_text()         # provisional: the sentence may still change
    assert window.captions.overlay.text() == "We choose to go"
    window.controller.settled.emit(Settled(0, (0,), "We choose to go to the Moon.", "en", 0.0, 2.0))
    assert "We choose to go to the Moon." in window.widgets.panes.source_text()
    assert window.captions.overlay.text() == "We choose to go to the Moon."

    window.core._running = False
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    again = make_window(settings=gui_settings)
    assert _action(again, "Settled text only").isChecked()
