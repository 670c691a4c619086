"""The file route's transcriber (FileTranscriber): windows of contiguous audio cut at pauses, and its language.

A scripted decoder stands in for Whisper: it "hears" a fixed timeline of words (with a language each) and
returns the words that lie inside the audio it is given; it also answers language detection from the same
timeline. The transcriber is driven as the engine drives it: begin / add_audio / end from the VAD gate, with
the pauses' audio read back from the session (here: a function returning silence).
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis
from voicedesk.engine.events import FinalSegment
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.commit_rule import Word
from voicedesk.engine.file_transcriber import FileTranscriber
from voicedesk.engine.live_transcriber import SAMPLE_RATE

FRAME = 512
FRAME_S = FRAME / SAMPLE_RATE


class ScriptedDecoder(Decoder):
    def __init__(self, words: list[tuple[Word, str]]) -> None:
        self.words = words                                  # (word, language)
        self.calls: list[tuple[float, float, DecodeOptions]] = []
        self.decoded: list[str] = []                        # the language each window was decoded in
        self.detections: list[tuple[float, float]] = []

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        end = offset + len(audio) / SAMPLE_RATE
        self.calls.append((offset, end, options))
        heard = [(w, lang) for w, lang in self.words if w.start >= offset - 0.01 and w.end <= end + 0.01]
        language = options.language or (heard[0][1] if heard else "en")   # told, or detected over the window
        self.decoded.append(language)
        # Whisper decodes in the language it is told: words of another language come out garbled
        words = tuple(w if lang == language else Word(w.start, w.end, " ???") for w, lang in heard)
        return Hypothesis(words, language, 1.0)

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        # the scripted "model" knows where it is only from the audio's length: the tests put the utterance's
        # start time in the first sample of each of its frames (a window cut mid-frame starts with zeros)
        marked = np.flatnonzero(audio)
        start = float(audio[marked[0]]) if len(marked) else 0.0
        self.detections.append((start, start + len(audio) / SAMPLE_RATE))
        inside = [lang for w, lang in self.words if start - 0.01 <= w.start < start + len(audio) / SAMPLE_RATE]
        if not inside:
            return {"en": 0.5, "de": 0.5}
        top = max(set(inside), key=inside.count)
        return {top: 0.97, **{other: 0.01 for other in ("en", "de", "es", "pt") if other != top}}


def speech(utterances: list[tuple[float, float]], duration: float, words_per_s: float = 3.0,
           languages: Optional[list[str]] = None) -> list[tuple[Word, str]]:
    """Words filling each utterance, numbered so the test can tell them apart."""
    out, n = [], 0
    for k, (a, b) in enumerate(utterances):
        t, step = a + 0.1, 1.0 / words_per_s
        while t + step <= b - 0.05:
            out.append((Word(t, t + step - 0.05, f" w{n}"), (languages or ["en"] * len(utterances))[k]))
            n += 1
            t += step
    return out


def drive(transcriber: FileTranscriber, utterances: list[tuple[float, float]], duration: float,
          discarded: tuple[int, ...] = ()) -> None:
    """Feed the transcriber as the engine does: frames of each utterance (each frame's first sample holds the
    utterance's start time, for the scripted language detection), a gate close after 0.5 s of silence."""
    for k, (a, b) in enumerate(utterances):
        start = round(a / FRAME_S) * FRAME_S
        transcriber.begin(start)
        t = start
        close = b + 0.5
        while t < min(close, duration):
            frame = np.zeros(FRAME, np.float32)
            frame[0] = start
            transcriber.add_audio(frame, t, 0.0 if t < b else t - b)
            t += FRAME_S
        if transcriber.active:
            transcriber.end(b, discarded=k in discarded)
    transcriber.finish()


def run(utterances, duration, settings=None, languages=None, discarded=()):
    settings = (settings or EngineSettings()).for_file()
    decoder = ScriptedDecoder(speech(utterances, duration, languages=languages))
    events: list = []
    transcriber = FileTranscriber(decoder, settings, events.append,
                                  audio_span=lambda a, b: np.zeros(int(round((b - a) * SAMPLE_RATE)), np.float32))
    drive(transcriber, utterances, duration, discarded)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    return decoder, finals


def said(decoder: ScriptedDecoder) -> list[str]:
    return [w.text.strip() for w, _ in decoder.words]


def test_utterances_with_short_pauses_are_decoded_together_in_one_window_with_the_full_encoder_window():
    utterances = [(1.0, 3.0), (3.4, 5.0), (6.0, 9.0), (9.6, 12.0)]     # pauses of 0.4-1.0 s
    decoder, finals = run(utterances, 14.0)
    assert len(decoder.calls) == 1, decoder.calls
    offset, end, options = decoder.calls[0]
    assert offset <= 1.0 and end >= 12.0
    assert options.full_window and options.final and options.beam_size == 5 and options.prompt is None
    assert " ".join(f.text for f in finals).split() == said(decoder)


def test_a_long_session_is_cut_at_pauses_into_windows_of_at_most_file_window_s_and_loses_no_word():
    utterances = [(1.0 + 4.0 * k, 4.2 + 4.0 * k) for k in range(20)]  # 80 s of speech with 0.8 s pauses
    decoder, finals = run(utterances, 82.0)
    assert len(decoder.calls) >= 3
    for offset, end, _ in decoder.calls:
        assert end - offset <= EngineSettings().file_route.window_s + 1e-6
        # every cut lies in a pause, never inside an utterance
        assert not any(a < offset < b for a, b in utterances[1:])
    assert " ".join(f.text for f in finals).split() == said(decoder)


def test_speech_without_any_pause_is_cut_at_a_word_and_every_word_arrives_once():
    decoder, finals = run([(1.0, 71.0)], 72.0)
    assert len(decoder.calls) >= 3
    assert " ".join(f.text for f in finals).split() == said(decoder)


class EndsEarlyDecoder(ScriptedDecoder):
    """Whisper as it sometimes decodes a window: it stops after its first utterances and skips the rest of it
    (a real reader's "... distribute." heard, the next speaker's whole sentence after it not)."""

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        hyp = super().decode(audio, offset, options)
        return Hypothesis(tuple(w for w in hyp.words if w.end <= offset + 6.0), hyp.language, 1.0)


def test_speech_whisper_skipped_at_the_end_of_a_window_is_decoded_again_and_no_word_is_lost():
    utterances = [(1.0, 6.0), (7.0, 9.5), (10.3, 12.0)]
    decoder = EndsEarlyDecoder(speech(utterances, 14.0))
    events: list = []
    transcriber = FileTranscriber(decoder, EngineSettings().for_file(), events.append,
                                  audio_span=lambda a, b: np.zeros(int(round((b - a) * SAMPLE_RATE)), np.float32))
    drive(transcriber, utterances, 14.0)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert " ".join(f.text for f in finals).split() == said(decoder)
    assert len(decoder.calls) == 2 and 6.0 < decoder.calls[1][0] < 7.0   # the second window starts in the pause


def test_a_window_with_nothing_heard_in_it_is_not_decoded_again():
    decoder = ScriptedDecoder([])           # noise, music: Whisper hears no word, and that is its answer
    events: list = []
    transcriber = FileTranscriber(decoder, EngineSettings().for_file(), events.append,
                                  audio_span=lambda a, b: np.zeros(int(round((b - a) * SAMPLE_RATE)), np.float32))
    drive(transcriber, [(1.0, 4.0), (5.0, 8.0)], 10.0)
    assert len(decoder.calls) == 1 and not [e for e in events if isinstance(e, FinalSegment)]


def test_a_long_pause_ends_the_window_so_silence_is_not_decoded():
    utterances = [(1.0, 4.0), (12.0, 15.0)]                            # 8 s of silence between them
    decoder, finals = run(utterances, 17.0)
    assert len(decoder.calls) == 2
    assert decoder.calls[0][1] < 6.0 and decoder.calls[1][0] > 10.0


def test_a_blip_the_gate_would_discard_is_decoded_with_the_speech_next_to_it():
    # "Hello?" said quickly before a longer turn: the live route drops it as too short, the file route keeps it
    utterances = [(1.0, 1.4), (2.0, 6.0)]
    decoder, finals = run(utterances, 8.0, discarded=(0,))
    assert len(decoder.calls) == 1 and decoder.calls[0][0] <= 1.0
    assert " ".join(f.text for f in finals).split() == said(decoder)


def test_blips_alone_are_not_decoded():
    decoder, finals = run([(1.0, 1.2)], 6.0, discarded=(0,))
    assert decoder.calls == [] and finals == []


def test_the_window_is_decoded_in_the_language_spoken_so_far():
    utterances = [(1.0, 5.0), (5.8, 9.0), (9.8, 13.0)]
    decoder, finals = run(utterances, 15.0, languages=["es", "es", "es"])
    assert decoder.decoded == ["es"]
    assert {f.language for f in finals} == {"es"}


def test_a_clear_change_of_language_ends_the_window_and_the_next_one_is_decoded_in_the_new_language():
    utterances = [(1.0, 5.0), (5.8, 9.0), (9.8, 10.6), (11.2, 15.0), (15.8, 19.0)]
    # the short utterance (0.8 s) just before the German turn is German too
    decoder, finals = run(utterances, 21.0, languages=["en", "en", "de", "de", "de"])
    assert decoder.decoded == ["en", "de"]
    assert decoder.calls[0][1] <= 9.8 + 1e-6
    assert "???" not in " ".join(f.text for f in finals)
    assert [f.language for f in finals][0] == "en" and [f.language for f in finals][-1] == "de"


def test_one_utterance_that_sounds_like_another_language_does_not_switch_the_window():
    # base hears a short Spanish sentence as Portuguese now and then (French as Portuguese, Russian as Czech):
    # unconfirmed by the next utterance, it stays in the language spoken around it
    utterances = [(1.0, 5.0), (5.8, 9.0), (9.8, 12.5), (13.2, 17.0)]
    decoder, finals = run(utterances, 19.0, languages=["es", "es", "pt", "es"])
    assert decoder.decoded == ["es"]
    assert {f.language for f in finals} == {"es"}


def test_the_language_given_is_used_without_detection():
    utterances = [(1.0, 5.0), (5.8, 9.0)]
    settings = EngineSettings(language="en")
    decoder, finals = run(utterances, 11.0, settings=settings, languages=["de", "de"])
    assert decoder.detections == [] and decoder.decoded == ["en"]


def test_a_language_switch_back_at_the_end_of_the_file_is_decoded_in_its_own_language():
    # Spanish, English, then Spanish again up to the end: the last Spanish utterance is unconfirmed when the
    # file ends (the next long one sounds half Portuguese to base), and still gets a window of its own
    utterances = [(1.0, 4.0), (4.6, 8.6), (10.5, 13.0), (13.5, 21.2), (23.4, 25.7), (26.2, 27.4)]
    decoder, finals = run(utterances, 28.5, languages=["es", "es", "en", "en", "es", "es"])
    assert decoder.decoded == ["es", "en", "es"]
    assert "???" not in " ".join(f.text for f in finals)


def test_speech_in_another_language_without_a_pause_for_windows_on_end_is_decoded_in_that_language():
    # a reading or a lecture: the gate never closes the German utterance, so only the window it fills can say
    # which language it is in (found on continuous espeak-ng Spanish after English, decoded as English)
    utterances = [(1.0, 20.0), (21.0, 80.0)]
    decoder, finals = run(utterances, 82.0, languages=["en", "de"])
    languages = decoder.decoded
    assert languages[0] == "en" and set(languages[1:]) == {"de"} and len(languages) >= 3
    assert "???" not in " ".join(f.text for f in finals)
    assert {f.language for f in finals if f.start > 21.0} == {"de"}


class MisheardDecoder(ScriptedDecoder):
    """Hears the utterances starting at the given times as another language, sure of it and with almost nothing
    left for the one they are in (base on a real Dutch dialogue: Greek 0.96, Portuguese 0.87, Chinese 1.00)."""

    def __init__(self, words: list[tuple[Word, str]], misheard: dict[float, str]) -> None:
        super().__init__(words)
        self.misheard = misheard

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        probs = super().detect_language(audio, full_window)
        start = self.detections[-1][0]
        heard = next((lang for at, lang in self.misheard.items() if abs(at - start) < FRAME_S), None)
        return {heard: 0.97, "en": 0.02} if heard else probs


def run_misheard(utterances, duration, language, misheard):
    decoder = MisheardDecoder(speech(utterances, duration, languages=[language] * len(utterances)), misheard)
    events: list = []
    transcriber = FileTranscriber(decoder, EngineSettings().for_file(), events.append,
                                  audio_span=lambda a, b: np.zeros(int(round((b - a) * SAMPLE_RATE)), np.float32))
    drive(transcriber, utterances, duration)
    return decoder, [e for e in events if isinstance(e, FinalSegment)]


def test_two_utterances_in_a_row_heard_as_two_different_languages_stay_in_the_language_of_the_file():
    utterances = [(1.0, 4.0), (4.8, 7.8), (8.6, 11.6), (12.4, 15.4), (16.2, 19.2)]
    decoder, finals = run_misheard(utterances, 21.0, "nl", {8.6: "pt", 12.4: "zh"})
    assert set(decoder.decoded) == {"nl"}
    assert "???" not in " ".join(f.text for f in finals) and {f.language for f in finals} == {"nl"}


def test_a_misheard_utterance_where_a_window_fills_is_decoded_in_the_language_of_the_file():
    # the window is cut before it (it might start another language); the next utterance is Dutch again, and the
    # lone one is not decoded as Greek in a window of its own
    utterances = [(1.0 + 3.8 * k, 4.0 + 3.8 * k) for k in range(8)]
    decoder, finals = run_misheard(utterances, 32.0, "nl", {utterances[5][0]: "el"})
    assert set(decoder.decoded) == {"nl"}
    assert "???" not in " ".join(f.text for f in finals) and {f.language for f in finals} == {"nl"}


def test_the_first_window_is_decoded_in_the_language_whisper_hears_over_all_of_it_not_one_lines_guess():
    # a Dutch dialogue whose first long line base heard alone as Greek (0.75) was decoded as Greek up to 44 s
    utterances = [(1.0, 4.0), (4.8, 7.8), (8.6, 11.6), (12.4, 15.4)]
    decoder, finals = run_misheard(utterances, 17.0, "nl", {1.0: "el"})
    assert decoder.calls[0][2].language is None and set(decoder.decoded) == {"nl"}
    assert {f.language for f in finals} == {"nl"}
