"""The settle pass: each complete sentence decoded once more from its own audio (schema 3's `Settled`).

Live finals are quick and provisional: greedy commits on short windows, each utterance decoded alone. Once
a sentence is complete, nobody waits for its first words any more, so it is decoded again the way Whisper
decodes best: the whole sentence at once with beam search, the settled sentences before it as context, and
the language detected on the whole sentence (short utterances are easily taken for a neighbouring
language). The result replaces the sentence's finals once; the engine never revises it again. A sentence that follows
others in its language without a long pause is decoded after them, as Whisper hears a file: their audio first, their
settled text as the decode's prefix (CONTEXT_AUDIO_S).

What must not happen is losing a word. A second decode that hears much less than the first (a dropped
phrase), or much more (a hallucination), or nothing, or only a phrase of its prompt, is not believed: the
provisional text is settled as it is. Sources that are not real time (files) were already decoded whole by the
file route, so their sentences settle as they are, with no second decode.

Runs on the ASR thread (the one that owns the model), between its own decodes; `run_one` settles the
oldest waiting sentence and returns it with its settled text, for the translator.

Decoding ahead: on paused speech a sentence is only known to be complete once the pause after its full stop
has lasted (engine/sentences.py), yet the ASR thread is idle during that pause. `decode_ahead` decodes the
unfinished sentence then; when the sentence completes with the same finals, `run_one` settles it at once
with that result, and when the speaker went on, the result is dropped. The settled text is the same either
way: the same audio, context and language.

In continuous speech there is no pause, but the sentence's end shows in the live hypothesis (a full stop with more
words after it) before two hypotheses and a second of audio have committed it. The engine decodes the sentence ahead
then, through that full stop. When that decode (beam search, the whole sentence) hears the sentence end there too,
the hypothesis's words up to the full stop are committed at once (engine/live_transcriber.py), the sentence completes,
and it settles from that decode: without it a sentence's settle decode began only once its last final was out, and
the ASR thread spent the same second on it later. A decode ahead serves a sentence that ends within
AHEAD_END_TOLERANCE_S of where it was decoded to. Either way the result is judged against the sentence's real finals.
"""

from __future__ import annotations

import collections
import dataclasses
import difflib
import logging
import time
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from voicedesk.engine.asr import DecodeOptions, Decoder
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import Event, Settled
from voicedesk.engine.sentences import SentenceUnit, ends_sentence
from voicedesk.engine.commit_rule import ECHO_MIN_WORDS, Word, join_words, repeats_run, text_keys
from voicedesk.engine.live_transcriber import MIN_PAUSE_S, without_dips
from voicedesk.engine.spoken_language import SWITCH_MIN_S, LanguageSwitch

log = logging.getLogger(__name__)

PAD_BEFORE_S = 0.2            # Whisper's word times are a little late; do not clip the first sound
PAD_AFTER_S = 0.3             # ... nor the last; neither pad reaches into the speech of the sentence before or after
CONTEXT_CHARS = 200           # the settled text before a sentence, given as Whisper's prompt...
# ...only when the sentence follows it without a pause (the gate's end of utterance), as the live route's prompt never
# crosses a pause. Measured on real speech (benchmarks/file_accuracy.py sessions, the same live sentences settled
# again): after pauses the prompt made Whisper invent words in the silence after a short sentence ("... the
# directory. I'm", "... chiamata Non"; insertions 11 for 3 on English prompts, 13 for 7 on Italian), while within
# continuous speech it helped (read sonnet 8.3% WER with it, 11.1% without; the call 25.9% and 28.4%).
PROMPT_MAX_PAUSE_S = 0.5
# A second decode with fewer letters than this share of the first lost a phrase, and one with more than twice the
# letters (plus a few words' worth) invented them. Letters, not words: the provisional text's doubled words and
# split ones ("One Mom, please please" for "One moment please", "Good bye" for "Goodbye") made a word count reject
# the better decode (English prompts: settled WER 9.2% counting words, 5.3% counting letters, offline replay).
MIN_KEPT_SHARE = 0.6
MAX_GROWTH = 2.0
MAX_GROWTH_LETTERS = 20
# Live word times are a guess (short windows, greedy), and a sentence's audio cut from them can clip its last sound:
# "carried away by monkeys" and "your standard greetings" settled as "monkey" and "greeting". Where the gate heard a
# stretch of speech begin (end) within GATE_REACH_S of the sentence's first (last) word, after a pause of at least
# MIN_PAUSE_S and with no other sentence in between, the sentence's audio reaches out to it: in paused speech a
# sentence starts and ends where the speech does. Not in continuous speech, where the stretch holds the neighbouring
# sentences too (the call: reaching over its turns' short dips cost 5 more errors). Offline replay of one live run's
# sentences, the real corpus: English prompts 9.2% -> 4.3% settled WER with the letter count above, all 11 sessions
# 14.2% -> 13.0%.
GATE_REACH_S = 1.0
GATE_PAD_BEFORE_S = 0.1
GATE_PAD_AFTER_S = 0.2
NEXT_START_MARGIN_S = 0.05   # a word starting this near the provisional end, or after it, was not in the finals
LOST_FINAL_MARGIN_S = 0.25    # a final with no settled word this near is one the second decode skipped
# the provisional words a second decode left out that are put back (with_dropped_phrases): the first one or two of a
# sentence, or a phrase of two or three inside it
MAX_RESTORED_START = 2
MIN_RESTORED_RUN, MAX_RESTORED_RUN = 2, 3
# Whisper's padded 30 s encoder window, as the file route and plain faster-whisper decode. Measured on the streaming
# benchmark's corpus (2 real recordings, 8 espeak-ng sentences, base): settled WER 3.6% with it, 8.6% with the
# live route's short window (audio + margin, at least 6 s), which lost "ask" in "ask not" and invented a tail
# ("... in the evening. I'm going to do"); the price is the settled lag, median 1.46 s instead of 0.88 s.
FULL_WINDOW = True
# A decode ahead serves the sentence when it starts where the sentence does and ends this near its end: a committed
# word's time moves by a few hundredths between hypotheses of the same audio, and the decode hears PAD_AFTER_S more.
AHEAD_END_TOLERANCE_S = 0.25
LANGUAGE_WINDOW_S = 30.0   # until the session's language is clear, it is detected over this much of the session
# The settled sentences that begin this near before a sentence, in its language, are decoded with it: their audio
# before its own, their settled text as the decode's prefix (DecodeOptions.prefix). Whisper reads a short sentence
# better with what was said before it, as it does in a file's 30 s windows, and the prefix keeps it from decoding
# those sentences again. Offline, the real corpus's units decoded as a paused sentence settles (beam 5, full window,
# language given), alone / with up to 10 s before: Dutch dialogue 50.2% / 40.9% WER, the phone call 21.0% / 18.5%,
# the sonnet 15.7% / 13.0%, Russian prompts 20.1% / 16.5%, Italian 15.7% / 14.3%, English 2.9% / 1.9%, LibriVox
# 2.8% / 1.4%; French 16.4% / 17.2% and Spanish 8.7% / 9.7% (two words each): 315 errors / 274.
CONTEXT_AUDIO_S = 10.0
# ...when no pause longer than this lies between them: after a long silence (unrelated sentences, read one at a time) the
# sentence before misled the decode (streaming benchmark, English sentences 3 s apart: settled WER 4.3% -> 6.5%)
CONTEXT_MAX_PAUSE_S = 2.0
DECODE_MAX_S = 29.0        # context and sentence together stay inside Whisper's 30 s window
# After a prefix Whisper may skip the new sentence's first words ("At least, you know, they all call me ..." as "They
# all call me ...", "I don't hear that ..." as "don't hear that ...") or a phrase of it ("you know"), the phone call
# replayed live: a decode after a prefix whose text leaves out the provisional text's first words, or two of its words
# in a row (`_drops_phrase`), is not believed, and the sentence is decoded again alone. Its times do not show it:
# Whisper's alignment stretches the words around those it skipped, and puts a first word that it did read late.
AHEAD_TRIES = 2   # decodes ahead of one sentence at most (a hypothesis whose full stop keeps moving costs no more)


@dataclass(frozen=True)
class _Waiting:
    unit: SentenceUnit
    queued_at: float


@dataclass(frozen=True)
class _SettledBefore:
    """A settled sentence, as the context of the sentences after it."""

    audio_start: float      # where its decoded audio began
    end: float              # where its speech ended
    language: str
    text: str


@dataclass(frozen=True)
class _Heard:
    """What a second decode of a sentence's audio heard, before it is judged against the sentence's finals."""

    words: list[Word]
    language: Optional[str]
    span: tuple[float, float]
    prompt: Optional[str] = None    # the settled text before it, given as Whisper's prompt or prefix


@dataclass(frozen=True)
class _Decoded:
    """What a second decode of one sentence heard: its words (None: keep the provisional text) and language."""

    words: Optional[list[Word]]
    language: Optional[str]
    rejected: bool = False          # the guards did not believe it (as opposed to: nothing to decode)
    span: Optional[tuple[float, float]] = None   # the audio decoded, when a decode ran


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


def _without_next_sentence_start(words: list[Word], end: float, complete: bool) -> list[Word]:
    """`words` less a fragment after their last full stop that is the next sentence's start, heard in the pad
    after this one ("... from Chicago also. I'm", "... la tecla de número. No,"): when the provisional text ended
    with a full stop (`complete`: the sentence was heard whole), or when the fragment starts where the provisional
    text ended (`end`). It is settled with its own sentence. A word the live decode missed at the end ("many" for
    "many times.") ends the sentence, and stays. Offline replay of one live run's sentences (11 real sessions):
    12.3% -> 12.0% settled WER (the phone call 19.8% -> 17.3%, Spanish prompts 14.8% -> 14.3%, the rest the same)."""
    stops = [i for i, w in enumerate(words) if ends_sentence(w.text)]
    if stops and stops[-1] + 1 < len(words) and (complete or words[stops[-1] + 1].start >= end - NEXT_START_MARGIN_S):
        log.debug("settling: the next sentence's first words %r were left to it", join_words(words[stops[-1] + 1:]))
        return words[: stops[-1] + 1]
    return words


def _echoes_prompt(words: list[Word], prompt: Optional[str], provisional: str) -> bool:
    """Whether a second decode heard nothing but a phrase of its prompt (two words or more, in order) and none of the
    words the live decode heard there. Whisper reads on in its prompt when it hears too little: a 0.2 s noise heard
    live as "para el" settled as "¡O tente", two words of the settled sentence before it (Spanish prompts, live)."""
    heard = [w.key for w in words if w.key]
    if len(heard) < 2 or not prompt or set(heard) & set(text_keys(provisional)):
        return False
    context = text_keys(prompt)
    return any(context[i:i + len(heard)] == heard for i in range(len(context) - len(heard) + 1))


def _reads_back(words: list[Word], prefix: str) -> bool:
    """Whether `words`, decoded after `prefix`, repeat ECHO_MIN_WORDS of its words in a row: Whisper read the prefix
    back (a live Spanish reading's garbage, "4.30 y .7 .6 la otra.", settled again and again after itself)."""
    said = [w.key for w in words if w.key]
    return repeats_run(text_keys(prefix) + said, len(said), ECHO_MIN_WORDS)


def _doubled(said: list[str], i1: int, i2: int) -> bool:
    """Whether the words `said[i1:i2]` repeat those just before or after them (the live decode doubled them)."""
    n = i2 - i1
    return said[i1:i2] == said[i2:i2 + n] or said[i1:i2] == said[max(0, i1 - n):i1]


def _lost(said: list[str], heard: list[str]) -> list[tuple[str, int, int, int]]:
    """(tag, i1, i2, j1) for each run of `said` that `heard` leaves out ("delete") or hears as fewer words
    ("replace"), less those the live decode doubled; j1: where in `heard` the run would stand."""
    runs: list[tuple[str, int, int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, said, heard, autojunk=False).get_opcodes():
        if tag in ("delete", "replace") and (i2 - i1) > (j2 - j1) and not (tag == "delete" and _doubled(said, i1, i2)):
            runs.append((tag, i1, i2 - (j2 - j1) if tag == "replace" else i2, j1))
    return runs


def _drops_phrase(words: list[Word], provisional: str) -> bool:
    """Whether `words` leave out the provisional text's first words, or two or more of its words in a row (alone or
    heard as fewer words), that the live decode heard once. Whisper's alignment may stretch a word over those it
    skipped, so their times do not show it."""
    return any(i2 - i1 >= 2 or (tag == "delete" and i1 == 0)
               for tag, i1, i2, _ in _lost(text_keys(provisional), [w.key for w in words if w.key]))


def with_dropped_phrases(words: list[Word], unit: SentenceUnit) -> list[Word]:
    """`words`, with the provisional text's first words (one or two), or a short phrase inside it, put back where the
    second decode left them out. Whisper's beam search drops what a speaker says on the way ("Okay, I thought you
    know I heard a beep" settled as "I thought I heard a beep", "And I'm Sheila" as "I'm Sheila"), and the words the
    user saw must not vanish when the sentence settles. A longer run, or the provisional text's last words, is more
    often one the live decode invented over noise ("please We're going to get"), and stays out; so does a word or
    phrase the live decode doubled."""
    said = [token for token in unit.text.split() if Word(0.0, 0.0, token).key]
    heard = [(index, key) for index, w in enumerate(words) for key in text_keys(w.text)]
    inserts: dict[int, list[str]] = {}     # index in `words` -> the provisional words to put before it
    for tag, i1, i2, j1 in _lost([Word(0.0, 0.0, t).key for t in said], [key for _, key in heard]):
        if tag != "delete" or i2 == len(said) or not (i1 == 0 and i2 <= MAX_RESTORED_START
                                                       or MIN_RESTORED_RUN <= i2 - i1 <= MAX_RESTORED_RUN):
            continue
        inserts.setdefault(heard[j1][0] if j1 < len(heard) else len(words), []).extend(said[i1:i2])
    if not inserts:
        return words
    log.info("sentence %d: the second decode left out %s; they stay as heard", unit.sentence_id,
             " / ".join(" ".join(run) for run in inserts.values()))
    restored: list[Word] = []
    for index in range(len(words) + 1):
        run = inserts.get(index, [])
        before = words[index].start if index < len(words) else unit.end
        after = min(restored[-1].end if restored else unit.start, before)
        step = max(0.0, before - after) / max(len(run), 1)
        restored += [Word(after + k * step, after + (k + 1) * step, " " + token) for k, token in enumerate(run)]
        if index < len(words):
            restored.append(words[index])
    return restored


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _heard_as(ahead: SentenceUnit, unit: SentenceUnit) -> bool:
    """Whether a decode ahead of `ahead` heard `unit`'s audio: the same sentence from the same start, ending within
    AHEAD_END_TOLERANCE_S (a sentence the speaker went on with after a pause ends later than that)."""
    return (ahead.sentence_id == unit.sentence_id and ahead.start == unit.start
            and abs(ahead.end - unit.end) <= AHEAD_END_TOLERANCE_S)


class SentenceSettler:
    """Settles complete sentences in order; `submit` and `run_one` are called on the ASR thread."""

    def __init__(self, emit: Callable[[Event], None], audio: AudioHistory, *, beam_size: int, decode_again: bool,
                 spoken_language: Optional[str], now: Callable[[], float],
                 speech_heard: Callable[[], Sequence[tuple[float, float]]] = tuple,
                 context_s: float = CONTEXT_AUDIO_S) -> None:
        """`speech_heard`: the stretches of speech the gate heard lately (none: every decoded word is believed);
        `context_s`: how far back settled sentences are decoded with the next one (0: each alone)."""
        self._emit = emit
        self._audio = audio
        self._speech_heard = speech_heard
        self._beam_size = max(1, beam_size)
        self.decode_again = decode_again        # False: sentences settle as heard (files, Stop)
        self._spoken = spoken_language          # the user's choice; None: detected per sentence
        self._now = now
        self._waiting: collections.deque[_Waiting] = collections.deque()
        self._context: dict[str, str] = {}     # language -> the settled text before the next sentence
        self._language_switch = LanguageSwitch()         # a sentence heard in another language waits for the next to agree
        # an unfinished sentence decoded ahead, what the decode heard, and where the speech after it starts (if known)
        self._ahead: Optional[tuple[SentenceUnit, Optional[_Heard], Optional[float]]] = None
        self._ahead_tries = (-1, 0)             # (sentence id, decodes ahead of it so far)
        self._settled_until: Optional[float] = None    # where the last settled sentence's speech ended
        self._before: collections.deque[_SettledBefore] = collections.deque(maxlen=32)   # the latest settled ones
        self._context_s = context_s
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
        """Whether `decode_ahead` would decode `unit`: its audio is all heard, nothing waits before it, it was not
        decoded as it is already, and it was not decoded ahead AHEAD_TRIES times."""
        return (self.decode_again and not self._waiting and heard_until >= unit.end + PAD_AFTER_S
                and self._tries(unit) < AHEAD_TRIES and (self._ahead is None or not _heard_as(self._ahead[0], unit)))

    def decode_ahead(self, unit: SentenceUnit, decoder: Decoder, heard_until: float,
                     follows: Optional[float] = None) -> bool:
        """Decode the unfinished sentence `unit` now, while the ASR thread is idle (a pause, or a gap between live
        decodes), for `run_one` to use if the sentence completes as `unit` or nearly (`_heard_as`). True when the
        decode heard the sentence end where `unit` ends: a full stop within AHEAD_END_TOLERANCE_S of its end.

        `follows`: where the next sentence's words start, when the live hypothesis shows them (continuous speech). The
        decode hears none of them: reaching to the end of the gate's stretch of speech instead, it heard the next
        speaker's first words in a phone call and settled them with this sentence ("... New Jersey. And I'm shit."),
        and again with their own ("And I'm Sheila ...")."""
        if not self.wants_ahead(unit, heard_until):
            return False
        self._ahead_tries = (unit.sentence_id, self._tries(unit) + 1)
        heard = self._hear(unit, decoder, follows)
        self._ahead = (unit, heard, follows)
        self.decoded_ahead += 1
        stops = [w for w in heard.words if ends_sentence(w.text)] if heard is not None else []
        return bool(stops) and abs(stops[-1].end - unit.end) <= AHEAD_END_TOLERANCE_S

    def _tries(self, unit: SentenceUnit) -> int:
        """How many times `unit`'s sentence was decoded ahead."""
        return self._ahead_tries[1] if self._ahead_tries[0] == unit.sentence_id else 0

    def run_one(self, decoder: Decoder, next_speech: Optional[float] = None) -> Optional[SentenceUnit]:
        """Settle the oldest waiting sentence: emit its Settled event, and return it with the settled text.
        `next_speech`: where the speech after the waiting sentences starts, when the engine knows (a final is out)."""
        if not self._waiting:
            return None
        unit = self._waiting.popleft().unit
        follows = self._waiting[0].unit.start if self._waiting else next_speech
        ahead, self._ahead = self._ahead, None
        if ahead is not None and _heard_as(ahead[0], unit):
            decoded = self._judge(unit, ahead[1], ahead[2])  # judged as it was heard; also at Stop: it costs nothing now
            self.settled_from_ahead += 1
        elif not self.decode_again:
            decoded = _Decoded(None, None)
        else:
            # behind (another sentence waits), it is settled alone: the prefix costs decoding time, and a settle pass
            # that keeps up leaves the ASR thread the pauses it decodes ahead in (the phone call replayed live: with
            # every sentence decoded after those before it, no sentence was decoded ahead in 2 runs of 10)
            decoded = self._decode(unit, decoder, follows, with_context=not self._waiting)
        self._settled_until = unit.end
        if decoded.rejected:
            log.info("sentence %d kept as heard: the second decode did not hold up", unit.sentence_id)
            self.kept_provisional += 1
        words = decoded.words
        if words is None:
            settled_words = tuple((text, start, end) for text, start, end in unit.finals)
            text, language = unit.text, unit.language
        else:
            settled_words = tuple((w.text.strip(), w.start, w.end) for w in words)
            text, language = join_words(words), decoded.language or unit.language
        if text.strip():
            self._context[language] = (self._context.get(language, "") + " " + text).strip()[-CONTEXT_CHARS:]
        own_start = decoded.span[0] if decoded.span is not None else max(0.0, unit.start - PAD_BEFORE_S)
        self._before.append(_SettledBefore(own_start, unit.end, language, text))
        self._emit(Settled(unit.sentence_id, unit.segment_ids, text, language, unit.start, unit.end,
                           emitted_at=self._now(), words=settled_words))
        return dataclasses.replace(unit, text=text, language=language, audio_span=decoded.span)

    def run_all(self, decoder: Decoder, next_speech: Optional[float] = None) -> list[SentenceUnit]:
        """Settle everything that waits (the run is ending, or a file's sentences)."""
        done = []
        while self._waiting:
            unit = self.run_one(decoder, next_speech)
            if unit is not None:
                done.append(unit)
        return done

    # --- internals --------------------------------------------------------------------------

    def _decode(self, unit: SentenceUnit, decoder: Decoder, follows: Optional[float] = None,
                with_context: bool = True) -> _Decoded:
        """The sentence's words from a second decode (None when the provisional text stands); `follows`: where the
        next speech starts, if known."""
        return self._judge(unit, self._hear(unit, decoder, follows, with_context), follows)

    def _hear(self, unit: SentenceUnit, decoder: Decoder, follows: Optional[float] = None,
              with_context: bool = True) -> Optional[_Heard]:
        """The second decode of the sentence's audio: its words within that audio (None: nothing to decode, or the
        decode failed). A decode ahead may be thrown away, so the only state it changes is the language rule's
        (`LanguageSwitch.judge`, keyed by sentence: the same sentence heard again is one vote, not two)."""
        start, end, _ = self._span(unit, follows)
        audio = self._audio.span(start, end)
        if audio is None or not len(audio) or _letters(unit.text) == 0:
            return None   # overwritten (the engine fell minutes behind), or nothing to settle
        # when it will likely be decoded with the sentences before it, its language is heard in a short window
        # (~0.15 s): the decode encodes other audio, so a full-window detection's encoding would not be reused
        guess = self._spoken or self._language_switch.heard or unit.language
        likely = self._context_for(unit, start, end, guess) if with_context else None
        language = self._language(unit, audio, decoder, full_window=FULL_WINDOW and likely is None)
        context = likely if language == guess or not with_context else self._context_for(unit, start, end, language)
        continues = self._settled_until is not None and unit.start - self._settled_until <= PROMPT_MAX_PAUSE_S
        prompt = (self._context.get(language or "", "") or None) if continues else None
        options = DecodeOptions(beam_size=self._beam_size, language=language, prompt=prompt, final=True,
                                full_window=FULL_WINDOW)
        try:
            hypothesis, after_prefix = None, False
            if context is not None:
                context_start, context_audio, prefix = context
                hypothesis = decoder.decode(context_audio, context_start,
                                            dataclasses.replace(options, prompt=None, prefix=prefix))
                heard = [w for w in hypothesis.words if w.text.strip() and start <= (w.start + w.end) / 2 <= end]
                if (not hypothesis.prefix_read or not heard or _drops_phrase(heard, unit.text)
                        or _reads_back(heard, prefix)):
                    log.debug("sentence %d: the decode after its prefix lost words or read it back (%r for %r); "
                              "decoded alone", unit.sentence_id, join_words(heard), unit.text)
                    hypothesis = None
                else:
                    prompt, after_prefix = prefix, True
            if hypothesis is None:
                hypothesis = decoder.decode(audio, start, options)
        except Exception:   # the provisional text stands; transcription goes on
            log.exception("settling sentence %d failed", unit.sentence_id)
            return None
        # Whisper's prompt and the encoder's margin invite a few invented words past the sentence's audio; a word
        # before it, after the prefix, is one the sentences before it left out, and was not said in this one
        words = [w for w in hypothesis.words if w.text.strip() and start <= (w.start + w.end) / 2 <= end]
        log.debug("sentence %d heard %s: %r (live: %r)", unit.sentence_id, "after its prefix" if after_prefix else "alone",
                  join_words(words), unit.text)
        return _Heard(words, language or hypothesis.language, (start, end), prompt)

    def _context_before(self, start: float) -> list[_SettledBefore]:
        """The settled sentences just before audio starting at `start` that began within the context reach of it
        (oldest first)."""
        near: list[_SettledBefore] = []
        for before in reversed(self._before):
            if before.audio_start < start - self._context_s or before.audio_start >= start:
                break
            near.insert(0, before)
        return near

    def _context_for(self, unit: SentenceUnit, start: float, end: float, language: Optional[str]):
        """(where the audio to decode begins, that audio, the prefix) for `unit`, whose own audio is `start`-`end`, in
        `language`: the settled sentences before it in the same language, with no long pause (None when none)."""
        if language is None:
            return None
        near: list[_SettledBefore] = []
        after = unit.start
        for before in reversed(self._context_before(start)):   # the latest ones in a row in this language
            if (before.language != language or end - before.audio_start > DECODE_MAX_S
                    or after - before.end > CONTEXT_MAX_PAUSE_S):
                break
            near.insert(0, before)
            after = before.audio_start
        prefix = " ".join(b.text.strip() for b in near if b.text.strip())
        if not near or not prefix:
            return None
        audio = self._audio.span(near[0].audio_start, end)
        if audio is None or not len(audio):
            return None    # overwritten
        return near[0].audio_start, audio, prefix

    def _judge(self, unit: SentenceUnit, heard: Optional[_Heard], follows: Optional[float]) -> _Decoded:
        """What of `heard` the sentence `unit` settles to: the guards against lost and invented words, judged against
        its finals (None words: the provisional text stands)."""
        if heard is None:
            return _Decoded(None, None)
        speech_end = self._span(unit, follows)[2]
        words = _without_next_sentence_start(self._without_invented_tail(heard.words, speech_end), speech_end,
                                             ends_sentence(unit.text))
        # judged with the finals it skipped put back: those come back as heard anyway
        words = with_dropped_phrases(with_skipped_finals(words, unit), unit) if words else words
        heard_letters, provisional = sum(_letters(w.text) for w in words), _letters(unit.text)
        if not (MIN_KEPT_SHARE * provisional <= heard_letters <= MAX_GROWTH * provisional + MAX_GROWTH_LETTERS):
            log.debug("sentence %d: the second decode gave %d letters for %d", unit.sentence_id, heard_letters,
                      provisional)
            return _Decoded(None, None, rejected=True, span=heard.span)
        if _echoes_prompt(words, heard.prompt, unit.text):
            log.debug("sentence %d: the second decode only repeated its prompt: %r", unit.sentence_id,
                      join_words(words))
            return _Decoded(None, None, rejected=True, span=heard.span)
        return _Decoded(words, heard.language or unit.language, span=heard.span)

    def _span(self, unit: SentenceUnit, follows: Optional[float]) -> tuple[float, float, float]:
        """(start, end) of the audio to decode `unit` from, and where its speech ends (later words are suspect).

        The pads hear no speech of the neighbouring sentences: in continuous speech 0.3 s of the next sentence's
        first word came back as a word of this one ("... a beep. This..." before "This is Diane"), doubled."""
        floor = self._settled_until
        before = PAD_BEFORE_S if floor is None else min(PAD_BEFORE_S, max(0.0, unit.start - floor))
        after = PAD_AFTER_S if follows is None else min(PAD_AFTER_S, max(0.0, follows - unit.end))
        start, end, speech_end = max(0.0, unit.start - before), unit.end + after, unit.end
        for a, b in without_dips(self._speech_heard(), MIN_PAUSE_S):
            # a stretch that began before the sentence before ended, or ends after the next one began, is continuous
            # speech: its edges are not this sentence's
            if unit.start - GATE_REACH_S <= a < start <= b and (floor is None or a >= floor):
                start = max(floor or 0.0, a - GATE_PAD_BEFORE_S, 0.0)
            if a <= unit.end <= b <= unit.end + GATE_REACH_S and (follows is None or b <= follows):
                speech_end = b
                end = max(end, b + GATE_PAD_AFTER_S if follows is None else min(b + GATE_PAD_AFTER_S, follows))
        return start, end, speech_end

    def _without_invented_tail(self, words: list[Word], end: float) -> list[Word]:
        """`words` less those after the provisional text's end (`end`) that lie in no speech the gate heard.

        Whisper fills the silence after a short sentence with words nobody said ("... the directory. I'm",
        "... from Chicago. I'm sorry, I'm", "... chiamata Non"), more so with a prompt. A word the live decode
        missed at the end ("many times" heard as "many") lies in speech, and stays."""
        heard = self._speech_heard()
        if not heard:
            return words
        kept = [w for w in words if w.start < end or any(a <= (w.start + w.end) / 2 <= b for a, b in heard)]
        if len(kept) < len(words):
            log.debug("settling: %d words after the speech were invented", len(words) - len(kept))
        return kept

    def _language(self, unit: SentenceUnit, audio, decoder: Decoder, full_window: bool = FULL_WINDOW) -> Optional[str]:
        """The sentence's language.

        The user's language when they chose one. Else the rule the routes share (engine/spoken_language.py): the
        session's language (until a sentence made it clear, the one the provisional text was heard in) stays unless
        this sentence and the long one before it both leave it out and agree on another. Base hears a short sentence
        in a wrong language, often sure of it: Spanish phone prompts settled as Italian, Catalan, Greek, Hebrew and
        Arabic with a rule that only kept the previous sentence's language while it was half as likely as the best,
        and a Dutch dialogue as Greek, Portuguese and Chinese with one that let one sure sentence change it."""
        if self._spoken:
            return self._spoken
        kept = self._language_switch.heard or unit.language or None
        duration = unit.end - unit.start
        if self._language_switch.language is None:
            # no language is clear yet: Whisper hears the session so far (up to its window), as plain faster-whisper
            # hears a file's first 30 s; a live Dutch dialogue's first lines, each heard alone, settled as English,
            # Greek and Portuguese. Not when the sentence is nearly all of it: its own detection is reused by its decode
            heard_from = max(0.0, unit.end - LANGUAGE_WINDOW_S)
            whole = self._audio.span(heard_from, unit.end) if heard_from <= unit.start - SWITCH_MIN_S else None
            if whole is not None and len(whole) > len(audio):
                audio, duration = whole, unit.end - heard_from
        try:
            # heard as the decode hears it: the decode then reuses the encoder's work (engine/whisper_internals.py)
            probabilities = decoder.detect_language(audio, full_window=full_window)   # {}: a decoder cannot tell
        except Exception:
            log.exception("language detection failed")
            return kept
        language, _ = self._language_switch.judge(probabilities, duration, key=unit.sentence_id)
        return language or kept
