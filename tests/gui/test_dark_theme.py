"""The window follows the system theme: under a dark palette its panes are dark with light, readable text."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from voicedesk.engine.events import FinalSegment, Partial, Translation


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor(37, 37, 38), QPalette.ColorRole.WindowText: QColor(230, 230, 230),
        QPalette.ColorRole.Base: QColor(30, 30, 30), QPalette.ColorRole.AlternateBase: QColor(45, 45, 45),
        QPalette.ColorRole.Text: QColor(235, 235, 235), QPalette.ColorRole.Button: QColor(50, 50, 52),
        QPalette.ColorRole.ButtonText: QColor(230, 230, 230), QPalette.ColorRole.PlaceholderText: QColor(150, 150, 150),
        QPalette.ColorRole.Mid: QColor(80, 80, 80), QPalette.ColorRole.Highlight: QColor(42, 130, 218),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    return palette


def _luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def test_panes_are_dark_with_light_text_under_a_dark_palette(make_window, qtbot):
    app = QApplication.instance()
    saved = app.palette()
    app.setPalette(_dark_palette())
    try:
        window = make_window()
        window.resize(1100, 700)
        panes = window.widgets.panes
        panes.add_final(FinalSegment(0, "And so my fellow Americans", 0.0, 2.0, "en"))
        panes.add_translation(Translation(0, "Und so, meine amerikanischen Mitbürger", "en", "de", 0.0, 2.0))
        panes.show_partial(Partial(1, "ask not what your country", 2.5, 4.0, "en"))
        qtbot.wait(50)
        image = panes.grab().toImage()
        pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)]
        background = sorted(pixels, key=_luminance)[len(pixels) // 2]        # most of a pane is background
        brightest = max(pixels, key=_luminance)
        assert _luminance(background) < 0.25, "the panes stay light under a dark theme"
        assert _luminance(brightest) - _luminance(background) > 0.5, "text is not readable on the background"
    finally:
        app.setPalette(saved)
