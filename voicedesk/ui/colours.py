"""Colours taken from the palette, so dark and high-contrast themes stay readable.

An error is shown in red only when that red reads on the window's own background (WCAG's 4.5:1
for text); on a theme where no red does, the theme's text colour is used: the words say it is an
error, the colour only helps.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

TEXT_CONTRAST = 4.5                      # WCAG 2 AA for normal text
DARK_RED, LIGHT_RED = QColor(176, 0, 32), QColor(255, 138, 128)   # for light and for dark backgrounds


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (same) .. 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def error_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's window background, else the palette's own text colour."""
    background = palette.color(QPalette.ColorRole.Window)
    red = DARK_RED if relative_luminance(background) > 0.18 else LIGHT_RED
    return red if contrast_ratio(red, background) >= TEXT_CONTRAST else palette.color(QPalette.ColorRole.WindowText)

