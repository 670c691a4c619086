"""Keyboard use of the window: a Space shortcut that never takes the key from a widget that uses it.

Space starts and stops listening, as in media players and Audacity, but a focused button, checkbox,
dropdown, list or text field keeps its own meaning for Space (press, toggle, open, select, type a
space). Qt offers the key to the focused widget first as a ShortcutOverride event; accepting that
event for those widgets lets the key reach them instead of the shortcut. Ctrl+R starts and stops
from anywhere.
"""

from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_SPACE_WIDGETS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)


def uses_space(widget: Optional[QObject]) -> bool:
    """Whether Space means something to `widget` itself (a read-only transcript pane: no)."""
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, _SPACE_WIDGETS)


class SpaceGuard(QObject):
    """Filters `window`'s events: Space goes to the focused widget when that widget uses it.

    The ShortcutOverride event travels from the focused widget up to its window when no widget
    accepts it, so a filter on the window sees every one without filtering the whole application.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Space
                and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
                and uses_space(QApplication.focusWidget())):
            event.accept()      # the widget gets the key press; the shortcut does not fire
            return True
        return False


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab visits `widgets` in this order."""
    for first, second in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(first, second)
