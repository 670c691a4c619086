"""When the model cannot keep up: notice sustained lag, and pick a lighter setting to offer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from voicedesk.engine.settings import EngineSettings
from voicedesk.i18n import translate
from voicedesk.models.choices import ModelChoice

OVERLOAD_LAG_S = 3.0      # behind by more than this...
OVERLOAD_FOR_S = 10.0     # ...for this long means the setting is too heavy for this computer


class LagWatch:
    """Says once when the lag has stayed above `lag_s` for `for_s` seconds; `reset` for a new run."""

    def __init__(self, lag_s: float = OVERLOAD_LAG_S, for_s: float = OVERLOAD_FOR_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lag_s, self.for_s, self._clock = lag_s, for_s, clock
        self._high_since: Optional[float] = None
        self._fired = False

    def feed(self, lag: float) -> bool:
        """True the first time the lag has been high long enough."""
        if lag <= self.lag_s:
            self._high_since = None
            return False
        now = self._clock()
        if self._high_since is None:
            self._high_since = now
        if not self._fired and now - self._high_since >= self.for_s:
            self._fired = True
            return True
        return False

    def reset(self) -> None:
        self._high_since = None
        self._fired = False


@dataclass(frozen=True)
class LighterPlan:
    """What to change, and how to say it."""

    description: str                 # "the tiny.en model", "greedy finals (beam size 1)"
    model: Optional[str] = None      # a model spec to switch to
    beam_size: Optional[int] = None  # or a beam size for finals


def _model_size(spec: str) -> Optional[int]:
    path = Path(spec) / "model.bin"
    try:
        return path.stat().st_size
    except OSError:
        return None


def lighter_plan(settings: EngineSettings, models: Sequence[ModelChoice]) -> Optional[LighterPlan]:
    """The next lighter setting: the largest installed model smaller than the current one, else greedy
    finals; None when already the lightest (nothing left to offer)."""
    current = _model_size(settings.model)
    if current is not None:
        smaller = [(size, m) for m in models if (size := _model_size(m.spec)) is not None and size < current * 0.9]
        if smaller:
            _, model = max(smaller, key=lambda pair: pair[0])
            return LighterPlan(translate("Session", "the {model} model").format(model=model.label), model=model.spec)
    if settings.decoding.beam_size > 1:
        return LighterPlan(translate("Session", "greedy finals (beam size 1)"), beam_size=1)
    return None
