"""The settle pass: each complete sentence decoded once more from its own audio (schema 3's `Settled`).

Live finals are quick and provisional: greedy commits on short windows, each utterance decoded alone. Once
a sentence is complete, nobody waits for its first words any more, so it is decoded again the way Whisper
decodes best: the whole sentence at once with beam search, the settled sentences before it as context, and
the language detected on the whole sentence (short utterances are easily taken for a neighbouring
language). The result replaces the sentence's finals once; the engine never revises it again.

What must not happen is losing a word. A second decode that hears much less than the first (a dropped
phrase), or much more (a hallucination), or nothing, is not believed: the provisional text is settled as
it is. Sources that are not real time (files) were already decoded whole by the file route, so their
sentences settle as they are, with no second decode.

Runs on the ASR thread (the one that owns the model), between its own decodes; `run_one` settles the
oldest waiting sentence and returns it with its settled text, for the translator.

Decoding ahead: on paused speech a sentence is only known to be complete once the pause after its full stop
has lasted (engine/sentences.py), yet the ASR thread is idle during that pause. `decode_ahead` decodes the
unfinished sentence then; when the sentence completes with the same finals, `run_one` settles it at once
with that result, and when the speaker went on, the result is dropped. The settled text is the same either
way: the same audio, context and language.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import time
from dataclasses import dataclass
from typing import Callable, Optional

from voicedesk.engine.asr import DecodeOptions, Decoder
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import Event, Settled
from voicedesk.engine.sentences import SentenceUnit
from voicedesk.engine.commit_rule import Word, join_words

log = logging.getLogger(__name__)

PAD_BEFORE_S = 0.2            # Whisper's word times are a little late; do not clip the first sound
PAD_AFTER_S = 0.3
CONTEXT_CHARS = 200           # the settled text before a sentence, given as Whisper's prompt
MIN_KEPT_SHARE = 0.6          # a second decode with fewer words than this share of the first lost a phrase
MAX_GROWTH = 2.0              # ... and one with more than twice the words (plus a few) invented them
MAX_GROWTH_WORDS = 4
LOST_FINAL_MARGIN_S = 0.25    # a final with no settled word this near is one the second decode skipped
STAY_IN_LANGUAGE = 0.5        # keep the previous sentence's language unless another is twice as likely
# Whisper's padded 30 s encoder window, as the file route and plain faster-whisper decode. Measured on the streaming
# benchmark's corpus (2 real recordings, 8 espeak-ng sentences, base): settled WER 3.6% with it, 8.6% with the
# live route's short window (audio + margin, at least 6 s), which lost "ask" in "ask not" and invented a tail
# ("... in the evening. I'm going to do"); the price is the settled lag, median 1.46 s instead of 0.88 s.
FULL_WINDOW = True


@dataclass(frozen=True)
class _Waiting:
    unit: SentenceUnit
    queued_at: float


@dataclass(frozen=True)
class _Decoded:
    """What a second decode of one sentence heard: its words (None: keep the provisional text) and language."""

    words: Optional[list[Word]]
    language: Optional[str]
    rejected: bool = False          # the guards did not believe it (as opposed to: nothing to decode)


def with_skipped_finals(words: list[Word], unit: SentenceUnit) -> list[Word]:
    """The settled words, with every provisional final that no settled word comes near put back at its place.

    Whisper's second decode of a long sentence can stop early or skip a phrase (on a 14 s sentence it ended
    at "permission notice." and left out "shall be included in all copies ..."); a word the user saw must not
    vanish when the sentence settles, so the provisional text of that stretch stays."""
    skipped = [Word(start, end, " " + text) for text, start, end in unit.finals if text.strip() and not any(
        start - LOST_FINAL_MARGIN_S <= (w.start + w.end) / 2 <= end + LOST_FINAL_MARGIN_S for w in words)]
    if skipped:
        log.info("sentence %d: the second decode skipped %d of its finals; they stay as heard",
                 unit.sentence_id, len(skipped))
    return sorted(words + skipped, key=lambda w: w.start)


def _same_sentence(unit: SentenceUnit) -> tuple:
    return unit.sentence_id, unit.segment_ids, unit.end


class SentenceSettler:
    """Settles complete sentences in order; `submit` and `run_one` are called on the ASR thread."""

    def __init__(self, emit: Callable[[Event], None], audio: AudioHistory, *, beam_size: int, decode_again: bool,
                 spoken_language: Optional[str], now: Callable[[], float]) -> None:
        self._emit = emit
        self._audio = audio
        self._beam_size = max(1, beam_size)
        self.decode_again = decode_again        # False: sentences settle as heard (files, Stop)
        self._spoken = spoken_language          # the user's choice; None: detected per sentence
        self._now = now
        self._waiting: collections.deque[_Waiting] = collections.deque()
        self._context: dict[str, str] = {}     # language -> the settled text before the next sentence
        self._last_language: Optional[str] = None
        self._ahead: Optional[tuple[tuple, _Decoded]] = None   # an unfinished sentence decoded during its pause
        self.kept_provisional = 0               # sentences whose second decode was not believed
        self.decoded_ahead = 0                  # decodes run ahead ...
        self.settled_from_ahead = 0             # ... and those the sentence's settled text came from

    @property
    def pending(self) -> bool:
        return bool(self._waiting)

    def oldest_wait(self) -> float:
        """Seconds the oldest waiting sentence has waited (0 when none)."""
        return time.monotonic() - self._waiting[0].queued_at if self._waiting else 0.0

    def submit(self, unit: SentenceUnit) -> None:
        self._waiting.append(_Waiting(unit, time.monotonic()))

    def wants_ahead(self, unit: SentenceUnit, heard_until: float) -> bool:
        """Whether `decode_ahead` would decode `unit`: its audio is all heard, nothing waits before it, and it
        was not decoded as it is already."""
        return (self.decode_again and not self._waiting and heard_until >= unit.end + PAD_AFTER_S
                and (self._ahead is None or self._ahead[0] != _same_sentence(unit)))

    def decode_ahead(self, unit: SentenceUnit, decoder: Decoder, heard_until: float) -> None:
        """Decode the unfinished sentence `unit` now, while nobody speaks, for `run_one` to use if it completes as is."""
        if not self.wants_ahead(unit, heard_until):
            return
        self._ahead = (_same_sentence(unit), self._decode(unit, decoder))
        self.decoded_ahead += 1

    def run_one(self, decoder: Decoder) -> Optional[SentenceUnit]:
        """Settle the oldest waiting sentence: emit its Settled event, and return it with the settled text."""
        if not self._waiting:
            return None
        unit = self._waiting.popleft().unit
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == _same_sentence(unit):
            decoded = ahead[1]              # also at Stop: it costs nothing now
            self.settled_from_ahead += 1
        elif not self.decode_again:
            decoded = _Decoded(None, None)
        else:
            decoded = self._decode(unit, decoder)
        if decoded.rejected:
            log.info("sentence %d kept as heard: the second decode did not hold up", unit.sentence_id)
            self.kept_provisional += 1
        words = decoded.words
        if words is None:
            settled_words = tuple((text, start, end) for text, start, end in unit.finals)
            text, language = unit.text, unit.language
        else:
            self._last_language = decoded.language
            settled_words = tuple((w.text.strip(), w.start, w.end) for w in words)
            text, language = join_words(words), decoded.language or unit.language
        if text.strip():
            self._context[language] = (self._context.get(language, "") + " " + text).strip()[-CONTEXT_CHARS:]
        self._emit(Settled(unit.sentence_id, unit.segment_ids, text, language, unit.start, unit.end,
                           emitted_at=self._now(), words=settled_words))
        return dataclasses.replace(unit, text=text, language=language)

    def run_all(self, decoder: Decoder) -> list[SentenceUnit]:
        """Settle everything that waits (the run is ending)."""
        done = []
        while self._waiting:
            unit = self.run_one(decoder)
            if unit is not None:
                done.append(unit)
        return done

    # --- internals --------------------------------------------------------------------------

    def _decode(self, unit: SentenceUnit, decoder: Decoder) -> _Decoded:
        """The sentence's words from a second decode (None when the provisional text stands). Changes no state:
        a decode ahead may be thrown away."""
        provisional = len(unit.text.split())
        start = max(0.0, unit.start - PAD_BEFORE_S)
        audio = self._audio.span(start, unit.end + PAD_AFTER_S)
        if audio is None or not len(audio) or provisional == 0:
            return _Decoded(None, None)   # overwritten (the engine fell minutes behind), or nothing to settle
        language = self._language(unit, audio, decoder)
        options = DecodeOptions(beam_size=self._beam_size, language=language,
                                prompt=self._context.get(language or "", "") or None, final=True, full_window=FULL_WINDOW)
        try:
            hypothesis = decoder.decode(audio, start, options)
        except Exception:   # the provisional text stands; transcription goes on
            log.exception("settling sentence %d failed", unit.sentence_id)
            return _Decoded(None, None)
        # Whisper's prompt and the encoder's margin invite a few invented words past the sentence's audio
        words = [w for w in hypothesis.words if w.text.strip()
                 and unit.start - PAD_BEFORE_S <= (w.start + w.end) / 2 <= unit.end + PAD_AFTER_S]
        if not (MIN_KEPT_SHARE * provisional <= len(words) <= MAX_GROWTH * provisional + MAX_GROWTH_WORDS):
            log.debug("sentence %d: the second decode gave %d words for %d", unit.sentence_id, len(words), provisional)
            return _Decoded(None, None, rejected=True)
        return _Decoded(with_skipped_finals(words, unit), language or hypothesis.language or unit.language)

    def _language(self, unit: SentenceUnit, audio, decoder: Decoder) -> Optional[str]:
        """The user's language, else the one detected on the whole sentence, staying with the previous
        sentence's language while it is at least half as likely as the best (es/pt, de/nl on a few words)."""
        if self._spoken:
            return self._spoken
        try:
            probabilities = decoder.detect_language(audio)   # {} from a decoder that cannot tell
        except Exception:
            log.exception("language detection failed")
            return unit.language or None
        if not probabilities:
            return unit.language or None
        best = max(probabilities, key=lambda code: probabilities[code])
        previous = self._last_language
        if previous and probabilities.get(previous, 0.0) >= STAY_IN_LANGUAGE * probabilities[best]:
            return previous
        return best
