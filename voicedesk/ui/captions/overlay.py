"""The caption overlay: an always-on-top, frameless, translucent window with the last few lines.

It shows the last 1-3 sentences (the source, the translation, or both), one line each, drawn from a
`CaptionLines` model fed with the session's events: a partial is drawn dimmer where its final will land,
and the final replaces it in place, so the text never jumps or flickers. The window can be dragged
(anywhere on it) and resized (the grip in the corner), has its own text size, and can be made
click-through, when the mouse goes to whatever is under it (its options stay in View > Caption overlay
options). Show speakers puts who is speaking, in words ("Speaker 2: ", or the name the window passes with
`set_speaker_names`), before a line whose speaker differs from the line above it, and before the top line.
Its place, size, text size, content, line count, click-through and Show speakers are kept in QSettings.
"""

from __future__ import annotations

import html
from typing import Any, Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QPoint, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QKeySequence, QPainter, QTextDocument
from PySide6.QtWidgets import QLabel, QMenu, QSizeGrip, QSizePolicy, QVBoxLayout, QWidget

from voicedesk.session.caption_lines import CONTENTS, CaptionLine, CaptionLines
from voicedesk.session.speakers import SpeakerNames, speaker_name
from voicedesk.ui import stored_keys as keys
from voicedesk.ui.i18n import shown

CONTENT_LABELS = {"source": QT_TRANSLATE_NOOP("CaptionOverlay", "&Source"), "translation": QT_TRANSLATE_NOOP("CaptionOverlay", "&Translation"),
                  "both": QT_TRANSLATE_NOOP("CaptionOverlay", "&Both")}
MIN_POINT_SIZE, MAX_POINT_SIZE, DEFAULT_POINT_SIZE = 10, 72, 24
DEFAULT_LINES = 2
MAX_LINES = 3
BACKGROUND = QColor(0, 0, 0, 165)
TEXT_COLOUR, PENDING_COLOUR, TRANSLATION_COLOUR = "#ffffff", "#c8c8c8", "#ffe680"
SAVE_DELAY_MS = 400


class CaptionOverlay(QWidget):
    """The overlay window. `apply(event)` feeds it; `settings` keeps its place and options."""

    shown_changed = Signal(bool)     # shown or hidden (by the user, the hotkey, or the menu)

    BASE_FLAGS = (Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
                  | Qt.WindowType.NoDropShadowWindowHint)

    def __init__(self, settings: QSettings, parent: Optional[QWidget] = None) -> None:
        # a parent makes it the window's companion: it never keeps the app running on its own
        super().__init__(parent, self.BASE_FLAGS)
        self.settings = settings
        self.model = CaptionLines()
        self.content = "both"
        self.line_count = DEFAULT_LINES
        self.point_size = DEFAULT_POINT_SIZE
        self.click_through = False
        self.show_speakers = False
        self.speaker_names: SpeakerNames = {}       # the session's names for speaker numbers (the window's)
        self._drag_from: Optional[QPoint] = None
        self._changing_flags = False
        self._html = ""
        self.setWindowTitle(self.tr("voicedesk captions"))
        self.setAccessibleName(self.tr("Live captions"))
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)   # macOS hides tool windows of inactive apps
        self.setMinimumSize(240, 60)

        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setAccessibleName(self.tr("Captions"))
        self.grip = QSizeGrip(self)
        self.grip.setToolTip(self.tr("Drag to resize"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.addWidget(self.label, 1)   # the grip floats in the corner (resizeEvent), over no text

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_geometry)
        self._build_menu()
        self._restore()
        self._render()

    # ------------------------------------------------------------------ options

    def _build_menu(self) -> None:
        """One menu for right-click and for View > Caption overlay options (the way back from click-through)."""
        self.menu = QMenu(self.tr("Caption overlay o&ptions"), self)
        show = self.menu.addMenu(self.tr("&Show"))
        self.content_group = QActionGroup(self)
        self.content_actions: dict[str, QAction] = {}
        for content in CONTENTS:
            action = show.addAction(self.tr(str(CONTENT_LABELS[content])))
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, c=content: self.set_content(c))
            self.content_group.addAction(action)
            self.content_actions[content] = action
        lines = self.menu.addMenu(self.tr("&Lines"))
        self.lines_group = QActionGroup(self)
        self.lines_actions: dict[int, QAction] = {}
        for count in range(1, MAX_LINES + 1):
            action = lines.addAction(f"&{count}")
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, n=count: self.set_line_count(n))
            self.lines_group.addAction(action)
            self.lines_actions[count] = action
        self.larger_action = self.menu.addAction(self.tr("Lar&ger text"),
                                                 lambda: self.set_point_size(self.point_size + 2))
        self.smaller_action = self.menu.addAction(self.tr("S&maller text"),
                                                  lambda: self.set_point_size(self.point_size - 2))
        self.click_through_action = self.menu.addAction(self.tr("&Click-through"))
        self.click_through_action.setCheckable(True)
        self.click_through_action.setStatusTip(self.tr("Clicks go to the window under the captions (turn off here)"))
        self.click_through_action.toggled.connect(self.set_click_through)
        self.speakers_action = self.menu.addAction(self.tr("Show spea&kers"))
        self.speakers_action.setCheckable(True)
        self.speakers_action.setStatusTip(self.tr("Say who is speaking (Speaker 1, Speaker 2, ...) where the speaker "
                                                  "changes, when View > Label speakers is on"))
        self.speakers_action.toggled.connect(self.set_show_speakers)
        self.menu.addSeparator()
        self.hide_action = self.menu.addAction(self.tr("&Hide captions"), self.hide)

    def set_content(self, content: str) -> None:
        if content not in CONTENTS:
            return
        self.content = content
        self.content_actions[content].setChecked(True)
        self.settings.setValue(keys.OVERLAY_CONTENT, content)
        self._render()

    def set_line_count(self, count: int) -> None:
        self.line_count = max(1, min(MAX_LINES, int(count)))
        self.lines_actions[self.line_count].setChecked(True)
        self.settings.setValue(keys.OVERLAY_LINES, self.line_count)
        self._render()

    def set_point_size(self, size: int) -> None:
        self.point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(size)))
        font = self.label.font()
        font.setPointSize(self.point_size)
        font.setBold(True)
        self.label.setFont(font)
        self.settings.setValue(keys.OVERLAY_POINT_SIZE, self.point_size)
        self._render()

    def set_click_through(self, on: bool) -> None:
        on = bool(on)
        if self.click_through_action.isChecked() != on:
            self.click_through_action.setChecked(on)   # comes back here through toggled
            return
        self.click_through = on
        self.settings.setValue(keys.OVERLAY_CLICK_THROUGH, on)
        if bool(self.windowFlags() & Qt.WindowType.WindowTransparentForInput) != on:
            visible = self.isVisible()
            self._changing_flags = True
            try:
                self.setWindowFlag(Qt.WindowType.WindowTransparentForInput, on)   # hides a shown window ...
                self.grip.setVisible(not on)
                if visible:
                    self.show()                                                      # ... so show it again
            finally:
                self._changing_flags = False

    def set_show_speakers(self, on: bool) -> None:
        on = bool(on)
        if self.speakers_action.isChecked() != on:
            self.speakers_action.setChecked(on)        # comes back here through toggled
            return
        self.show_speakers = on
        self.settings.setValue(keys.OVERLAY_SPEAKERS, on)
        self._render()

    def set_speaker_names(self, names: SpeakerNames) -> None:
        """The session's names for speaker numbers (a number not named is "Speaker N")."""
        self.speaker_names = dict(names)
        self._render()

    # ------------------------------------------------------------------ the captions

    def apply(self, event: Any) -> None:
        """One event of the session (partial, final, settled, translation, speakers, status, run-ended)."""
        if self.model.apply(event):
            self._render()

    def clear(self) -> None:
        self.model.clear()
        self._render()

    def speaker_of(self, line: CaptionLine) -> str:
        """The name of the line's speaker, "" when it has none (yet)."""
        return shown(speaker_name(line.speaker, self.speaker_names)) if line.speaker is not None else ""

    def shown_lines(self) -> list[CaptionLine]:
        return self.model.visible(self.line_count, self.content)

    def text(self) -> str:
        """The lines the overlay shows, as plain text (sentences that do not fit lose their oldest words)."""
        document = QTextDocument()
        document.setHtml(self._html)
        return document.toPlainText().replace("\u2028", "\n").strip()

    def _render(self) -> None:
        """Draw the newest text that fits: the oldest line loses its first words, then goes."""
        lines = self.shown_lines()
        width, height = self.label.width(), self.label.height()
        if not self.isVisible() or width < 20 or height < 20:
            text = self._html_for(lines)
        else:
            text = self._fit(lines, lambda candidate: self._height(candidate, width) <= height)
        if text != self._html:      # unchanged text is not laid out again: nothing to flicker
            self._html = text
            self.label.setText(text)

    def _fit(self, lines: list[CaptionLine], fits: Any) -> str:
        while lines:
            text = self._html_for(lines)
            if fits(text):
                return text
            line = lines[0]
            source = len(line.source.split()) if self.content != "translation" else 0
            translation = len(line.translation.split()) if self.content != "source" else 0
            cut = _least(lambda n, lines=lines: fits(self._html_for(lines, n, 0)), source - 1)   # one word at least stays
            if cut is not None:
                return self._html_for(lines, cut, 0)
            keep = max(0, source - 1)
            cut = _least(lambda n, lines=lines, keep=keep: fits(self._html_for(lines, keep, n)), translation - 1)
            if cut is not None:
                return self._html_for(lines, keep, cut)
            if len(lines) == 1:
                return self._html_for(lines, keep, max(0, translation - 1))   # too small a window: the last words
            lines = lines[1:]
        return ""

    def _html_for(self, lines: list[CaptionLine], drop_source: int = 0, drop_translation: int = 0) -> str:
        """Rich text of `lines`; the first line without its first `drop_*` words (an ellipsis instead)."""
        blocks = []
        small = max(MIN_POINT_SIZE, round(self.point_size * 0.85))
        previous = ""
        for index, line in enumerate(lines):
            cut_source, cut_translation = (drop_source, drop_translation) if index == 0 else (0, 0)
            block = []
            # the speaker in words (never a colour alone): where it changes, and on the top line
            name = self.speaker_of(line) if self.show_speakers else ""
            who = (f'<span style="color:{TEXT_COLOUR}; font-weight:900">{html.escape(name)}:</span> '
                   if name and (index == 0 or name != previous) else "")
            previous = name
            if self.content in ("source", "both"):
                settled, pending = _drop_words(line.text, line.pending, cut_source)
                gap = " " if settled and pending else ""
                block.append(f'{who}<span style="color:{TEXT_COLOUR}">{html.escape(settled)}</span>{gap}'
                             f'<span style="color:{PENDING_COLOUR}">{html.escape(pending)}</span>')
                who = ""
            if self.content == "translation" or (self.content == "both" and line.translation):
                translation, _ = _drop_words(line.translation, "", cut_translation)
                size = "" if self.content == "translation" else f" font-size:{small}pt;"
                block.append(f'{who}<span style="color:{TRANSLATION_COLOUR};{size}">{html.escape(translation)}</span>')
            blocks.append("<br>".join(block))
        if not blocks:
            return ""
        return "<p style='margin:0'>" + "</p><p style='margin:0; margin-top:4px'>".join(blocks) + "</p>"

    def _height(self, text: str, width: int) -> float:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(self.label.font())
        document.setHtml(text)
        document.setTextWidth(width)
        return document.size().height()

    # ------------------------------------------------------------------ window behaviour

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BACKGROUND)
        painter.drawRoundedRect(self.rect(), 10, 10)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            handle = self.windowHandle()
            if handle is not None and handle.startSystemMove():   # the window manager moves it (Wayland too)
                return
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._drag_from is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_from)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._drag_from = None
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        self.menu.exec(event.globalPos())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
        elif event.matches(QKeySequence.StandardKey.ZoomIn):
            self.set_point_size(self.point_size + 2)
        elif event.matches(QKeySequence.StandardKey.ZoomOut):
            self.set_point_size(self.point_size - 2)
        else:
            super().keyPressEvent(event)

    def moveEvent(self, event) -> None:  # noqa: N802
        super().moveEvent(event)
        self._save_timer.start()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.grip.move(self.width() - self.grip.width() - 2, self.height() - self.grip.height() - 2)
        self.grip.raise_()
        self._save_timer.start()
        QTimer.singleShot(0, self._render)    # once the label has its new size

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self._render)
        if not self._changing_flags:
            self.shown_changed.emit(True)

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self.save_geometry()
        if not self._changing_flags:      # setWindowFlag hides a shown window for a moment: not the user
            self.shown_changed.emit(False)

    # ------------------------------------------------------------------ place and options, kept

    def save_geometry(self) -> None:
        self._save_timer.stop()
        self.settings.setValue(keys.OVERLAY_GEOMETRY, self.saveGeometry())

    def _restore(self) -> None:
        s = self.settings
        content = s.value(keys.OVERLAY_CONTENT) or "both"
        self.set_content(content if content in CONTENTS else "both")
        self.set_line_count(_int(s.value(keys.OVERLAY_LINES), DEFAULT_LINES))
        self.set_point_size(_int(s.value(keys.OVERLAY_POINT_SIZE), DEFAULT_POINT_SIZE))
        self.set_click_through(s.value(keys.OVERLAY_CLICK_THROUGH) in (True, "true"))
        self.set_show_speakers(s.value(keys.OVERLAY_SPEAKERS) in (True, "true"))
        geometry = s.value(keys.OVERLAY_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
            return
        self.setGeometry(default_geometry())



def default_geometry() -> QRect:
    """Low and centred on the primary screen, like subtitles."""
    screen = QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
    width = max(480, int(area.width() * 0.6))
    height = 150
    return QRect(area.x() + (area.width() - width) // 2, area.y() + area.height() - height - 60, width, height)


def _drop_words(text: str, pending: str, count: int) -> tuple[str, str]:
    """`text` and `pending` without their first `count` words (text first), an ellipsis marking the cut."""
    if count <= 0:
        return text.strip(), pending.strip()
    words, tail = text.split(), pending.split()
    if count < len(words):
        return "\u2026 " + " ".join(words[count:]), pending.strip()
    rest = tail[count - len(words):]
    return "", ("\u2026 " + " ".join(rest)) if rest else ""


def _least(ok: Any, high: int) -> Optional[int]:
    """The least n in 0..high with ok(n) (ok grows with n), or None."""
    if high < 0 or not ok(high):
        return None
    low = 0
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
