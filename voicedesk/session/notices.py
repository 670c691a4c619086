"""What the session core tells whoever shows it (the window, or a test): small frozen dataclasses.

The core decides; the listener only shows. Each notice has one meaning, and none carries a callable:
an offered action is named by `Action`, and the listener maps it to its own button.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Union

from voicedesk.audio.inputs import InputChoice
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.journal import JournalInfo
from voicedesk.session.overload import LighterPlan
from voicedesk.session.transcript import Segment


class Level(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Action(str, enum.Enum):
    """A button a message offers."""

    LOOK_AGAIN = "look-again"                      # list the inputs again
    CHOOSE_MODEL_FOLDER = "choose-model-folder"
    GET_SPEAKER_MODEL = "get-speaker-model"        # File -> Speech models on the speaker row; downloads a missing one


@dataclass(frozen=True)
class Message:
    """One line for the user, with at most one action."""

    text: str                 # English; mostly a voicedesk.i18n.Text, which the window shows in the user's language
    level: Level = Level.INFO
    action: Optional[Action] = None


@dataclass(frozen=True)
class MessageWithdrawn:
    """What `text` said is no longer true: hide it if it is still shown (another message stays)."""

    text: str


@dataclass(frozen=True)
class NoModel:
    """Nothing can run: no speech model is chosen (the listener offers a download or a folder)."""


@dataclass(frozen=True)
class RunStarted:
    name: str                 # the input's or the file's name
    live: bool                # a microphone (False: a file, read as fast as it decodes)
    settings: EngineSettings


@dataclass(frozen=True)
class RunStopping:
    """Stop was asked for; the utterance in progress still becomes final text."""


@dataclass(frozen=True)
class RunOver:
    """The run has really finished (the engine's RunEnded); another may start."""

    reason: str


@dataclass(frozen=True)
class ReadyToClose:
    """A close was asked for while a run went on; the run is over now."""


@dataclass(frozen=True)
class OverloadOffered:
    plan: LighterPlan


@dataclass(frozen=True)
class OverloadWithdrawn:
    """The offer no longer applies (a new run, or it was taken)."""


@dataclass(frozen=True)
class LighterChosen:
    """The lighter setting is taken: show its model as the chosen one before the run starts again on it."""

    plan: LighterPlan


@dataclass(frozen=True)
class WatchingLostInput:
    """Look for `choice` now and then (None: stop looking); answer with `lost_input_checked`."""

    choice: Optional[InputChoice]


@dataclass(frozen=True)
class InputBack:
    """The lost input came back and the session listens to it again: show it as the chosen input."""

    choice: InputChoice


@dataclass(frozen=True)
class RestoreOffered:
    """A session that did not end normally can be restored."""

    info: JournalInfo


@dataclass(frozen=True)
class DiscardPending:
    """The offered session will be deleted in `undo_s` seconds unless undone (then `commit_discard`)."""

    info: JournalInfo
    undo_s: float


@dataclass(frozen=True)
class RestoreWithdrawn:
    """Nothing is offered for restore any more."""


@dataclass(frozen=True)
class SessionReplaced:
    """The session now holds `segments` (restored, opened, or none): show them instead of what was shown."""

    segments: tuple[Segment, ...]


Notice = Union[Message, MessageWithdrawn, NoModel, RunStarted, RunStopping, RunOver, ReadyToClose, OverloadOffered,
               OverloadWithdrawn, LighterChosen, WatchingLostInput, InputBack, RestoreOffered, DiscardPending,
               RestoreWithdrawn, SessionReplaced]
