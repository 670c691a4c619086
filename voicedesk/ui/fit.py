"""Windows that fit their text and their screen.

Qt does not give a top-level window the height its word-wrapped labels need at its width: a label
whose text grows after the dialog is shown (a message, a longer line at 150% text size, another
language) is squeezed and its lines overlap. `keep_fitting(dialog)` keeps the dialog's minimum
height at what its layout needs for its current width, so it grows instead. `fit_to_screen` keeps
a window's first size within the screen it opens on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.9    # a window opens at most this share of the screen's free area


class _FitHeight(QObject):
    """Event filter: on a layout change or a resize, the minimum height follows the wrapped text."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._min_width = widget.minimumWidth()   # the dialog's own minimum width, kept
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize, QEvent.Type.Show):
            fit_height(watched, self._min_width)
        return False


def fit_height(widget: QWidget, min_width: int = 0) -> None:
    """Set `widget`'s minimum size to what its layout needs at its current width (it grows if smaller)."""
    layout = widget.layout()
    if layout is None:
        return
    layout.activate()
    minimum = layout.totalMinimumSize()
    width = max(widget.width(), minimum.width(), min_width)
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else minimum.height()
    wanted = QSize(max(minimum.width(), min_width), max(height, minimum.height()))
    if widget.minimumSize() != wanted:
        widget.setMinimumSize(wanted)


def keep_fitting(widget: QWidget) -> None:
    """Keep `widget` (a dialog) tall enough for its word-wrapped text, whatever its width and text."""
    _FitHeight(widget)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a window to `width` x `height`, or less where its screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, int(area.width() * SCREEN_SHARE))
        height = min(height, int(area.height() * SCREEN_SHARE))
    widget.resize(width, height)
