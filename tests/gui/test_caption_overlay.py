"""The caption overlay window and View > Share captions, in the real main window (offscreen).

Offscreen (and Xvfb, which has no window manager) cannot show that a window really stays on top: the
tests check the window flags that ask for it, and what the overlay draws as events arrive.
"""

from __future__ import annotations

import json
import urllib.request

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from voicedesk.engine.events import (EngineState, FinalSegment, Partial, RunEnded, Settled, SpeakerLabels, Status,
                                     Translation)
from voicedesk.ui.captions.overlay import PENDING_COLOUR, TEXT_COLOUR, CaptionOverlay


def partial(seg, text, start=0.0, end=1.0, sentence=-1):
    return Partial(segment_id=seg, text=text, start=start, end=end, language="en", sentence_id=sentence)


def final(seg, text, start=0.0, end=1.0, sentence=-1, speaker=None):
    return FinalSegment(segment_id=seg, text=text, start=start, end=end, language="en", sentence_id=sentence,
                        speaker=speaker)


def make_overlay(qtbot, settings) -> CaptionOverlay:
    overlay = CaptionOverlay(settings)
    qtbot.addWidget(overlay)
    return overlay


def test_the_overlay_is_on_top_frameless_translucent_and_can_let_clicks_through(qtbot, gui_settings):
    overlay = make_overlay(qtbot, gui_settings)
    overlay.show()
    qtbot.waitExposed(overlay)
    flags = overlay.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.Tool                      # no taskbar entry of its own
    assert not flags & Qt.WindowType.WindowTransparentForInput
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    assert overlay.grip.isVisible()

    overlay.click_through_action.trigger()                 # as from its menu
    flags = overlay.windowFlags()
    assert flags & Qt.WindowType.WindowTransparentForInput
    assert flags & Qt.WindowType.WindowStaysOnTopHint and flags & Qt.WindowType.FramelessWindowHint
    assert overlay.isVisible(), "making it click-through must not hide it"
    assert not overlay.grip.isVisible()
    assert gui_settings.value("overlay/click_through") in (True, "true")

    overlay.set_click_through(False)
    assert not overlay.windowFlags() & Qt.WindowType.WindowTransparentForInput
    assert overlay.isVisible() and not overlay.click_through_action.isChecked()


def test_a_partial_settles_in_place_when_its_final_arrives(qtbot, gui_settings):
    overlay = make_overlay(qtbot, gui_settings)
    overlay.set_content("source")
    overlay.set_line_count(2)
    overlay.setGeometry(QRect(0, 0, 1400, 400))     # room for every line: what fits is tested below
    overlay.show()
    qtbot.waitExposed(overlay)

    overlay.apply(partial(0, "And so my fellow", 0.0, 1.0))
    assert overlay.text() == "And so my fellow"
    line = overlay.shown_lines()[0]
    assert PENDING_COLOUR in overlay.label.text()          # drawn as provisional

    overlay.apply(partial(0, "And so my fellow Americans", 0.0, 1.8))
    assert overlay.text() == "And so my fellow Americans" and overlay.shown_lines() == [line]

    overlay.apply(final(0, "And so my fellow Americans,", 0.0, 2.0))
    assert overlay.text() == "And so my fellow Americans,"
    assert overlay.shown_lines()[0] is line and not line.pending        # the same line, settled
    assert f'color:{PENDING_COLOUR}"></span>' in overlay.label.text()   # nothing provisional left
    assert TEXT_COLOUR in overlay.label.text()

    # the speaker goes on (the engine says so): the sentence grows in its line, then a new sentence takes the next
    overlay.apply(partial(1, "ask not", 2.4, 3.0, sentence=0))
    assert overlay.text() == "And so my fellow Americans, ask not"
    overlay.apply(final(1, "ask not what your country can do for you.", 2.4, 5.0, sentence=0))
    overlay.apply(partial(2, "Ask what you", 7.5, 8.0))
    overlay.apply(final(2, "Ask what you can do for your country.", 7.5, 10.0))
    assert overlay.text().splitlines() == [
        "And so my fellow Americans, ask not what your country can do for you.",
        "Ask what you can do for your country.",
    ]

    # translations: the line of the sentence they cover; both, or the translation alone
    overlay.apply(Translation(segment_id=0, text="Und so, meine Mitbürger, fragt nicht, was euer Land für euch tun kann.",
                              source_language="en", target_language="de", segment_ids=(0, 1)))
    overlay.set_line_count(1)
    overlay.set_content("translation")
    assert overlay.text() == "Und so, meine Mitbürger, fragt nicht, was euer Land für euch tun kann."
    overlay.set_content("both")
    assert overlay.text() == "Ask what you can do for your country."   # its translation has not come yet

    # a run that ends drops what never became final
    overlay.apply(partial(3, "and then", 12.0, 12.5))
    assert overlay.text() == "and then"
    overlay.apply(RunEnded("stopped"))
    assert overlay.text() == "Ask what you can do for your country."
    overlay.apply(Status(EngineState.STOPPED))
    assert overlay.text() == "Ask what you can do for your country."


def test_what_does_not_fit_gives_way_to_the_newest_words(qtbot, gui_settings):
    overlay = make_overlay(qtbot, gui_settings)
    overlay.set_content("both")
    overlay.set_line_count(3)
    overlay.set_point_size(24)
    overlay.setGeometry(QRect(0, 0, 900, 400))
    overlay.show()
    qtbot.waitExposed(overlay)
    overlay.apply(final(0, "And so my fellow Americans, ask not what your country can do for you.", 0.0, 3.0))
    overlay.apply(Translation(segment_id=0, text="Und so, meine Mitbürger, fragt nicht, was euer Land für euch tun kann.",
                              source_language="en", target_language="de"))
    overlay.apply(partial(1, "ask what you can do for your country", 6.0, 8.0))
    assert overlay.text().splitlines()[0].startswith("And so my fellow")
    assert overlay.text().endswith("ask what you can do for your country")

    overlay.resize(420, 90)                                  # one short line's room
    qtbot.waitUntil(lambda: not overlay.text().startswith("And so"))
    shown = overlay.text()
    assert shown.endswith("for your country"), shown         # the newest words stay
    assert "Americans" not in shown and "Mitbürger" not in shown
    assert shown.startswith("\u2026") or shown.startswith("ask what")


def test_the_overlay_remembers_its_place_and_its_options(qtbot, gui_settings):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    overlay = make_overlay(qtbot, gui_settings)
    overlay.show()
    qtbot.waitExposed(overlay)
    wanted = QRect(screen.x() + 40, screen.y() + 60, 520, 150)
    overlay.setGeometry(wanted)
    overlay.set_point_size(30)
    overlay.set_content("translation")
    overlay.set_line_count(3)
    overlay.set_click_through(True)
    qtbot.waitUntil(lambda: overlay.geometry() == wanted)
    overlay.close()

    again = make_overlay(qtbot, gui_settings)
    assert again.geometry() == wanted
    assert again.point_size == 30 and again.label.font().pointSize() == 30
    assert again.content == "translation" and again.content_actions["translation"].isChecked()
    assert again.line_count == 3 and again.lines_actions[3].isChecked()
    assert again.click_through and again.windowFlags() & Qt.WindowType.WindowTransparentForInput


def test_show_speakers_says_who_is_speaking_where_it_changes_and_is_remembered(qtbot, gui_settings):
    overlay = make_overlay(qtbot, gui_settings)
    overlay.set_content("source")
    overlay.set_line_count(3)
    overlay.setGeometry(QRect(0, 0, 1400, 400))
    overlay.show()
    qtbot.waitExposed(overlay)
    action = overlay.speakers_action
    assert action in overlay.menu.actions() and action.isCheckable() and not action.isChecked()   # off by default
    assert action.text() == "Show spea&kers"
    mnemonics = [a.text().lower().split("&")[1][0] for a in overlay.menu.actions() if "&" in a.text()]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics

    overlay.apply(final(0, "Good morning, everyone.", 0.0, 1.0, speaker=1))
    overlay.apply(final(1, "Glad to be here.", 2.0, 3.0, speaker=2))
    assert overlay.text().splitlines() == ["Good morning, everyone.", "Glad to be here."]   # off: no speakers

    action.trigger()                                                       # as from its menu
    assert overlay.show_speakers
    assert overlay.text().splitlines() == ["Speaker 1: Good morning, everyone.", "Speaker 2: Glad to be here."]
    # the same speaker goes on: not said again; a partial continuing the sentence keeps the line's speaker
    overlay.apply(partial(2, "and thank", 3.5, 4.0, sentence=1))
    assert overlay.text().splitlines()[-1] == "Speaker 2: Glad to be here. and thank"
    overlay.apply(final(2, "and thank you.", 3.5, 4.5, sentence=1, speaker=2))
    overlay.apply(final(3, "Thank you, Ana.", 5.0, 6.0, speaker=2))
    assert overlay.text().splitlines()[-2:] == ["Speaker 2: Glad to be here. and thank you.", "Thank you, Ana."]
    # the window's names for the numbers
    overlay.set_speaker_names({2: "Ana"})
    assert overlay.text().splitlines() == ["Speaker 1: Good morning, everyone.",
                                           "Ana: Glad to be here. and thank you.", "Thank you, Ana."]
    # no speaker: nothing said; a file's labels, at the end of its run, name the line's speaker later
    overlay.apply(final(4, "Who said that?", 7.0, 8.0))
    assert overlay.text().splitlines()[-1] == "Who said that?"
    overlay.apply(Settled(4, (4,), "Who said that?", "en", 7.0, 8.0))
    overlay.apply(SpeakerLabels(labels=((4, 1),), speakers=2))
    assert overlay.text().splitlines()[-1] == "Speaker 1: Who said that?"
    assert overlay.text().splitlines()[0] == "Ana: Glad to be here. and thank you."   # the top line says who
    # a new session reusing sentence ids does not inherit the old speakers
    overlay.apply(final(0, "A new session.", 0.0, 1.0))
    assert overlay.text() == "A new session."

    overlay.close()
    again = make_overlay(qtbot, gui_settings)
    assert again.show_speakers and again.speakers_action.isChecked()
    again.speakers_action.trigger()
    again.apply(final(0, "Good morning.", 0.0, 1.0, speaker=2))
    assert again.text() == "Good morning."
    assert make_overlay(qtbot, gui_settings).show_speakers is False


def _view_action(window, text):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in view.actions() if a.text().replace("&", "") == text)


def test_view_menu_shows_the_overlay_with_a_hotkey_fed_by_the_session(qtbot, make_window, gui_settings):
    window = make_window()
    action = _view_action(window, "Caption overlay")
    overlay = window.captions.overlay
    assert action.isCheckable() and action.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    assert not overlay.isVisible()

    action.trigger()
    assert overlay.isVisible() and action.isChecked()
    # the controller's signals reach it, as from a running engine
    window.controller.partial.emit(partial(0, "We choose to go"))
    assert overlay.text() == "We choose to go"
    window.controller.final.emit(final(0, "We choose to go to the moon.", 0.0, 2.0))
    assert overlay.text() == "We choose to go to the moon."
    # a file's speaker labels and the session's names reach it too (with Show speakers on)
    overlay.set_show_speakers(True)
    window.controller.speakers.emit(SpeakerLabels(labels=((0, 2),), speakers=2))
    assert overlay.text() == "Speaker 2: We choose to go to the moon."
    window.captions.set_speaker_names({2: "Ana"})
    assert overlay.text() == "Ana: We choose to go to the moon."

    overlay.hide_action.trigger()                           # hidden from its own menu: the View item follows
    assert not overlay.isVisible() and not action.isChecked()
    action.trigger()
    assert overlay.isVisible()

    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    assert gui_settings.value("overlay/visible") in (True, "true")   # open again at the next launch
    assert not overlay.isVisible()


def test_share_captions_shows_where_copies_the_address_and_stops_in_one_click(qtbot, make_window):
    window = make_window()
    action = _view_action(window, "Share captions")
    indicator = window.captions.indicator
    assert not indicator.isVisible()

    action.trigger()
    qtbot.waitUntil(lambda: indicator.url != "", timeout=30_000)
    url = indicator.url
    assert url.startswith("http://127.0.0.1:") and url.endswith("/captions")
    assert indicator.isVisible() and url in indicator.label.text()
    assert "Sharing captions at" in indicator.label.text()

    with urllib.request.urlopen(url, timeout=10) as reply:
        assert reply.status == 200 and "voicedesk captions" in reply.read().decode()
    # the session's events reach the shared feed (levels never do)
    window.controller.final.emit(final(0, "Ask not what your country can do for you.", 0.0, 3.0))
    health = url.replace("/captions", "/health")
    with urllib.request.urlopen(health, timeout=10) as reply:
        assert "caption_clients" in json.load(reply)
    hub = window.captions.sharing.hub
    # the final is there; other events of the window (a status while the model preloads) may be too, never levels
    assert any("Ask not what your country" in message for message in hub.snapshot())
    assert all(json.loads(message)["type"] != "level" for message in hub.snapshot())

    indicator.copy_button.click()
    assert QGuiApplication.clipboard().text() == url

    indicator.stop_button.click()                             # one click turns it off
    assert not action.isChecked() and not indicator.isVisible()

    def refused() -> bool:
        try:
            urllib.request.urlopen(url, timeout=2)
        except OSError:
            return True
        return False

    qtbot.waitUntil(refused, timeout=20_000)

    # on again: the same address (an OBS source keeps working)
    action.trigger()
    qtbot.waitUntil(lambda: indicator.url != "", timeout=30_000)
    assert indicator.url == url
