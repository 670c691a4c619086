"""Complete sentences in, Translation events out, each sentence routed by its own language.

Routing is `translate_plan.plan_translation`: Whisper's speech→English decodes the sentence's
audio again; Argos translates text on its own worker thread; Whisper then Argos for other targets.
Whisper decodes are queued here and run by the ASR thread between its own decodes
(`run_whisper_job`), so one thread owns the model, and a translation never delays a final that
is about to be decoded (the engine only runs a job when no final is due).
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from voicedesk import i18n   # i18n.translate: `translate` here is Whisper's decoder method
from voicedesk.engine.asr import Decoder, SpeechTranslationUnsupported
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import EngineError, ErrorKind, Event, Translation, TranslationEngine
from voicedesk.engine.sentences import SentenceUnit
from voicedesk.engine.translation.plan import (
    ENGLISH, EngineChoice, PlanUnavailable, TranslationPlan, parse_choice, plan_translation,
)
from voicedesk.engine.translation.routes import TranslationError, normalize_code

log = logging.getLogger(__name__)

AUDIO_PAD_BEFORE_S = 0.2      # Whisper's word times are a little late; do not clip the first sound
AUDIO_PAD_AFTER_S = 0.3


@dataclass(frozen=True)
class _WhisperJob:
    unit: SentenceUnit
    plan: TranslationPlan
    queued_at: float


class SentenceTranslator:
    """Translates complete sentences into the current target; `submit` and `run_whisper_job` run on one thread."""

    def __init__(self, emit: Callable[[Event], None], audio: AudioHistory, *, target: Optional[str],
                 choice: EngineChoice | str = EngineChoice.AUTO, spoken_language: Optional[str] = None,
                 multilingual: bool = True) -> None:
        self._emit = emit
        self._audio = audio
        self._target = normalize_code(target)
        self._choice = parse_choice(choice) if not isinstance(choice, EngineChoice) else choice
        self._spoken = normalize_code(spoken_language)
        self.multilingual = multilingual
        self._lock = threading.Lock()
        self._whisper_jobs: collections.deque[_WhisperJob] = collections.deque()
        self._worker = None               # the Argos TranslationWorker, made the first time text needs it
        self._reported: set[str] = set()

    # --- control (any thread) ---------------------------------------------------------------

    @property
    def target(self) -> Optional[str]:
        return self._target

    def set_target(self, code: Optional[str]) -> None:
        """Translate sentences completed from now on into `code` (None: stop translating)."""
        with self._lock:
            self._target = normalize_code(code)

    def close(self, timeout: float = 60.0) -> None:
        """Finish the Argos worker's queue (Whisper jobs left are the ASR thread's to run first)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close(timeout=timeout)

    def prepare(self) -> None:
        """Pay for importing Argos (CTranslate2, ONNX Runtime: about a second) before speech, not mid-sentence."""
        target = self._target
        try:
            if target is None or not self._pairs_if_needed(target):
                return
        except TranslationError:
            return              # an unreadable pack folder: the first sentence reports it
        self._argos()

    # --- the ASR thread ---------------------------------------------------------------------

    @property
    def whisper_pending(self) -> int:
        return len(self._whisper_jobs)

    def oldest_wait(self, now: Optional[float] = None) -> float:
        """Seconds the oldest Whisper job has waited (0 when none waits)."""
        if not self._whisper_jobs:
            return 0.0
        return (time.monotonic() if now is None else now) - self._whisper_jobs[0].queued_at

    def submit(self, unit: SentenceUnit) -> None:
        """Route a complete sentence: identity now, Argos to its worker, Whisper to the job queue."""
        target = self._target
        if target is None or not unit.text.strip():
            return
        source = self._spoken or normalize_code(unit.language)
        if source is None:
            self._report("?", i18n.translate("Translation", "Cannot translate: the spoken language was not detected"))
            return
        try:
            plan = plan_translation(source, target, self._choice, multilingual=self.multilingual,
                                    pairs=self._pairs_if_needed(target))
        except (PlanUnavailable, TranslationError) as exc:
            self._report(f"{source}>{target}", i18n.reason_of(exc))
            return
        if plan.engine is TranslationEngine.IDENTITY:
            self._emit(self._event(unit, unit.text, plan))
        elif plan.uses_whisper:
            self._whisper_jobs.append(_WhisperJob(unit, plan, time.monotonic()))
        else:
            self._argos().submit_text(unit.segment_ids, unit.text, source, unit.start, unit.end, target=target,
                                      engine=TranslationEngine.ARGOS)

    def run_whisper_job(self, decoder: Decoder) -> None:
        """Decode the oldest waiting sentence with Whisper's translate task (on the thread that owns the model)."""
        if not self._whisper_jobs:
            return
        job = self._whisper_jobs.popleft()
        unit, plan = job.unit, job.plan
        # a settled sentence: the very audio it was settled from, whose encoding the decoder may still hold
        start, end = unit.audio_span or (unit.start - AUDIO_PAD_BEFORE_S, unit.end + AUDIO_PAD_AFTER_S)
        audio = self._audio.span(start, end)
        if audio is None:
            self._report("behind", i18n.translate(
                "Translation", "Translation fell too far behind the speech: some sentences were not translated"))
            return
        try:
            english = decoder.translate(audio, plan.source)
        except SpeechTranslationUnsupported:
            self._report("no-whisper", i18n.translate("Translation", "This speech model cannot translate speech"))
            return
        except Exception as exc:  # a model error must not stop transcription
            log.exception("Whisper translation failed")
            self._report("whisper", i18n.translate(
                "Translation", "Whisper could not translate a sentence: {reason}").format(
                reason=i18n.reason_of(exc)))
            return
        if plan.engine is TranslationEngine.WHISPER:
            self._emit(self._event(unit, english, plan))
        elif english.strip():
            self._argos().submit_text(unit.segment_ids, english, plan.source, unit.start, unit.end,
                                      target=plan.target, text_language=ENGLISH,
                                      engine=TranslationEngine.WHISPER_ARGOS)

    # --- internals --------------------------------------------------------------------------

    def _pairs_if_needed(self, target: str) -> list[tuple[str, str]]:
        # Whisper into English needs no pack: never import argostranslate for it.
        if self.multilingual and target == ENGLISH and self._choice is not EngineChoice.ARGOS:
            return []
        from voicedesk.engine.translation.routes import installed_pairs

        return installed_pairs()     # read each time: a pack installed mid-session works at once

    def _argos(self):
        if self._worker is None:
            from voicedesk.engine.translation import TranslationWorker, limit_translation_threads

            limit_translation_threads(1)   # Whisper needs the cores more; a sentence translates in milliseconds
            self._worker = TranslationWorker(self._emit, target=self._target, source="auto")
        return self._worker

    def _event(self, unit: SentenceUnit, text: str, plan: TranslationPlan) -> Translation:
        return Translation(unit.sentence_id, text, plan.source, plan.target, unit.start, unit.end,
                           segment_ids=unit.segment_ids, engine=plan.engine)

    def _report(self, key: str, message: str) -> None:
        if key in self._reported:
            return
        self._reported.add(key)
        self._emit(EngineError(ErrorKind.TRANSLATION, message, fatal=False))
