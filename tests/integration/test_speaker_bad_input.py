"""Speaker labels on awkward audio: a 1-second interjection, music between speech, two voices at once. Each gets a
label or none, never an error, and no text is lost (real voices, the real Whisper and speaker models).

The music is synthetic (a melody of harmonic tones with vibrato): no recording of music comes with the packages
this project may use."""

from __future__ import annotations

import re

import numpy as np

from voicedesk.engine.events import EngineError, FinalSegment, SpeakerLabels
from voicedesk.engine.file_run import transcribe_file
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.transcript import Segment, Session

from testkit.speech import SAMPLE_RATE, load, write_wav


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def _quietest(audio: np.ndarray, start_s: float, end_s: float, frame_s: float = 0.06) -> int:
    """The sample where the quietest `frame_s` of [start_s, end_s] begins: a pause between words to cut at."""
    n = int(frame_s * SAMPLE_RATE)
    starts = range(int(start_s * SAMPLE_RATE), int(end_s * SAMPLE_RATE) - n, n // 3)
    return min(starts, key=lambda i: float(np.mean(audio[i:i + n] ** 2))) + n // 2


def _melody(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    notes = [262, 294, 330, 349, 392, 440, 494, 523]
    out = np.zeros_like(t)
    for k in range(int(seconds / 0.375) + 1):
        at = (t >= k * 0.375) & (t < (k + 1) * 0.375)
        f = notes[k % len(notes)] * (1 + 0.003 * np.sin(2 * np.pi * 5 * t[at]))
        out[at] = sum(np.sin(2 * np.pi * f * h * t[at]) / h for h in range(1, 6))
    return (0.1 * out / np.abs(out).max()).astype(np.float32)


def _words(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower())


def _run(settings: EngineSettings, path, paced: bool = False) -> tuple[list, list[Segment]]:
    events: list = []
    assert transcribe_file(settings, path, events.append, paced=paced, timeout=120)
    assert not [e for e in events if isinstance(e, EngineError)]
    session = Session()
    for event in events:
        session.apply(event)
    return events, session.segments()


def _labels_on(base_model: str, speaker_model) -> EngineSettings:
    return EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(speaker_model))


def _hello(speech) -> np.ndarray:
    """The other party's "Hello?" in the real call (0.8 s, half a second of it voiced)."""
    call = load(speech["conversation_en"].path)
    return call[int(7.55 * SAMPLE_RATE):int(8.35 * SAMPLE_RATE)]


def test_live_a_one_second_interjection_inside_a_sentence_is_kept_and_the_speaker_around_it_keeps_one_label(
        base_model, speech, speaker_model, tmp_path):
    reader = load(speech["quilter_en"].path)
    cut = _quietest(reader, 2.5, 4.0)        # the pause after "... the middle classes,"
    hello = _hello(speech)
    path = tmp_path / "interjection.wav"
    write_wav(path, np.concatenate([_silence(0.5), reader[:cut], _silence(0.6), hello, _silence(0.6), reader[cut:],
                                    _silence(1.0)]))
    events, segments = _run(_labels_on(base_model, speaker_model), path, paced=True)

    text = _words(" ".join(s.text for s in segments))
    for words in ("quilter is the apostle of the middle", "hello", "glad to welcome his gospel"):
        assert words in text, text
    assert all(s.speaker is not None for s in segments), "every line has a speaker, the interjection too"
    reader_end = 0.5 + cut / SAMPLE_RATE
    before = {s.speaker for s in segments if s.end <= reader_end + 0.3}
    after = {s.speaker for s in segments if s.start >= reader_end + 0.6 + len(hello) / SAMPLE_RATE + 0.3}
    assert len(before) == 1 and before == after, "one reader, one label, on both sides of the interjection"


def test_a_file_keeps_a_one_second_interjection_between_two_speakers_turns_and_labels_every_line(
        base_model, speech, speaker_model, tmp_path):
    path = tmp_path / "interjection.wav"
    write_wav(path, np.concatenate([_silence(0.5), load(speech["quilter_en"].path), _silence(0.6), _hello(speech),
                                    _silence(0.6), load(speech["jfk_en"].path), _silence(1.0)]))
    events, segments = _run(_labels_on(base_model, speaker_model), path)

    text = _words(" ".join(s.text for s in segments))
    for words in ("glad to welcome his gospel", "hello", "ask not what your country can do for you"):
        assert words in text, text
    assert all(s.speaker is not None for s in segments)
    (labels,) = [e for e in events if isinstance(e, SpeakerLabels)]
    assert 2 <= labels.speakers <= 3
    assert segments[0].speaker != segments[-1].speaker, "the reader and the president are told apart"


def test_music_between_speech_gets_no_words_and_splits_no_speaker(base_model, speech, speaker_model, tmp_path):
    talk = load(speech["jfk_en"].path)
    cut = _quietest(talk, 4.0, 7.0)
    music_from = 0.5 + cut / SAMPLE_RATE + 0.5
    path = tmp_path / "music.wav"
    write_wav(path, np.concatenate([_silence(0.5), talk[:cut], _silence(0.5), _melody(6.0), _silence(0.5),
                                    talk[cut:], _silence(1.0)]))
    events, segments = _run(_labels_on(base_model, speaker_model), path)

    assert not [s for s in segments if music_from + 0.5 < (s.start + s.end) / 2 < music_from + 5.5], \
        "nothing is heard in the music"
    text = _words(" ".join(s.text for s in segments))
    for words in ("my fellow americans", "what you can do for your country"):
        assert words in text, text
    (labels,) = [e for e in events if isinstance(e, SpeakerLabels)]
    assert labels.speakers == 1 and {s.speaker for s in segments} == {1}


def test_two_voices_at_once_keep_the_words_around_the_overlap_and_at_most_two_labels(base_model, speech,
                                                                                     speaker_model, tmp_path):
    first, second = load(speech["quilter_en"].path), load(speech["jfk_en"].path)
    overlap = 2 * SAMPLE_RATE
    mixed = np.zeros(len(first) + len(second) - overlap + SAMPLE_RATE, np.float32)
    mixed[:len(first)] += first
    mixed[len(first) - overlap:len(first) - overlap + len(second)] += second
    path = tmp_path / "overlap.wav"
    write_wav(path, mixed)
    events, segments = _run(_labels_on(base_model, speaker_model), path)

    text = _words(" ".join(s.text for s in segments))
    for words in ("quilter is the apostle", "ask not what your country can do for you",
                  "what you can do for your country"):
        assert words in text, text
    (labels,) = [e for e in events if isinstance(e, SpeakerLabels)]
    assert 1 <= labels.speakers <= 2
    assert all(s.speaker is not None for s in segments)
    assert [e for e in events if isinstance(e, FinalSegment)]
