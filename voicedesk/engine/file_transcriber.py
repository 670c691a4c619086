"""The file route: a file (or an upload) decoded in windows of contiguous audio, as Whisper was trained.

Nobody waits for a file's first words, so it does not take the live route's short windows and quick cuts
(engine/live_transcriber.py): see `FileTranscriber`. Measured in benchmarks/file_accuracy.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis
from voicedesk.engine.commit_rule import Word
from voicedesk.engine.events import Event
from voicedesk.engine.sentences import ends_sentence
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.spoken_language import (KEEP_LANGUAGE_PROB, LONE_SWITCH_MIN_S, SWITCH_MIN_PROB, SWITCH_MIN_S,
                                                agreed_language, leaves_out)
from voicedesk.engine.live_transcriber import LANGUAGE_MIN_PROB, MAX_SEGMENT_S, UtteranceTranscriber, snap_to_speech

log = logging.getLogger(__name__)

# Utterances of SWITCH_MIN_S or more get Whisper's language probabilities (cheap: a short window), and only they can
# start another language (engine/spoken_language.py has the rule and its thresholds)
FILE_DETECT_MIN_S = 0.5       # shorter ones are asked only at a switch: do they go with the old language or the new?
FILE_BREAK_MIN_PROB = 0.5     # a window breaks at a language Whisper is this sure of, when it was heard in the file
FILE_MIN_CUT_S = 8.0          # a window is cut at a pause at least this far into it (never into slivers)
FILE_HOLD_BACK_S = 3.0        # speech with no pause in a whole window: its last seconds go to the next window


@dataclass(eq=False)
class _Span:
    """One utterance the VAD gate found inside the file route's window."""

    start: float                          # with the gate's pre-roll
    end: float                            # the end of its last speech frame
    onset: Optional[float] = None         # its first speech frame (the pre-roll comes before)
    closed: bool = False
    discarded: bool = False               # the gate found it too short to be speech (Whisper still hears it)
    probs: Optional[dict[str, float]] = None   # Whisper's language probabilities for it
    probed_from: Optional[float] = None   # ...heard from here (an utterance longer than a window is cut)
    language: Optional[str] = None        # a candidate switch: the language it starts...
    spoken: Optional[str] = None          # ...and the one spoken before it

    @property
    def duration(self) -> float:
        return self.end - self.start

    def prob(self, code: Optional[str]) -> float:
        """Whisper's probability that it is in `code` (0.0 when it was not probed, or for no language)."""
        return self.probs.get(code, 0.0) if self.probs is not None and code is not None else 0.0


TURN_GAP_S = 0.5   # a pause between words this long may hand the turn to someone else (speaker labels on)


def _middle(word) -> float:
    return (word.start + word.end) / 2


UNHEARD_MIN_S = 1.0   # an utterance at least this long with no word in it is speech Whisper skipped, not a noise


def _unheard_tail(spans: list[_Span], words: list) -> Optional[_Span]:
    """The first of the window's last utterances that hold no word, when one of them is long enough to be speech
    and words were heard before them; None when the window was heard to its end."""
    first: Optional[_Span] = None
    long_enough = False
    for span in reversed(spans):
        onset = span.onset if span.onset is not None else span.start
        if any(onset - 0.1 <= _middle(w) <= span.end + 0.1 for w in words):
            break
        first = span
        long_enough = long_enough or (not span.discarded and span.end - onset >= UNHEARD_MIN_S)
    else:
        return None      # no word anywhere: nothing was heard to go back to
    return first if long_enough else None


class FileTranscriber(UtteranceTranscriber):
    """The file route: audio decoded as Whisper was trained, in windows of up to ~30 s, with the full window.

    The live route decodes each VAD utterance on its own, in an encoder window fitted to it, and cuts at
    half-second pauses: measured on real files (benchmarks/file_accuracy.py) that loses words and costs
    accuracy in every language but English, where plain faster-whisper, decoding 30 s windows, does better.
    Here the VAD gate only says where speech is and where a window may be cut:

    - utterances and the pauses between them (up to `file_max_pause_s`, real audio from the engine's history)
      are held in one contiguous window; short blips the gate would discard stay in it, so Whisper hears them;
    - the window is decoded with beam search and the full 30 s encoder window when it is full (cut at the
      latest pause, the rest stays for the next window), at a longer pause, at a change of language, and at
      the end of the file; no prompt (measured: carried text makes base repeat and invent words);
    - the language: each utterance gets Whisper's language probabilities (a short-window encode); the window
      is decoded in the language spoken so far unless its utterances say, clearly, that it is another one
      (a Spanish sentence that sounds a little Portuguese stays Spanish), and a clear switch ends the window,
      taking with it the short utterances before it that sound more like the new language.
    """

    def __init__(self, decoder: Decoder, settings: EngineSettings, emit: Callable[[Event], None],
                 first_segment_id: int = 0, audio_span: Optional[Callable[[float, float], Optional[np.ndarray]]] = None,
                 voice_changes_at: Optional[Callable[[float], bool]] = None) -> None:
        super().__init__(decoder, settings, emit, first_segment_id)
        self._audio_span = audio_span      # session time span -> the audio heard there (the pauses between utterances)
        self._spans: list[_Span] = []
        self._candidate: Optional[_Span] = None   # an utterance that sounds like another language, unconfirmed
        self._goes_on = False
        self._languages_heard: set[str] = set()   # the languages windows of this file were decoded in
        # with speaker labels on, a pause between words may be a change of speaker: a final ends there, and the
        # file's labels (given at the end of the run, per final) can tell the two voices apart
        self._turn_gap_s = TURN_GAP_S if settings.speakers.enabled and voice_changes_at is not None else None
        self._voice_changes_at = voice_changes_at or (lambda at: False)
        self._turn = False      # the last final ended where the speaker may change: its sentence ends there

    # --- inputs ---------------------------------------------------------------------------------------

    @property
    def pending_start(self) -> Optional[float]:
        """Where the speech not decoded yet begins: its first speech frame, not the gate's pre-roll before it (a
        sentence's full stop followed by a 1.1 s pause was taken for one followed by 0.6 s, and two sentences went
        to the translator as one)."""
        spans = [sp for sp in self._spans if not sp.discarded] or self._spans
        heard = [sp.onset if sp.onset is not None else sp.start for sp in spans]
        return min(heard) if heard else None

    @property
    def goes_on(self) -> bool:
        return self._goes_on

    @property
    def turn_ends_sentence(self) -> bool:
        return self._turn

    @property
    def final_due(self) -> bool:
        return False

    def begin(self, time: float) -> None:
        if self._spans:
            gap = time - self.buffer_end
            if gap > self.settings.file_route.max_pause_s:
                self._decode_window(self.buffer_end)
            elif gap > 0:
                self._append(self._heard(self.buffer_end, time))
        if not self._spans:
            self._reset_buffer(time)
        self._spans.append(_Span(time, time))
        self._active = True
        self.utterance_start = time
        self._last_speech_time = time

    def add_audio(self, samples: np.ndarray, start: float, trailing_silence: float) -> None:
        if not self._active:
            return
        if not self._samples:
            self._buffer_start = start
        else:
            behind = int(round((start - self.buffer_end) * SAMPLE_RATE))
            if behind > 0:                       # a hole (never expected): fill it with what was heard there
                self._append(self._heard(self.buffer_end, start))
            elif behind < 0:                     # an overlap: keep only the new samples
                samples = samples[-behind:]
        self._append(samples)
        if trailing_silence == 0.0:
            self._heard_speech(self.buffer_end - len(samples) / SAMPLE_RATE, self.buffer_end)
            span = self._spans[-1]
            if span.onset is None:
                span.onset = self.buffer_end - len(samples) / SAMPLE_RATE
            self._last_speech_time = span.end = self.buffer_end
        if self.buffer_end - self._buffer_start >= self.settings.file_route.window_s:
            self._window_full()

    def end(self, time: float, discarded: bool) -> None:
        """The gate closed the utterance: keep it in the window (decoded later), note its language."""
        if not self._active:
            return
        self._active = False
        span = self._spans[-1]
        span.closed, span.discarded = True, discarded
        span.end = max(span.start, min(time, self.buffer_end))
        if not discarded:
            self._note_language(span)
        self.decoded_until = self.buffer_end
        self._emit_partial_clear()

    def step(self, realtime: bool, backlog_s: float) -> bool:
        self._realtime = realtime
        return False                             # nobody waits for partials of a file

    def finish(self) -> None:
        if self._active:
            self.end(self.buffer_end, discarded=False)
        if self._spans:
            self._decode_window(self.buffer_end)

    # --- the window -----------------------------------------------------------------------------------

    def _append(self, samples: np.ndarray) -> None:
        if len(samples):
            self._chunks.append(np.asarray(samples, np.float32))
            self._samples += len(samples)

    def _heard(self, start: float, end: float) -> np.ndarray:
        """The audio between two utterances, from the engine's history (silence if it is gone)."""
        n = int(round((end - start) * SAMPLE_RATE))
        audio = self._audio_span(start, end) if self._audio_span is not None and n > 0 else None
        if audio is None:
            return np.zeros(max(n, 0), np.float32)
        if len(audio) < n:
            audio = np.concatenate([audio, np.zeros(n - len(audio), np.float32)])
        return audio[:n]

    def _window_full(self) -> None:
        """Decode up to the latest pause far enough into the window; with no pause, all but the last seconds."""
        pauses = [self._pause_before(i) for i in range(1, len(self._spans))]
        if self._candidate in self._spans[1:]:
            # an utterance that may start another language starts the next window, if that leaves one here
            before = self._pause_before(self._spans.index(self._candidate))
            pauses = [before] if before >= self._buffer_start + FILE_MIN_CUT_S else pauses
        pauses = [t for t in pauses if t >= self._buffer_start + FILE_MIN_CUT_S]
        if pauses:
            self._decode_window(pauses[-1])
            return
        # speech without a pause for a whole window (a lecture, a reading): keep what is well inside it
        hyp = self._decode_chunk(self._audio(), self._spans)
        horizon = self.buffer_end - FILE_HOLD_BACK_S
        words = [w for w in (hyp.words if hyp else ()) if w.end <= horizon]
        ends = [i for i, w in enumerate(words) if ends_sentence(w.text)
                and w.end >= self._buffer_start + self.settings.file_route.window_s / 2]
        if ends:
            words = words[: ends[-1] + 1]
        self._emit_words(words, more=True)
        # at least FILE_MIN_CUT_S onwards, so a window Whisper hears little in never re-decodes every frame
        self._cut(max(words[-1].end if words else horizon, self._buffer_start + FILE_MIN_CUT_S))

    def _pause_before(self, i: int) -> float:
        """Where to cut before utterance i: the middle of the pause between the speech before it and its onset.

        Not where the gate reopened: after a short pause the gate closes late and opens late (a soft "S" or
        "P" stays under the threshold for a frame or two), so its reopening can lie after the first sound.
        """
        if i <= 0:
            return self._spans[0].start
        before, span = self._spans[i - 1], self._spans[i]
        onset = span.onset if span.onset is not None else span.end
        return max(self._buffer_start, (before.end + onset) / 2)

    def _decode_window(self, until: float) -> None:
        """Decode the window up to `until` (a pause, or its end), emit every word, keep the audio after it."""
        until = min(until, self.buffer_end)
        opening = self._session_language is None    # the file's first window: no language spoken so far to keep
        if self._candidate in self._spans[1:]:
            before = self._pause_before(self._spans.index(self._candidate))
            if before < until - 0.01:
                # an utterance that may start another language, unconfirmed when the window ends: decoded apart
                self._decode_window(before)
        while True:                                       # each language's part in its own language
            k = self._language_break([sp for sp in self._spans if sp.start < until])
            if k is None or self._pause_before(k) >= until - 0.01:
                break
            self._decode_window(self._pause_before(k))
        n = max(0, int(round((until - self._buffer_start) * SAMPLE_RATE)))
        spans = [sp for sp in self._spans if sp.start < until]
        if any(not sp.discarded for sp in spans):     # blips alone are left out, as the live route does
            hyp = self._decode_chunk(self._audio()[:n], spans, opening)
            words = [w for w in hyp.words if w.start < until] if hyp is not None else []
            unheard = _unheard_tail(spans, words)
            if unheard is not None:
                # Whisper ended the window early and skipped its last utterances (a reader's "... distribute."
                # heard, the next speaker's whole sentence after it not): they are decoded again, as a window
                # of their own, as faster-whisper's seek would start its next window at the last word
                at = self._pause_before(self._spans.index(unheard))
                log.info("the file route's window skipped speech at %.1f-%.1f s; decoding it again",
                         unheard.start, unheard.end)
                self._emit_words([w for w in words if _middle(w) < at], more=False)
                self._cut(at)
                self._decode_window(until)
                return
            self._emit_words(words, more=False)
        self._cut(until)

    def _cut(self, at: float) -> None:
        """Drop the window's audio before `at`; the utterances after it stay."""
        at = max(self._buffer_start, min(at, self.buffer_end))
        self._trim_buffer(at)
        if not self._samples:
            self._buffer_start = at
        kept = []
        for sp in self._spans:
            if sp.end <= at and (sp.closed or not self._active):
                continue
            if sp.start < at:
                sp.start = at
            kept.append(sp)
        self._spans = kept
        self.decoded_until = max(self.decoded_until, at)

    def _decode_chunk(self, audio: np.ndarray, spans: list[_Span], opening: bool = False) -> Optional[Hypothesis]:
        if not len(audio):
            return None
        for span in spans:
            if not span.closed and span.probs is not None and span.start != span.probed_from:
                span.probs = None    # speech with no pause for windows on end: each window's part is heard again
            if span.duration >= SWITCH_MIN_S:
                self._detect(span)
        language = self._window_language(spans, opening)
        options = DecodeOptions(beam_size=self.settings.decoding.beam_size, language=language, final=True, full_window=True)
        self._last_decode_end = self._buffer_start + len(audio) / SAMPLE_RATE
        hyp = self.decoder.decode(audio, self._buffer_start, options)
        self._hyp_language = hyp.language
        self._language = language or (hyp.language if hyp.words else None)
        if hyp.words and (language or hyp.language_probability >= LANGUAGE_MIN_PROB):
            self._session_language = language or hyp.language
            self._languages_heard.add(self._session_language)
        return hyp

    def _snapped(self, words: list[Word]) -> list[Word]:
        """Already kept to the speech in `_emit_words`, whose cuts at turns need the snapped times."""
        return words

    def _emit_words(self, words, more: bool) -> None:
        """Every word of a decoded window becomes final (split at sentence ends, as the live route does, and
        with speaker labels on at pauses, where the next words may be another speaker's: a sentence of their own)."""
        self._pending.extend(snap_to_speech(words, self._speech))
        turns = self._turn_points()
        while self._pending:
            cut, turn = 0, False
            for i, word in enumerate(self._pending):
                if ends_sentence(word.text) or word.end - self._pending[0].start >= MAX_SEGMENT_S:
                    cut = i + 1
                    break
                after = self._pending[i + 1] if i + 1 < len(self._pending) else None
                if after is not None and any(_middle(word) < t < _middle(after) for t in turns):
                    cut, turn = i + 1, True
                    break
            cut = cut or len(self._pending)
            chunk, self._pending = self._pending[:cut], self._pending[cut:]
            # a sentence end inside the window is real: the speaker went on (the window's last one is a guess)
            self._goes_on = (bool(self._pending) or more) and not turn
            self._turn = turn
            self._emit_final(chunk)
        self._goes_on = self._turn = False

    def _turn_points(self) -> list[float]:
        """With speaker labels on: the middles of the window's pauses of TURN_GAP_S or more where the voices on the
        two sides differ (the speaker labeller says), where a turn may change.

        From the gate's pauses, not the words' times: Whisper stretches a word over the pause after it."""
        if self._turn_gap_s is None:
            return []
        points = []
        for i in range(1, len(self._spans)):
            before, span = self._spans[i - 1], self._spans[i]
            onset = span.onset if span.onset is not None else span.start
            if onset - before.end >= self._turn_gap_s and self._voice_changes_at(self._pause_before(i)):
                points.append(self._pause_before(i))
        return points

    # --- language -------------------------------------------------------------------------------------

    def _note_language(self, span: _Span) -> None:
        """Whisper's language guess for a closed utterance; a clear change of language ends the window before it.

        One utterance is not enough: on real speech base gives a short utterance a wrong language with up to
        ~0.7 (French heard as Portuguese, Russian as Czech), right ones mostly above 0.9. So a switch waits for
        the next long utterance to agree; meanwhile a window that ends is cut before the candidate, which is
        then decoded in the language its own window's utterances add up to.
        """
        if span.duration < SWITCH_MIN_S or not self._detect(span):
            return
        probs = span.probs
        assert probs is not None    # _detect() is True only for an utterance with probabilities
        new = max(probs, key=lambda code: probs[code])
        candidate = self._candidate if self._candidate in self._spans else None
        if candidate is not None:
            # confirmed when the next long utterance does not sound like the old language either, and the two agree
            # on the new one (engine/spoken_language.py)
            agreed = agreed_language((candidate.probs or {}, candidate.duration), (probs, span.duration),
                                     candidate.spoken)
            if agreed is not None:
                candidate.language = agreed
                self._switch(candidate)
                return
            self._candidate = None                      # the old language again, or another guess: it was a guess
        index = self._spans.index(span)
        spoken = self._spoken_language(self._spans[:index]) or self._session_language
        if (spoken is not None and new != spoken and probs[new] >= SWITCH_MIN_PROB
                and probs.get(spoken, 0.0) < KEEP_LANGUAGE_PROB):
            span.language, span.spoken = new, spoken
            self._candidate = span

    def _switch(self, candidate: _Span) -> None:
        """The language changed at `candidate`: decode the window before it (in the old language)."""
        before = self._spans[: self._spans.index(candidate)]
        new, spoken = candidate.language, candidate.spoken
        # the short utterances just before it that sound more like the new language go with it
        k = len(before)
        while k > 0 and before[k - 1].duration < SWITCH_MIN_S and self._detect(before[k - 1]) \
                and before[k - 1].prob(new) > before[k - 1].prob(spoken):
            k -= 1
        if any(not sp.discarded for sp in before[:k]):
            self._decode_window(self._pause_before(k))
        self._session_language = new
        self._candidate = None

    def _language_break(self, spans: list[_Span]) -> Optional[int]:
        """Where a window's second language starts (an index into `spans`): a long utterance whose language
        (`_sure_language`) differs from a long one's before it, that gives the earlier one almost nothing, and
        that is not a lone one between two of the old language (`_break_confirmed`); None when there is none.

        Decoded in one language, the other language's speech comes out as nothing at all (measured on jfk, then
        Spanish, then quilter: "And so my fellow Americans, ask not" was lost). The short utterances just
        before the break that sound more like the new language go with it, as at a switch."""
        if self.settings.language is not None:
            return None
        previous: Optional[tuple[str, int]] = None
        for i, span in enumerate(spans):
            if span.discarded or span.duration < SWITCH_MIN_S or not self._detect(span):
                continue
            language = self._sure_language(span)
            if language is None:
                continue
            if previous is not None and language != previous[0]:
                if span.prob(previous[0]) >= KEEP_LANGUAGE_PROB \
                        or not self._break_confirmed(span, spans[i + 1:], previous[0]):
                    continue            # heard within the old language's stretch: it stays in it
                old, k = previous[0], i
                while k - 1 > previous[1] and self._detect(spans[k - 1]) \
                        and spans[k - 1].prob(language) > spans[k - 1].prob(old):
                    k -= 1
                return k
            if self._session_language is None or language in self._languages_heard:
                previous = (language, i)    # not a lone one heard as a language new to the file: nothing breaks there
        return None

    def _break_confirmed(self, span: _Span, after: list[_Span], old: str) -> bool:
        """Whether a window may break where `span` starts another language: when its language was spoken in the file
        already, or when the next long utterance leaves out `old` too and agrees with it (engine/spoken_language.py).
        A lone one in a language new to the file, between two of the old language or at the window's end, is more
        likely a misheard one (Russian read as Czech, Dutch as Greek). In the file's first window, before any
        language was spoken, one at the window's end may break it too (each of its languages is only heard once)."""
        if self._sure_language(span) in self._languages_heard or span.duration >= LONE_SWITCH_MIN_S:
            return True
        following = next((sp for sp in after if not sp.discarded and sp.duration >= SWITCH_MIN_S
                          and self._detect(sp)), None)
        if following is None:
            return self._session_language is None
        return agreed_language((span.probs or {}, span.duration), (following.probs or {}, following.duration),
                               old) is not None

    def _sure_language(self, span: _Span) -> Optional[str]:
        """The utterance's language when Whisper is sure of it, or, less sure, when it is among the languages
        already heard in the file (base hears Spanish as 0.63 Portuguese, but also Russian as 0.66 Czech)."""
        probs = span.probs or {}
        if not probs:
            return None
        top = max(probs, key=lambda code: probs[code])
        if probs[top] >= SWITCH_MIN_PROB:
            return top
        heard = [code for code in self._languages_heard if span.prob(code) >= KEEP_LANGUAGE_PROB]
        if probs[top] >= FILE_BREAK_MIN_PROB and heard:
            return max(heard, key=span.prob)
        return None

    def _detect(self, span: _Span) -> bool:
        """Give the utterance Whisper's language probabilities (once; only when the language is not given)."""
        if span.probs is None and not span.discarded and span.duration >= FILE_DETECT_MIN_S \
                and self.settings.language is None and self.decoder.multilingual:
            a = int(round((span.start - self._buffer_start) * SAMPLE_RATE))
            b = int(round((span.end - self._buffer_start) * SAMPLE_RATE))
            span.probs = self.decoder.detect_language(self._audio()[max(a, 0):b]) or {}
            span.probed_from = span.start
        return bool(span.probs)

    def _spoken_language(self, spans: list[_Span]) -> Optional[str]:
        """The language the utterances' probabilities add up to (weighted by duration), or None."""
        total = _language_weights(spans)
        if not total:
            return None
        top = max(total, key=lambda code: total[code])
        return top if total[top] >= 0.5 * sum(total.values()) else None

    def _window_language(self, spans: list[_Span], opening: bool = False) -> Optional[str]:
        """The language to decode a window in; None lets Whisper detect it over the whole window. `opening`: a part of
        the file's first window (split at a change of language before any language was spoken)."""
        if self.settings.language is not None:
            return self.settings.language
        total = _language_weights(spans)
        session = self._session_language
        if not total:
            return session
        weight = sum(total.values())
        top = max(total, key=lambda code: total[code])
        if session is None:
            # Whisper's own detection over the whole window, as plain faster-whisper's over its first 30 s: the first
            # Dutch line of a dialogue heard alone as Greek (0.75) made a whole file Greek until two lines agreed
            return None
        if top == session or total.get(session, 0.0) >= KEEP_LANGUAGE_PROB * weight:
            return session
        other = top if total[top] >= SWITCH_MIN_PROB * weight else None
        if other is None:
            # not the session's language, and not clearly another: one heard earlier in the file, if it is in the
            # running (base hears Spanish as partly Portuguese); else the session's, as before
            heard = [code for code in self._languages_heard if total.get(code, 0.0) >= KEEP_LANGUAGE_PROB * weight]
            other = max(heard, key=lambda code: total[code]) if heard else None
        if other is None:
            return session
        against = [sp.duration for sp in spans if sp.duration >= SWITCH_MIN_S and leaves_out(sp.probs or {}, session)]
        if opening or other in self._languages_heard or len(against) >= 2 or sum(against) >= LONE_SWITCH_MIN_S:
            return other
        return session      # one utterance heard as a language new to the file is more likely misheard


def _language_weights(spans: list[_Span]) -> dict[str, float]:
    """Each language's probability summed over the utterances, weighted by their duration."""
    total: dict[str, float] = {}
    for sp in spans:
        for code, p in (sp.probs or {}).items():
            total[code] = total.get(code, 0.0) + p * sp.duration
    return total
