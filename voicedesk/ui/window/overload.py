"""The strip that offers a lighter setting when the model cannot keep up (the policy is voicedesk.session.overload)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from voicedesk.session.overload import LighterPlan
from voicedesk.ui.panes.announcer import announce
from voicedesk.ui.i18n import shown


class OverloadOffer(QFrame):
    """A non-blocking strip: the offer, an Apply button and a "do this automatically" checkbox."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("overload")
        self.setStyleSheet("#overload { background: rgba(230, 160, 0, 0.18); "
                           "border: 1px solid rgba(230, 160, 0, 0.6); border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.automatic = QCheckBox(self.tr("Do this automatically"))
        self.automatic.setToolTip(self.tr("Switch to a lighter setting without asking whenever voicedesk falls behind"))
        self.apply_button = QPushButton(self.tr("Switch"))
        close = QToolButton()
        close.setText("\u2715")
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))   # its text is a glyph
        close.setAccessibleDescription(self.tr("Hide this offer"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.automatic)
        layout.addWidget(self.apply_button)
        layout.addWidget(close)
        self.hide()

    def offer(self, plan: LighterPlan) -> None:
        self.label.setText(self.tr("voicedesk can't keep up with this model on this computer: switch to {plan}? "
                                   "What is transcribed so far is kept.").format(plan=shown(plan.description)))
        self.apply_button.setAccessibleDescription(self.label.text())
        self.show()
        announce(self.label, self.label.text())
