"""The live engine: source → VAD gate → streaming ASR → translation, events out in order.

Threads, one owner each:
- capture: pulls blocks from the source, runs the VAD gate, publishes levels, queues speech, keeps
  the last minutes of audio (AudioHistory) for translation;
- asr: owns the model and the UtteranceTranscriber, decodes, publishes partials and finals, groups
  finals into sentences, and runs Whisper's speech→English decodes of complete sentences in the
  gaps between its own decodes (one thread owns the model; a final that is due always goes first);
- translation: an Argos TranslationWorker (own thread) for text routes, made only when needed;
- dispatch: the only thread that calls the subscriber, so events arrive one at a time, in order.
The speech queue is bounded and blocks the capture thread when full (a microphone then
buffers in its own ring and counts overflow); partial refreshes are what gets skipped when
decoding falls behind. Only when that ring is full too does audio get lost, and then one non-fatal
EngineError per episode says how many seconds, and where.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from typing import TYPE_CHECKING, Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.framing import Framer
from voicedesk.audio.source import AudioSource, AudioSourceError, DeviceError
from voicedesk.audio.zero_audio import ZeroAudioWatch
from voicedesk.audio.vad import FRAME, GateConfig, GateFrame, SileroVad, SpeechEnd, SpeechFrame, SpeechStart, VadGate
from voicedesk.engine.asr import Decoder, WhisperAsr, decode_for_files
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import (
    RUN_ENDED, RUN_STOPPED, AudioLevel, EngineError, EngineState, ErrorKind, Event, EventSink, FinalSegment, Lag,
    ModelReady, Partial, Progress, RunEnded, Settled, SilentInput, Status,
)
from voicedesk.engine.translation.sentences import SentenceTranslator
from voicedesk.engine.sentences import SentenceGrouper, SentenceUnit
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.settle import SentenceSettler
from voicedesk.engine.file_transcriber import FileTranscriber
from voicedesk.engine.live_transcriber import UtteranceTranscriber
from voicedesk.engine.lost_audio import LostAudio, lost_audio_error
from voicedesk.i18n import reason_of, translate
from voicedesk.models.resolve import ModelError

if TYPE_CHECKING:
    from voicedesk.engine.speaker_labels import SpeakerLabeller
    from voicedesk.engine.speakers.online import OnlineSpeakers

log = logging.getLogger(__name__)
HEARD_SILENCE_S = 0.2   # speaker labels hear speech, not the pause that may end it (a voice, not a room)

SPEECH_QUEUE_BLOCKS = 1200          # ~60 s of 50 ms blocks; beyond it capture waits for the ASR worker
EVENT_QUEUE_SIZE = 2000
LEVELS_DROPPED_WHEN_BACKLOG = 500   # level events are the only ones dropped, and only when the UI is slow
TRANSLATION_MAX_WAIT_S = 4.0        # a Whisper translation waits for a gap in decoding at most this long
SETTLE_MAX_WAIT_S = 2.0             # a complete sentence waits for a gap in decoding at most this long to settle
SETTLE_BEAM_SIZE = 5                # the settle pass decodes as faster-whisper does offline
AUDIO_HISTORY_S = 120.0             # audio kept for settling and translating sentences again from their sound
FILE_READ_AHEAD_S = 40.0            # how far a file is read ahead of decoding: with a file window (file_window_s)
                                    # and the settle pause it must stay inside the history
CAPTURE_STOP_TIMEOUT_S = 10.0       # a run that ends waits this long for the capture thread to close the source
_STOP = object()


def _sentence_ahead(grouper: Optional[SentenceGrouper],
                    transcriber: UtteranceTranscriber) -> tuple[Optional[SentenceUnit], Optional[float]]:
    """The sentence the settle pass may decode ahead (engine/settle.py), and where the speech after it starts when that
    is known: during a pause, the unfinished one that will complete once the pause lasts; in continuous speech, the
    one the latest hypothesis ends with a full stop, which the next sentence's words follow."""
    if grouper is None or transcriber.final_due:    # the speaker just paused: the final decode comes first
        return None, None
    if not transcriber.active:
        return grouper.open_punctuated(), None
    heard = transcriber.sentence_end_heard()
    return (grouper.open_through(heard), transcriber.speech_after_sentence_end()) if heard is not None else (None, None)


class Engine:
    """Runs one source at a time through the pipeline; the model stays loaded between runs."""

    def __init__(self, settings: EngineSettings, sink: EventSink, decoder: Optional[Decoder] = None) -> None:
        self.settings = settings
        self._sink = sink
        self._decoder: Optional[Decoder] = decoder
        self._events: queue.Queue = queue.Queue(maxsize=EVENT_QUEUE_SIZE)
        self._dispatcher = threading.Thread(target=self._dispatch, name="voicedesk-dispatch", daemon=True)
        self._dispatcher.start()
        self._t0: Optional[float] = None
        self._model_lock = threading.Lock()
        self._model_thread: Optional[threading.Thread] = None
        self._stop = threading.Event()
        self._stop_asked = False          # stop() was called for this run (the run also sets _stop itself)
        self._done = threading.Event()
        self._done.set()
        self._translate_to = settings.translation.target
        self._translator: Optional[SentenceTranslator] = None
        self._settler: Optional[SentenceSettler] = None
        self._grouper: Optional[SentenceGrouper] = None
        self._transcriber: Optional[UtteranceTranscriber] = None
        self._speakers: Optional[SpeakerLabeller] = None   # the run's, when speaker labels are on (ASR thread)
        self._voices: Optional[OnlineSpeakers] = None      # live speakers, kept across runs until forget_speakers
        self._audio = AudioHistory(AUDIO_HISTORY_S)
        self._consumed_until = 0.0          # session time the ASR worker has taken from the speech queue
        self._delivered_until = 0.0
        self._next_segment_id = 0
        self._lock = threading.Lock()

    # --- public API ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    @property
    def model_info(self) -> str:
        asr = self._decoder
        if isinstance(asr, WhisperAsr) and asr.model is not None:
            return f"{self.settings.model} ({asr.device}, {asr.compute_type})"
        return self.settings.model

    def load_model(self) -> None:
        """Load the model on a worker thread (non-blocking); events tell how it went."""
        with self._lock:
            if self._model_thread is None or not self._model_thread.is_alive():
                self._model_thread = threading.Thread(target=self._load_model_quietly, name="voicedesk-load", daemon=True)
                self._model_thread.start()

    def load_model_blocking(self) -> None:
        """Load the model on this thread; raises ModelError (the CLI uses this)."""
        self._ensure_model()

    def start(self, source: AudioSource) -> None:
        """Run `source` through the pipeline on background threads (non-blocking)."""
        # RunEnded is delivered just before the run marks itself done; a caller that starts again on that
        # event must not be refused, so wait out that instant (a run really still going is refused).
        if self.running and not self._done.wait(2):
            raise RuntimeError("the engine is already running; stop() it first")
        self._stop.clear()
        self._stop_asked = False
        self._done.clear()
        self._t0 = None
        self._delivered_until = 0.0
        self._consumed_until = 0.0
        speech: queue.Queue = queue.Queue(maxsize=SPEECH_QUEUE_BLOCKS)
        worker = threading.Thread(target=self._run, args=(source, speech), name="voicedesk-asr", daemon=True)
        worker.start()

    def stop(self) -> None:
        """Ask the run to end: the source stops, the utterance in progress is finished as a final."""
        self._stop_asked = True
        self._stop.set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until the run ended and all its events were delivered; False on timeout."""
        return self._done.wait(timeout)

    def set_translate_to(self, code: Optional[str]) -> None:
        """Change the translation target at run time (None: stop translating); sentences completed later follow it."""
        with self._lock:
            self._translate_to = code
            if self._translator is not None:
                self._translator.set_target(code)

    @property
    def multilingual(self) -> bool:
        """Whether the loaded model can translate speech (False for English-only `.en` models)."""
        return self._decoder is None or bool(self._decoder.multilingual)   # not loaded yet: assume it is

    def set_translation_engine(self, choice: str) -> None:
        """Which engine translates (auto | whisper | argos), from the next run on; the model stays loaded."""
        from voicedesk.engine.translation.plan import parse_choice

        self.settings = self.settings.with_values(translation_engine=parse_choice(choice).value)

    def forget_speakers(self) -> None:
        """The next live run numbers speakers from 1 again (a new session); call between runs."""
        self._voices = None

    def close(self) -> None:
        """Stop any run and the dispatcher (the engine is unusable afterwards)."""
        self.stop()
        self.wait(10)
        loader = self._model_thread
        if loader is not None:
            # A model still loading in CTranslate2 when the interpreter exits aborts the process (SIGABRT).
            loader.join(60)
        self._events.put(_STOP)
        self._dispatcher.join(5)

    # --- event delivery -----------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        t0 = self._t0
        stamped = dataclasses.replace(event, emitted_at=round(time.monotonic() - t0, 4) if t0 is not None else 0.0)
        if isinstance(event, AudioLevel):
            if self._events.qsize() > LEVELS_DROPPED_WHEN_BACKLOG:
                return
            try:
                self._events.put_nowait(stamped)
            except queue.Full:
                pass
            return
        self._events.put(stamped)

    def _dispatch(self) -> None:
        while True:
            event = self._events.get()
            if event is _STOP:
                return
            if isinstance(event, threading.Event):
                event.set()               # a marker: everything queued before it has been delivered
                continue
            try:
                self._sink(event)
            except Exception:
                log.exception("event subscriber failed on %r", event)

    def _drain_events(self) -> None:
        marker = threading.Event()
        self._events.put(marker)
        marker.wait(30)

    # --- model --------------------------------------------------------------------------

    def _ensure_model(self) -> Decoder:
        with self._model_lock:
            if self._decoder is None:
                asr = WhisperAsr(self.settings)
                asr.load()
                self._decoder = asr
            return self._decoder

    @property
    def _loaded_decoder(self) -> Decoder:
        """The decoder of a run: `_run` loads it before it builds anything that decodes, and it is never unloaded."""
        decoder = self._decoder
        if decoder is None:
            raise RuntimeError("the model is not loaded")
        return decoder

    def _load_model_quietly(self) -> bool:
        if self._decoder is not None:
            return True
        self._emit(Status(EngineState.LOADING_MODEL, f"loading model {self.settings.model}"))
        try:
            self._ensure_model()
        except ModelError as exc:
            self._emit(EngineError(ErrorKind.MODEL, reason_of(exc), fatal=True))
            return False
        self._emit(ModelReady(self.model_info))
        return True

    # --- the run ------------------------------------------------------------------------

    def _run(self, source: AudioSource, speech: queue.Queue) -> None:
        try:
            if self._decoder is None and not self._load_model_quietly():
                return
            self._audio.reset()
            self._grouper = SentenceGrouper(self.settings.sentences.gap_s, self.settings.sentences.settle_s)
            with self._lock:
                self._translator = SentenceTranslator(
                    self._emit, self._audio, target=self._translate_to, choice=self.settings.translation.engine,
                    spoken_language=self.settings.language, multilingual=self.multilingual)
            self._translator.prepare()
            self._settler = SentenceSettler(
                self._emit_settled, self._audio, beam_size=SETTLE_BEAM_SIZE, spoken_language=self.settings.language,
                # a file's sentences were decoded whole by the file route: they settle as they are
                decode_again=source.realtime and self.settings.sentences.settle_pass, now=self._now,
                speech_heard=lambda: self._transcriber.speech_heard if self._transcriber is not None else ())
            # ids stay unique for the engine's lifetime, so a late translation never attaches to a newer run's segment
            if source.realtime:
                settings = self.settings
                transcriber = UtteranceTranscriber(self._loaded_decoder, settings, self._emit_and_translate,
                                                   first_segment_id=self._next_segment_id)
            else:
                # a file (or an upload): nobody waits for its words, so it takes the file route (engine/settings.py)
                decode_for_files(True)              # this thread: its translations too (a new thread each run)
                settings = self.settings.for_file()
                transcriber = FileTranscriber(self._loaded_decoder, settings, self._emit_and_translate,
                                              first_segment_id=self._next_segment_id, audio_span=self._audio.span,
                                              voice_changes_at=lambda at: bool(self._speakers and self._speakers.voice_changes_at(at)))
            self._transcriber = transcriber
            self._speakers = self._speaker_labeller(source.realtime)
            gate = settings.gate
            capture = threading.Thread(target=self._capture, args=(source, speech, gate), name="voicedesk-capture",
                                       daemon=True)
            capture.start()
            try:
                self._asr_loop(transcriber, speech, source.realtime)
            finally:
                self._next_segment_id = transcriber.next_segment_id
                # however the ASR loop ended (a decoder that raised included), the source is closed before the run ends
                self._end_capture(capture, source, speech)
        except Exception as exc:  # a bug must not take the app down: report it and stop cleanly
            log.exception("engine run failed")
            detail = str(exc) or type(exc).__name__
            self._emit(EngineError(ErrorKind.INTERNAL, translate(
                "Engine", "Transcription stopped after an internal error: {detail}").format(detail=detail), fatal=True))
        finally:
            with self._lock:
                translator, self._translator = self._translator, None
            if translator is not None:
                translator.close(timeout=60)
            self._emit(Status(EngineState.STOPPED))
            # the run's last event, after the translator's: whoever starts the next run on it loses nothing
            self._emit(RunEnded(RUN_STOPPED if self._stop_asked else RUN_ENDED))
            self._drain_events()
            self._done.set()

    def _end_capture(self, capture: threading.Thread, source: AudioSource, speech: queue.Queue) -> None:
        """Stop the capture thread and wait for it (bounded); close the source here if it did not end."""
        self._stop.set()
        deadline = time.monotonic() + CAPTURE_STOP_TIMEOUT_S
        while capture.is_alive() and time.monotonic() < deadline:
            # nobody decodes any more: keep the speech queue from blocking the capture's last puts
            while True:
                try:
                    speech.get_nowait()
                except queue.Empty:
                    break
            capture.join(0.05)
        if capture.is_alive():
            log.warning("audio capture did not stop within %.0f s; closing the source from the engine",
                        CAPTURE_STOP_TIMEOUT_S)
            try:
                source.stop()
            except Exception:
                log.exception("stopping the source failed")

    def _emit_and_translate(self, event: Event) -> None:
        """The transcriber's sink: a final gets its sentence, and sentences it completes go to the translator."""
        grouper = self._grouper
        if isinstance(event, Partial) and grouper is not None:
            joins = grouper.sentence_for(event.start, event.language)
            self._emit(event if joins is None else dataclasses.replace(event, sentence_id=joins))
            return
        if not isinstance(event, FinalSegment) or grouper is None:
            self._emit(event)
            return
        if self._speakers is not None:
            event = self._speakers.label_final(event)
        stamped = dataclasses.replace(event, emitted_at=self._now())
        transcriber = self._transcriber
        sentence_id, complete = grouper.add(stamped, utterance_goes_on=bool(transcriber and transcriber.goes_on),
                                            turn_ends=bool(transcriber and transcriber.turn_ends_sentence),
                                            new_speaker=bool(self._speakers and self._speakers.turn_changed))
        self._emit(dataclasses.replace(event, sentence_id=sentence_id))
        self._translate(complete)

    def _translate(self, units) -> None:
        """Complete sentences: settled first (engine/settle.py), then translated from their settled text."""
        settler = self._settler
        if settler is not None:
            for unit in units:
                settler.submit(unit)
            return
        self._submit_translations(units)

    def _submit_translations(self, units) -> None:
        translator = self._translator
        if translator is not None:
            for unit in units:
                translator.submit(unit)

    def _now(self) -> float:
        t0 = self._t0
        return round(time.monotonic() - t0, 4) if t0 is not None else 0.0

    def _run_settles(self, transcriber: UtteranceTranscriber, realtime: bool, everything: bool = False) -> None:
        """Settle complete sentences on this (the ASR) thread: live, one at a time when no final is due
        (or when a sentence has waited SETTLE_MAX_WAIT_S); a file's, or at the end of a run, all at once."""
        settler = self._settler
        if settler is None:
            return
        decoder = self._loaded_decoder
        if not settler.pending:
            ahead_wanted = realtime and not everything     # a file's sentences are never decoded ahead
            unfinished, follows = _sentence_ahead(self._grouper, transcriber) if ahead_wanted else (None, None)
            if (unfinished is None or not settler.decode_ahead(unfinished, decoder, self._consumed_until, follows)
                    or not transcriber.active):
                return
            # continuous speech, and the decode heard the sentence end where the hypothesis did: it settles below
            transcriber.commit_sentence_end(unfinished.end)
            if not settler.pending:
                return
        if everything or not realtime:
            if self._stop_asked:
                settler.decode_again = False    # Stop: what was heard is kept as heard, at once
            self._submit_translations(settler.run_all(decoder, self._next_speech()))
            return
        if transcriber.final_due and settler.oldest_wait() < SETTLE_MAX_WAIT_S:
            return
        unit = settler.run_one(decoder, self._next_speech())
        if unit is not None:
            self._submit_translations([unit])

    def _next_speech(self) -> Optional[float]:
        """Where the speech after the complete sentences starts: the unfinished sentence's first final, if any."""
        return self._grouper.open_sentence_start if self._grouper is not None else None

    def _run_translations(self, transcriber: UtteranceTranscriber, realtime: bool, everything: bool = False) -> None:
        """Whisper translation decodes, on this (the ASR) thread, only when no final decode is due."""
        self._run_settles(transcriber, realtime, everything)
        translator = self._translator
        if translator is None or not translator.whisper_pending:
            return
        if everything or not realtime:
            while translator.whisper_pending:
                translator.run_whisper_job(self._loaded_decoder)
            return
        if transcriber.final_due and translator.oldest_wait() < TRANSLATION_MAX_WAIT_S:
            return
        translator.run_whisper_job(self._loaded_decoder)

    def _capture(self, source: AudioSource, speech: queue.Queue, config: GateConfig) -> None:
        """Source → VAD gate → speech queue. Never decodes; only blocks when the ASR worker is a minute behind."""
        vad = SileroVad()
        gate = VadGate(config)
        position = 0              # samples delivered so far
        frame_pos = 0             # samples handed to the VAD in whole frames
        framer = Framer(FRAME)    # the one holder of samples not yet making a whole frame (VAD and gate alike)
        duration = source.duration
        next_progress = 0.0
        lost = LostAudio(source)
        try:
            source.start()
            self._emit(Status(EngineState.LISTENING, source.name))
            # a live input that can be blocked by a privacy setting names it (a file or a client stream cannot)
            hint = source.zero_audio_hint if source.realtime else None
            zeros = ZeroAudioWatch() if hint else None
            while not self._stop.is_set():
                block = source.read(0.1)
                lost_s = lost.episode_ended()
                if lost_s:
                    self._emit(lost_audio_error(lost_s, position / SAMPLE_RATE))
                if block is None:
                    continue
                if len(block) == 0:
                    break
                if self._t0 is None:
                    self._t0 = time.monotonic()
                block = np.asarray(block, dtype=np.float32).reshape(-1)
                silent = zeros.push(block) if zeros is not None else None
                if silent is not None:
                    self._emit(SilentInput(silent, hint if silent and hint else ""))
                self._audio.append(block)
                start = position / SAMPLE_RATE
                position += len(block)
                self._delivered_until = position / SAMPLE_RATE
                frames = framer.push(block)
                outputs = []
                for frame, p in zip(frames, vad.probabilities(frames)):
                    outputs.extend(gate.push(GateFrame(frame_pos / SAMPLE_RATE, frame, float(p), gate.in_speech)))
                    frame_pos += FRAME
                speech.put((position / SAMPLE_RATE, outputs))
                if not source.realtime:
                    self._wait_for_asr(position / SAMPLE_RATE)
                if source.realtime:
                    peak = float(np.max(np.abs(block))) if len(block) else 0.0
                    rms = float(np.sqrt(np.mean(block * block))) if len(block) else 0.0
                    self._emit(AudioLevel(round(start, 3), round(position / SAMPLE_RATE, 3), rms, peak, gate.in_speech))
                elif duration and start >= next_progress:
                    self._emit(Progress(round(start, 3), float(duration)))
                    next_progress = start + 1.0
        except AudioSourceError as exc:
            kind = ErrorKind.DEVICE if isinstance(exc, DeviceError) else ErrorKind.INPUT
            self._emit(EngineError(kind, reason_of(exc), fatal=True))
        except Exception as exc:
            log.exception("audio capture failed")
            self._emit(EngineError(ErrorKind.INTERNAL, translate("Engine", "Audio capture stopped: {reason}").format(
                reason=reason_of(exc)), fatal=True))
        finally:
            try:
                source.stop()
            except Exception:
                log.exception("stopping the source failed")
            lost_s = lost.episode_ended(run_ended=True)
            if lost_s:
                self._emit(lost_audio_error(lost_s, position / SAMPLE_RATE))
            speech.put((position / SAMPLE_RATE, gate.flush()))
            if duration:
                self._emit(Progress(round(position / SAMPLE_RATE, 3), float(duration)))
            speech.put(_STOP)

    def _wait_for_asr(self, read_until: float) -> None:
        """A file is read no further ahead of decoding than the audio history keeps (translation reads it back)."""
        while read_until - self._consumed_until > FILE_READ_AHEAD_S and not self._stop.is_set():
            time.sleep(0.01)

    def _asr_loop(self, transcriber: UtteranceTranscriber, speech: queue.Queue, realtime: bool) -> None:
        consumed_until = 0.0
        last_lag = 0.0
        while True:
            if realtime:
                # measured before draining: how much audio piled up while the last decode ran
                lag = round(max(0.0, self._delivered_until - consumed_until), 2)
                if abs(lag - last_lag) >= 0.25 or (lag < 0.25 and last_lag >= 0.25):
                    self._emit(Lag(lag))
                    last_lag = lag
            try:
                item = speech.get(timeout=0.05)
            except queue.Empty:
                item = None
            finished = False
            while item is not None:
                if item is _STOP:
                    finished = True
                    break
                consumed_until, outputs = item
                self._consumed_until = consumed_until
                self._handle(transcriber, outputs)
                # per block, not per batch: where sentences end must not depend on how fast blocks arrive
                self._tick_sentences(transcriber, consumed_until)
                if not realtime:
                    self._run_translations(transcriber, realtime)
                try:
                    item = speech.get_nowait()
                except queue.Empty:
                    item = None
            if finished:
                if transcriber.active:
                    transcriber.end(transcriber.buffer_end, discarded=False)
                transcriber.finish()
                self._translate(self._grouper.flush() if self._grouper else [])
                self._run_translations(transcriber, realtime, everything=True)
                self._label_speakers()
                if realtime and last_lag > 0.0:
                    self._emit(Lag(0.0))          # everything delivered has been decoded
                return
            backlog = max(0.0, self._delivered_until - consumed_until)
            decoded = transcriber.step(realtime, backlog)
            if not decoded and speech.empty():
                self._run_translations(transcriber, realtime)

    def _tick_sentences(self, transcriber: UtteranceTranscriber, audio_time: float) -> None:
        if self._grouper is not None:
            self._translate(self._grouper.tick(audio_time, transcriber.pending_start))

    def _speaker_labeller(self, realtime: bool) -> Optional[SpeakerLabeller]:
        """This run's speaker labeller when labels are on; a missing or broken speaker model is said once, and the
        run goes on without labels (no text is lost for want of them)."""
        if not self.settings.speakers.enabled:
            return None
        from voicedesk.engine.speaker_labels import SpeakerLabeller   # onnxruntime and the model: only when asked

        try:
            labeller = SpeakerLabeller(self.settings.speakers, realtime, self._audio, voices=self._voices,
                                       on_failure=self._speaker_labels_failed)
        except ModelError as exc:
            self._emit(EngineError(ErrorKind.SPEAKER_MODEL, reason_of(exc), fatal=False))
            return None
        if realtime:    # a Stop and Start in one session: whoever spoke before keeps their number
            self._voices = labeller.voices
        return labeller

    def _speaker_labels_failed(self, exc: Exception) -> None:
        detail = str(exc) or type(exc).__name__
        # not SPEAKER_MODEL: the model loaded and labelled; the window would offer to download it again
        self._emit(EngineError(ErrorKind.INTERNAL, translate(
            "Engine", "Speaker labels stopped after an error ({detail}); the transcript goes on without them.").format(
                detail=detail), fatal=False))

    def _emit_settled(self, event: Event) -> None:
        """The settle pass's sink: a settled sentence gets its speaker (live labels) on its way out."""
        if isinstance(event, Settled) and self._speakers is not None:
            event = self._speakers.label_settled(event)
        self._emit(event)

    def _hear(self, start: float, samples: np.ndarray) -> None:
        if self._speakers is not None:
            self._speakers.hear(start, samples)

    def _label_speakers(self) -> None:
        """At the end of a run: every final's speaker, from the whole run's speech."""
        labeller, self._speakers = self._speakers, None
        labels = labeller.labels() if labeller is not None else None
        if labels is not None:
            self._emit(dataclasses.replace(labels, emitted_at=self._now()))

    def _handle(self, transcriber: UtteranceTranscriber, outputs: list) -> None:
        for out in outputs:
            if isinstance(out, SpeechStart):
                transcriber.begin(out.pre_roll[0].start if out.pre_roll else out.time)
                self._emit(Status(EngineState.SPEECH))
                for frame in out.pre_roll:      # heard first: a window this frame fills may ask who spoke
                    self._hear(frame.start, frame.samples)
                    transcriber.add_audio(frame.samples, frame.start, trailing_silence=1.0)
            elif isinstance(out, SpeechFrame):
                if out.trailing_silence < HEARD_SILENCE_S:
                    self._hear(out.frame.start, out.frame.samples)
                transcriber.add_audio(out.frame.samples, out.frame.start, out.trailing_silence)
            elif isinstance(out, SpeechEnd):
                if transcriber.active:
                    self._emit(Status(EngineState.TRANSCRIBING))
                    transcriber.end(out.time, out.discarded)
                    self._emit(Status(EngineState.LISTENING))
