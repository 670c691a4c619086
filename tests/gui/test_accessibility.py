"""The real window and its dialogs as assistive technology reads them (Qt's accessibility interfaces,
offscreen), and as a keyboard user drives them: names, descriptions, labels, tab order, the Space
key, text size, announcements of finals, error colours that a theme can read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QScrollBar,
    QTextEdit,
    QWidget,
)

from voicedesk.engine.events import AudioLevel
from voicedesk.session.overload import LighterPlan
from voicedesk.ui.colours import TEXT_CONTRAST, contrast_ratio
from voicedesk.ui.panes.transcript_view import default_point_size

OPEN_TIMEOUT_MS = 120_000
CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QTextEdit, QAbstractItemView, QProgressBar, QAbstractSpinBox)


def _said(widget: QWidget, what: QAccessible.Text) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(what)


def _name(widget: QWidget) -> str:
    """The control's accessible name. On Linux Qt gives a dropdown's current item as its name, and a
    screen reader reads the label it is labelled by first; elsewhere the accessible name is used."""
    return widget.accessibleName() if isinstance(widget, QComboBox) else _said(widget, QAccessible.Text.Name)


def unnamed_controls(window: QWidget) -> list[str]:
    """The visible controls a screen reader could not name (no letters in the name) or describe."""
    missing = []
    for widget in window.findChildren(QWidget):
        if (not isinstance(widget, CONTROLS) or isinstance(widget, (QScrollBar, QHeaderView))
                or isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)) or not widget.isVisibleTo(window)):
            continue   # parts of a control (scroll bars, table headers, a spin box's text field), named by Qt
        if isinstance(widget.parentWidget(), QDialogButtonBox) and not _said(widget, QAccessible.Text.Description):
            if any(c.isalpha() for c in _name(widget)):
                continue   # a dialog's own answer (OK, Cancel, Save): its name says all
        name, description = _name(widget), _said(widget, QAccessible.Text.Description)
        if not any(c.isalpha() for c in name) or not description.strip():
            missing.append(f"{type(widget).__name__} name={name!r} description={description!r}")
    return missing


def test_every_control_of_the_window_has_a_spoken_name_and_description(make_window, tiny_model, qtbot):
    window = make_window(model=tiny_model)
    window.widgets.banner.show_message("No microphone found.", "warning", ("Look again", lambda: None))
    window.widgets.overload_offer.offer(LighterPlan("greedy finals (beam size 1)", beam_size=1))
    qtbot.waitUntil(lambda: window.widgets.choices.device_combo.count() > 0, timeout=OPEN_TIMEOUT_MS)
    assert unnamed_controls(window) == []
    # a dropdown is named by its label's words, not by its current item
    assert _name(window.widgets.choices.language_combo) == "Spoken language"
    assert _said(window.widgets.choices.refresh_button, QAccessible.Text.Name) == "Look for microphones again"
    assert _said(window.widgets.panes.source_view, QAccessible.Text.Name) == "Transcript"


def test_every_control_of_each_dialog_has_a_spoken_name_and_description(qtbot, tmp_path, empty_argos_home):
    from voicedesk.models.machine import Recommendation
    from voicedesk.models.whisper_store import WhisperModelStore
    from voicedesk.session.preferences import Preferences
    from voicedesk.ui.dialogs.export import ExportDialog
    from voicedesk.ui.dialogs.language_packs import LanguagePacksDialog
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog
    from voicedesk.ui.dialogs.preferences import PreferencesDialog
    from voicedesk.ui.dialogs.vocabulary import VocabularyDialog
    from voicedesk.ui.dialogs.welcome import WelcomeDialog

    store = WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "b")
    dialogs = [WelcomeDialog(store=store, recommendation=Recommendation("base", "test machine"), probe=lambda: False),
               ModelManagerDialog(store=store), LanguagePacksDialog(fetch_on_open=False),
               ExportDialog(str(tmp_path), "srt", "both"), PreferencesDialog(Preferences(), gpu=(False, "no GPU here")),
               VocabularyDialog(["Kowalczyk", "Nguyen"], save=lambda terms: None)]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed_controls(dialog) == [], dialog.windowTitle()


def test_each_field_is_labelled_by_the_label_above_it(make_window, qtbot):
    choices = make_window().widgets.choices
    for combo, words in ((choices.device_combo, "Microphone"), (choices.language_combo, "Spoken language"),
                         (choices.target_combo, "Translate to"), (choices.model_combo, "Model")):
        relations = QAccessible.queryAccessibleInterface(combo).relations(QAccessible.RelationFlag.Label)
        assert [r[0].text(QAccessible.Text.Name) for r in relations] == [words]


def test_tab_walks_the_controls_top_to_bottom_and_skips_the_waveform(make_window, qtbot):
    window = make_window()
    window.widgets.banner.show_message("No microphone found.", "warning", ("Look again", lambda: None))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.widgets.choices.device_combo.setFocus()
    qtbot.waitUntil(window.widgets.choices.device_combo.hasFocus)
    visited = [window.widgets.choices.device_combo]
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    banner_buttons = [b for b in window.widgets.banner.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    choices = window.widgets.choices
    assert visited == [choices.device_combo, choices.refresh_button, choices.language_combo, choices.target_combo,
                       choices.model_combo, window.widgets.start_button, *banner_buttons,
                       window.widgets.panes.source_view]
    assert window.widgets.waveform not in visited and window.widgets.meter not in visited


@pytest.fixture
def space_presses(make_window):
    """The window, and a list that grows each time the Space shortcut fires (instead of starting a run)."""
    window = make_window()
    window.menus.space_shortcut.activated.disconnect()
    presses: list[int] = []
    window.menus.space_shortcut.activated.connect(lambda: presses.append(1))
    return window, presses


def test_space_on_the_read_only_transcript_starts_and_stops(space_presses, qtbot):
    window, presses = space_presses
    window.activateWindow()
    window.widgets.panes.source_view.setFocus()
    qtbot.waitUntil(window.widgets.panes.source_view.hasFocus)
    qtbot.keyClick(window.widgets.panes.source_view, Qt.Key.Key_Space)
    assert presses == [1]


def test_space_on_a_focused_checkbox_or_button_does_what_it_does_there(space_presses, qtbot):
    window, presses = space_presses
    window.widgets.overload_offer.show()
    window.activateWindow()
    checkbox = window.widgets.overload_offer.automatic
    checkbox.setFocus()
    qtbot.waitUntil(checkbox.hasFocus)
    qtbot.keyClick(checkbox, Qt.Key.Key_Space)
    assert checkbox.isChecked() and presses == []
    clicked: list[int] = []
    window.widgets.choices.refresh_button.clicked.connect(lambda: clicked.append(1))
    window.widgets.choices.refresh_button.setFocus()
    qtbot.waitUntil(window.widgets.choices.refresh_button.hasFocus)
    qtbot.keyClick(window.widgets.choices.refresh_button, Qt.Key.Key_Space)
    assert clicked == [1] and presses == []


def test_text_size_changes_with_ctrl_plus_minus_and_zero_and_is_remembered(make_window, gui_settings, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start = window.widgets.panes.point_size()
    assert start == default_point_size()
    view = window.widgets.panes.source_view
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.widgets.panes.point_size() == start + 2
    assert window.widgets.panes.translation_view.font().pointSize() == start + 2
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)

    again = make_window(settings=gui_settings)
    assert again.widgets.panes.point_size() == start + 2
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    qtbot.keyClick(again.widgets.panes.source_view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.widgets.panes.point_size() == default_point_size()


def test_settled_sentences_of_a_real_transcription_are_announced_and_provisional_text_is_not(
        make_window, tiny_model, speech, qtbot):
    window = make_window(model=tiny_model)
    window.widgets.start_button.setFocus()
    finals: list[str] = []
    window.controller.settled.connect(lambda event: finals.append(event.text))
    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=OPEN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.accessibility.announcer.pacer.wait_s(0.0) is None, timeout=5_000)   # all said
    spoken = " ".join(window.accessibility.announcer.said)
    assert "country" in spoken.lower()
    assert spoken == " ".join(" ".join(text.split()) for text in finals)   # every settled sentence, nothing else
    assert window.focusWidget() is window.widgets.start_button   # said without moving the focus


def test_the_waveform_and_the_meter_say_speech_silence_and_the_level(qtbot):
    from voicedesk.ui.panes.waveform import LevelMeter, WaveformView

    waveform, meter = WaveformView(), LevelMeter()
    for widget in (waveform, meter):
        qtbot.addWidget(widget)
    assert waveform.accessibleName() == "Input waveform" and waveform.accessibleDescription() == "No input"
    waveform.add_levels([AudioLevel(start=0.0, end=0.1, rms=0.1, peak=0.3, is_speech=True)])
    qtbot.waitUntil(lambda: waveform.accessibleDescription() == "Speech")
    waveform.add_levels([AudioLevel(start=0.1, end=0.2, rms=0.001, peak=0.002, is_speech=False)])
    qtbot.waitUntil(lambda: waveform.accessibleDescription() == "Silence", timeout=2_000)
    meter.show_level(0.1)
    qtbot.waitUntil(lambda: meter.accessibleDescription() == "-20 dB", timeout=2_000)
    meter.show_level(0.0)
    qtbot.waitUntil(lambda: meter.accessibleDescription() == "Silent", timeout=2_000)


@pytest.mark.parametrize("window_colour, text_colour", [
    (QColor("white"), QColor("black")),          # the usual light theme
    (QColor("black"), QColor("yellow")),         # a high-contrast dark theme
    (QColor(120, 120, 120), QColor("white")),    # a mid grey no red reads on: the theme's text colour
])
def test_an_error_in_a_dialog_reads_on_the_theme_background(qtbot, tmp_path, window_colour, text_colour):
    from voicedesk.models.whisper_store import WhisperModelStore
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    dialog = ModelManagerDialog(store=WhisperModelStore(hub_cache=tmp_path / "h", data_dir=tmp_path / "d",
                                                        bundled_dir=tmp_path / "b"))
    qtbot.addWidget(dialog)
    palette = QPalette(dialog.palette())
    palette.setColor(QPalette.ColorRole.Window, window_colour)
    palette.setColor(QPalette.ColorRole.WindowText, text_colour)
    dialog.setPalette(palette)
    dialog.show()
    assert not dialog.add_folder(str(tmp_path / "not-a-model"))
    shown = dialog.message.palette().color(QPalette.ColorRole.WindowText)
    assert dialog.message.text()
    assert contrast_ratio(shown, window_colour) >= min(TEXT_CONTRAST, contrast_ratio(text_colour, window_colour))
