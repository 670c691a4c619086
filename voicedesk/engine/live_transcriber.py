"""Utterance audio in, partial and final text out: decides when to decode and what to commit.

One instance lives on the ASR worker thread. It owns the audio buffer of the utterance being
spoken, re-decodes it a few times a second for partials (greedy), commits words two consecutive
hypotheses agree on (LocalAgreement-2), and, when the VAD closes the utterance, decodes it once
more with beam search and commits the rest. A decode started speculatively on the first short
pause is reused when the pause turns out to be the end, which is what keeps final latency low.

Continuous speech never gives the VAD a pause, so there finals come from the commits: committed
words become a final at once (the sentence grouper downstream joins them into sentences), and the
buffer is trimmed at a committed word once it grows past `trim_buffer_s`, so every decode stays short.
The refresh cadence adapts to how long decodes take on this machine (`decode_duty`).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from typing import Callable, Optional, Sequence

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis
from voicedesk.engine.events import Event, FinalSegment, Partial
from voicedesk.engine.sentences import ends_sentence
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.commit_rule import ECHO_MIN_WORDS, LocalAgreement, Word, join_words, repeats_run, text_keys
from voicedesk.engine.spoken_language import LanguageSwitch

log = logging.getLogger(__name__)

SENTENCE_CLOSE = re.compile(r"[.!?。！？…]+$")
SPECULATE_AFTER_S = 0.2     # trailing silence after which the final decode starts early
LANGUAGE_MIN_AUDIO_S = 2.0  # Whisper's language guess on less audio is unreliable (1 s of Spanish reads as Arabic at 0.99)
LANGUAGE_MIN_PROB = 0.6
# an utterance kept in the session's language against Whisper's guess is heard again this later; so is one whose sure
# guess, while no language is clear yet, is another than the last one. Continuous speech is one long utterance, its
# language judged once on its first seconds: English read for 35 s, then espeak-ng Spanish heard as Thai at 0.97 over
# its first 2.5 s was decoded in Thai to the end of the reading, as garbage, 100 s behind
LANGUAGE_RECHECK_S = 4.0
MAX_SEGMENT_S = 12.0        # committed words longer than this become a final even without a sentence end
# The first partial of an utterance is decoded once the buffer holds this much (the 0.3 s pre-roll included), for
# display only: the regular refreshes and what they commit keep their slow-start cadence (see `step`).
FIRST_PARTIAL_AFTER_S = 0.6


def snap_to_speech(words: list[Word], speech: list[tuple[float, float]]) -> list[Word]:
    """Words whose edge Whisper stretched into a pause, pulled back to the speech the gate heard.

    Whisper's word times absorb the silence around a word (a sentence after a pause starts up to a second
    early), which shows as early subtitles and as speaker turns that cover silence. A word that lies wholly
    in a pause (the gate missed it) keeps its times."""
    snapped = []
    for word in words:
        start, end = word.start, word.end
        if not any(a <= start <= b for a, b in speech):
            start = min((a for a, _ in speech if start < a < end), default=start)
        if not any(a <= end <= b for a, b in speech):
            end = max((b for _, b in speech if start < b < end), default=end)
        snapped.append(dataclasses.replace(word, start=start, end=end))
    return snapped


def without_dips(stretches: Sequence[tuple[float, float]], min_pause_s: float) -> list[tuple[float, float]]:
    """The gate's stretches of speech joined across dips shorter than `min_pause_s` (one quiet frame is no pause:
    in a phone call with no pause between turns the gate still dips between words)."""
    joined: list[tuple[float, float]] = []
    for a, b in stretches:
        if joined and a - joined[-1][1] < min_pause_s:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
        else:
            joined.append((a, b))
    return joined


def speech_within(start: float, end: float, speech: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The stretches of speech inside [start, end] when it holds a pause of MIN_PAUSE_S or more, else ().

    A final's words span its pauses (Whisper stretches a word over the silence after it, and a file's final is a
    whole sentence): its speaker turns (RTTM) leave them out, as diarization references mark speech."""
    inside = [(max(a, start), min(b, end)) for a, b in without_dips(speech, MIN_PAUSE_S) if a < end and b > start]
    return tuple((round(a, 3), round(b, 3)) for a, b in inside) if len(inside) > 1 else ()


SPEECH_KEPT = 64   # the gate's most recent stretches of speech kept for `snap_to_speech`
# A gate dip shorter than this is between words, not a pause (in a phone call the gate dips for a frame between
# words): `speech_within` and the settle pass's reach to the gate's speech (engine/settle.py) both go by it.
MIN_PAUSE_S = 0.3


class UtteranceTranscriber:
    def __init__(self, decoder: Decoder, settings: EngineSettings, emit: Callable[[Event], None],
                 first_segment_id: int = 0) -> None:
        self.decoder = decoder
        self.settings = settings
        self.emit = emit
        self.next_segment_id = first_segment_id
        self._agreement = LocalAgreement()
        self._chunks: list[np.ndarray] = []
        self._samples = 0
        self._buffer_start = 0.0
        self._active = False
        self._language: Optional[str] = None   # locked for the current utterance once known
        self._language_recheck_at: Optional[float] = None   # utterance seconds at which to hear its language again
        self._language_checks = 0
        self._session_language: Optional[str] = None
        self._language_switch = LanguageSwitch()        # an utterance heard in another language waits for the next to agree
        self._hyp_language: Optional[str] = None   # what the last decode heard (not locked; None before any decode)
        self._pending: list[Word] = []         # committed, not yet emitted as a final segment
        self._history: list[tuple[float, str]] = []   # (end, text) of this turn's finals: the prompt for what follows
        self._history_language: Optional[str] = None
        self._history_ended_utterance = False  # the last history text was an utterance's end (its full stop is a guess)
        self._last_decode_end = 0.0
        self._last_speech_time = 0.0
        self._speech: list[tuple[float, float]] = []   # the gate's latest stretches of speech (start, end)
        self._speculative: Optional[tuple[float, Hypothesis]] = None
        self._last_partial = ""
        self._first_partial_shown = False
        self._decode_seconds = 0.0             # wall time of the last partial decode (adaptive cadence)
        self._realtime = False                 # fed live (partials run), as the engine last said
        self.decoded_until = 0.0               # session time up to which audio has been decoded or skipped
        self.utterance_start = 0.0             # where the utterance being decoded began
        self._onset: Optional[float] = None    # its first speech frame (the gate's pre-roll comes before)

    # --- inputs -------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    @property
    def buffer_end(self) -> float:
        return self._buffer_start + self._samples / SAMPLE_RATE

    @property
    def pending_start(self) -> Optional[float]:
        """Where the speech not decoded into finals yet begins (None when there is none): sentences wait for it. Its
        first speech frame, not the gate's pre-roll before it, as on the file route (there a full stop and a 1.1 s
        pause were taken for a full stop and 0.6 s, and the next sentence joined it)."""
        if not self._active:
            return None
        return self._onset if self._onset is not None else self.utterance_start

    @property
    def speech_heard(self) -> tuple[tuple[float, float], ...]:
        """The gate's latest stretches of speech (start, end), in run seconds."""
        return tuple(self._speech)

    @property
    def goes_on(self) -> bool:
        """The speaker went on after the final being emitted (its closing punctuation is believed at once): the
        utterance goes on, or more of its words follow this final (finals emitted together at its end: while a
        final is emitted, `_pending` holds the words after it)."""
        return self._active or bool(self._pending)

    @property
    def turn_ends_sentence(self) -> bool:
        """The final being emitted ends where another speaker may take over: its sentence ends with it."""
        return False

    def sentence_end_heard(self) -> Optional[FinalSegment]:
        """Continuous speech: the words of the latest hypothesis up to the first full stop that more words follow (the
        speaker went on, so the stop is believed, as `goes_on` makes the grouper believe it), as the final they will
        most likely become; None when the hypothesis shows no such stop. Not emitted: the settle pass may decode the
        sentence ahead with it (engine/settle.py)."""
        words = self._pending + self._agreement.tentative
        i = self._sentence_end_index(words)
        if i is None:
            return None
        heard = words[: i + 1]
        return FinalSegment(self.next_segment_id, join_words(heard), round(heard[0].start, 3),
                            round(heard[-1].end, 3), self._language or self._hyp_language or "")

    def speech_after_sentence_end(self) -> Optional[float]:
        """Where the words after the full stop `sentence_end_heard` gives start: the next sentence's speech, which a
        decode ahead of that sentence must not hear (None when it gives none)."""
        words = self._pending + self._agreement.tentative
        i = self._sentence_end_index(words)
        return words[i + 1].start if i is not None else None

    @staticmethod
    def _sentence_end_index(words: list[Word]) -> Optional[int]:
        """The index of the first word that ends a sentence and has a word after it, if any."""
        return next((i for i, word in enumerate(words[:-1]) if ends_sentence(word.text) and words[i + 1].key), None)

    def commit_sentence_end(self, end: float) -> None:
        """The settle pass's decode ahead heard the sentence that `sentence_end_heard` gave end where it said (`end`):
        its words are committed now, without waiting for a second hypothesis and a second of audio after them, and
        become finals. Their sentence completes and settles from that decode at once (engine/settle.py)."""
        if not self._active:
            return
        self._pending.extend(self._agreement.commit_through(end))
        self._emit_finals(everything=self.settings.streaming.final_on_commit)
        self._trim_committed()

    def finish(self) -> None:
        """The run ended: decode whatever audio is still held (the live route holds none once `end` ran)."""

    @property
    def final_due(self) -> bool:
        """The speaker paused: the final decode of this utterance is about to run (nothing must delay it)."""
        return self._active and self.buffer_end - self._last_speech_time > 0.0

    def begin(self, time: float) -> None:
        self.utterance_start = time
        self._onset = None
        self._reset_buffer(time)
        self._active = True
        self._agreement.reset()
        self._agreement.committed_until = time
        self._language = self.settings.language
        self._language_recheck_at = None
        self._language_checks = 0
        self._guessed_before: Optional[str] = None   # the guess before this utterance's, until it is heard again
        self._pending = []
        self._speculative = None
        self._last_partial = ""
        self._first_partial_shown = False
        self._last_decode_end = time
        self._last_speech_time = time
        # The prompt never crosses a pause, so no hallucination spreads across silence. Carried across short
        # pauses it would let casing follow the sentence, but on real Spanish with base it made Whisper repeat
        # and invent words (WER 25% -> 58% on arenas_es), so it is not offered.
        self._history = []

    def add_audio(self, samples: np.ndarray, start: float, trailing_silence: float) -> None:
        if not self._active:
            return
        if self._samples == 0:
            self._buffer_start = start
        self._chunks.append(samples)
        self._samples += len(samples)
        if trailing_silence == 0.0:
            if self._onset is None:
                self._onset = self.buffer_end - len(samples) / SAMPLE_RATE
            self._heard_speech(self.buffer_end - len(samples) / SAMPLE_RATE, self.buffer_end)
            self._last_speech_time = self.buffer_end
            self._speculative = None
        if self.buffer_end - self._buffer_start >= self.settings.streaming.max_utterance_s:
            self._commit_long_buffer()

    def _heard_speech(self, start: float, end: float) -> None:
        """The gate heard speech from `start` to `end`: extends the last stretch, or starts one after a pause."""
        if self._speech and start - self._speech[-1][1] <= 0.001:
            self._speech[-1] = (self._speech[-1][0], end)
        else:
            self._speech.append((start, end))
            del self._speech[:-SPEECH_KEPT]

    def end(self, time: float, discarded: bool) -> None:
        """The VAD closed the utterance: decode what is left with beam search and commit it all."""
        if not self._active:
            return
        self._active = False
        if discarded and not self._pending and not self._agreement.committed:
            self._reset_buffer(self.buffer_end)
            self.decoded_until = self.buffer_end
            self._emit_partial_clear()
            return
        hyp = None
        if self._speculative is not None and self._speculative[0] >= self._last_speech_time:
            hyp = self._speculative[1]
        elif self._samples:
            hyp = self._decode(final=True)
        if hyp is not None:
            self._pending.extend(self._agreement.finish(hyp.words))
        self._emit_finals(everything=True)
        self.decoded_until = self.buffer_end
        self._session_language = (self._language or self._language_switch.heard or self._hyp_language
                                  or self._session_language)
        self._reset_buffer(self.buffer_end)
        self._speculative = None
        self._emit_partial_clear()

    def step(self, realtime: bool, backlog_s: float) -> bool:
        """Called when the input queue is drained: maybe decode for a partial. True when it decoded."""
        self._realtime = realtime
        if not self._active or not self._samples:
            return False
        silence = self.buffer_end - self._last_speech_time
        if silence >= SPECULATE_AFTER_S:
            if self.settings.streaming.speculative_final and self._speculative is None and realtime and backlog_s < 0.3:
                self._speculative = (self.buffer_end, self._decode(final=True))
                self.decoded_until = self.buffer_end
                return True
            return False
        if not realtime or backlog_s > 0.3:
            return False                        # behind real time: skip partial refreshes, keep all audio
        interval = self.settings.streaming.partial_interval_s
        if self.buffer_end - self.utterance_start < self.settings.streaming.slow_start_s:
            # Early in an utterance a pause may still come, and then the beam-search final decides its words;
            # refreshing fast there commits greedy guesses instead (paused-speech WER 7.2% -> 14.4% at 0.5 s).
            interval *= 2
        interval = max(interval, self._decode_seconds / max(self.settings.streaming.decode_duty, 0.05))
        if self.buffer_end - self._last_decode_end < interval:
            return self._show_first_partial()
        started = time.monotonic()
        hyp = self._decode(final=False)
        self._decode_seconds = time.monotonic() - started
        self.decoded_until = self.buffer_end
        # Words Whisper has heard this long ago are committed even when two hypotheses never agree on them
        # (unclear speech, a name it keeps guessing): otherwise the buffer grows to the 25 s bound unconfirmed.
        self._pending.extend(self._agreement.update(hyp.words, self.buffer_end - self.settings.streaming.commit_age_s,
                                                    self.buffer_end - self.settings.streaming.commit_min_age_s))
        self._emit_finals(everything=self.settings.streaming.final_on_commit)
        self._trim_committed()
        self._emit_partial()
        return True

    # --- internals ----------------------------------------------------------------------

    def _show_first_partial(self) -> bool:
        """Show the utterance's first words early (median first partial 0.82 s after onset without this).

        Display only: the hypothesis is not fed to the agreement and the refresh cadence is kept, because
        committing early greedy guesses costs accuracy (see `step`). Skipped while the language is unknown:
        Whisper's guess on half a second of audio is often wrong ("Hello?" read as Chinese).
        """
        if (self._first_partial_shown or self._agreement.tentative or self._pending
                or self.buffer_end - self.utterance_start < FIRST_PARTIAL_AFTER_S
                or (self._language or self._session_language) is None):
            return False
        self._first_partial_shown = True
        scheduled = self._last_decode_end
        hyp = self._decode(final=False)
        self._last_decode_end = scheduled
        self._show_partial([w for w in hyp.words if w.text.strip()])   # all it heard: a sign that speech is heard
        return True

    def _audio(self) -> np.ndarray:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0] if self._chunks else np.zeros(0, np.float32)

    def _reset_buffer(self, start: float) -> None:
        self._chunks = []
        self._samples = 0
        self._buffer_start = start

    def _trim_buffer(self, until: float) -> None:
        """Drop audio before `until` (a committed word end) so the buffer never grows without bound."""
        cut = int(round((until - self._buffer_start) * SAMPLE_RATE))
        if cut <= 0:
            return
        audio = self._audio()[cut:]
        self._chunks = [audio] if len(audio) else []
        self._samples = len(audio)
        self._buffer_start = until

    def _trim_committed(self) -> None:
        """Keep decodes short in continuous speech: past `trim_buffer_s`, drop audio up to a committed word.

        A committed sentence end is the preferred cut (Whisper then starts afresh on a sentence); any
        committed word does when no sentence end lies in the buffer. Only emitted words are cut, so the
        prompt carries what the cut removed.
        """
        if self.buffer_end - self._buffer_start <= self.settings.streaming.trim_buffer_s or not self._agreement.committed:
            return
        if self._pending:
            return                               # committed words not yet final: their audio stays
        committed = [w for w in self._agreement.committed if w.end > self._buffer_start]
        if not committed:
            return
        ends = [w.end for w in committed if ends_sentence(w.text)]
        self._trim_buffer(ends[-1] if ends else committed[-1].end)

    def _prompt(self, language: Optional[str]) -> str:
        # Only text whose audio has left the buffer: Whisper reads the prompt as what came before
        # the audio, so committed words still in the buffer would be skipped or garbled.
        if not self.settings.decoding.prompt_chars:
            return ""
        if language and self._history_language and language != self._history_language:
            return ""           # a prompt in another language nudges Whisper to translate into it
        history = " ".join(text for end, text in self._history if end <= self._buffer_start + 0.01)
        if not history:
            return ""
        if self._history_ended_utterance:
            # Whisper closes every stretch of audio with a full stop; left in the prompt it makes the
            # next words of the same sentence start a new one ("Americans." / "Ask not!").
            history = SENTENCE_CLOSE.sub("", history)
        return history[-self.settings.decoding.prompt_chars:]

    def _decode(self, final: bool) -> Hypothesis:
        s = self.settings
        duration = self._samples / SAMPLE_RATE
        language = self._language
        if language is None and duration < LANGUAGE_MIN_AUDIO_S:
            language = self._session_language   # too little audio to guess: assume the language last heard
        recheck = (self._language_recheck_at is not None and duration >= LANGUAGE_MIN_AUDIO_S
                   and self.buffer_end - self.utterance_start >= self._language_recheck_at)
        if recheck:
            language = None                     # Whisper hears the language again (see below)
            self._language_checks += 1          # ...a hearing of its own (the same audio decoded twice is not)
        options = DecodeOptions(
            beam_size=s.decoding.beam_size if final else s.decoding.partial_beam_size,
            language=language,
            prompt=self._prompt(language) or None,
            final=final,
        )
        self._last_decode_end = self.buffer_end
        hyp = self.decoder.decode(self._audio(), self._buffer_start, options)
        if (self._language is None or recheck) and hyp.words and options.language is None \
                and duration >= LANGUAGE_MIN_AUDIO_S:
            # one language per utterance once it is known: the session's, unless Whisper is sure of another and the
            # long utterance before it agreed (engine/spoken_language.py); before any is known, a sure guess
            probs = hyp.language_probs or {hyp.language: hyp.language_probability}
            guessed = self._language_switch.heard
            language, clear = self._language_switch.judge(probs, duration,
                                                          key=(self.utterance_start, self._language_checks))
            self._language_recheck_at = None
            if self._guessed_before is not None and not clear and language != self._language:
                # heard again, the change of language was not confirmed: the utterance goes back to the one before
                language, self._guessed_before = self._guessed_before, None
            elif (self._language_checks == 0 and not clear and self._language_switch.language is None
                    and guessed is not None and language is not None and language != guessed):
                self._guessed_before = guessed
                self._language_recheck_at = self.buffer_end - self.utterance_start + LANGUAGE_RECHECK_S
            if language is not None:
                if self._history_language and language != self._history_language:
                    self._history = []        # the speaker switched language: the last turn is no context
                self._language = language
                if language != hyp.language:
                    log.debug("utterance at %.1f s heard as %s (%.2f), kept in %s", self.utterance_start,
                              hyp.language, hyp.language_probability, language)
                    # a long utterance (continuous speech) is heard again a few seconds on: two hearings that agree
                    # change the language, as two utterances would (Spanish read on after English, with no pause)
                    self._language_recheck_at = self.buffer_end - self.utterance_start + LANGUAGE_RECHECK_S
                    if final:                 # no later decode will fix it
                        return self._decode(final)
        self._hyp_language = hyp.language
        return hyp

    def _commit_long_buffer(self) -> None:
        """A monologue without pauses: commit all but the last seconds so the buffer can be trimmed."""
        # live, greedy: a beam over up to 25 s of audio would stall the stream; a file can afford the beam
        hyp = self._decode(final=not self._realtime)
        horizon = self.buffer_end - 2.0
        stable = [w for w in hyp.words if w.end <= horizon]
        self._pending.extend(self._agreement.finish(stable))
        self._emit_finals(everything=True)
        self.decoded_until = self.buffer_end
        trim_at = self._agreement.committed_until if stable else horizon
        self._trim_buffer(max(trim_at, self._buffer_start))

    def _emit_finals(self, everything: bool) -> None:
        """Emit committed words as final segments: at sentence ends, when long, or all at utterance end."""
        while self._pending:
            cut = 0
            for i, word in enumerate(self._pending):
                if ends_sentence(word.text) or word.end - self._pending[0].start >= MAX_SEGMENT_S:
                    cut = i + 1
                    break
            if cut == 0:
                if not everything:
                    return
                cut = len(self._pending)
            words, self._pending = self._pending[:cut], self._pending[cut:]
            self._emit_final(words)
            if ends_sentence(words[-1].text) and self._active and words[-1].end > self._buffer_start:
                self._trim_buffer(words[-1].end)

    def _snapped(self, words: list[Word]) -> list[Word]:
        """A final's words with their times kept to the gate's speech, as known when the final goes out."""
        return snap_to_speech(words, self._speech)

    def _emit_final(self, words: list[Word]) -> None:
        words = self._snapped(words)
        text = join_words(words)
        if not text:
            return
        language = self._language or self._hyp_language or ""
        start, end = round(words[0].start, 3), round(words[-1].end, 3)
        self.emit(FinalSegment(self.next_segment_id, text, start, end, language,
                               speech=speech_within(start, end, self._speech)))
        self.next_segment_id += 1
        if self._reads_back_history(text):
            # Whisper read its prompt back: text it was given, not speech. Kept, that text is the next decodes' prompt
            # too, and they read it back again: a live Spanish reading went on as "4.30 y .7 .6 la otra." for two
            # minutes (91% WER). The next decodes go without a prompt until new finals make one.
            log.info("a final repeated its prompt (%r); the next decodes go without one", text)
            self._history = []
            return
        self._history.append((words[-1].end, text))
        while len(self._history) > 1 and sum(len(t) + 1 for _, t in self._history) > 1000:
            self._history.pop(0)
        self._history_language = language or self._history_language
        self._history_ended_utterance = not self._active

    def _reads_back_history(self, text: str) -> bool:
        """Whether `text` completes ECHO_MIN_WORDS words in a row that the recent finals, which the prompt is made of,
        already hold (in continuous speech a final is a phrase: a run read back spans several)."""
        recent = " ".join(t for _, t in self._history)[-self.settings.decoding.prompt_chars:]
        said = text_keys(text)
        return bool(recent) and repeats_run(text_keys(recent) + said, len(said), ECHO_MIN_WORDS)

    def _emit_partial(self) -> None:
        self._show_partial(self._pending + self._sure_of(self._agreement.tentative))

    def _sure_of(self, guessed: Sequence[Word]) -> list[Word]:
        """The guessed words without the trailing ones Whisper is unsure of.

        Those are mostly a word cut off by the buffer's end ("hunk" for "hundred"): on continuous English
        41% of a partial's last words changed, 6% of the others; leaving them out until Whisper is sure
        took flicker from 14% to 8% for 0.1 s of partial lag (issue 21). Not for an utterance's first words, shown
        early as a sign that speech is heard: a short utterance's words are often all unsure, and it then showed
        nothing before its final (first partial p90 on paused speech 0.43 -> 0.81 s)."""
        words = list(guessed)
        while words and words[-1].probability < self.settings.streaming.partial_min_probability:
            words.pop()
        return words

    def _show_partial(self, words: list[Word]) -> None:
        text = join_words(words)
        if text == self._last_partial:
            return
        self._last_partial = text
        if not words:
            return
        language = self._language or self._hyp_language or ""
        self.emit(Partial(self.next_segment_id, text, round(words[0].start, 3), round(words[-1].end, 3), language))

    def _emit_partial_clear(self) -> None:
        self._last_partial = ""
