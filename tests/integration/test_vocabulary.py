"""A custom vocabulary makes the real base model spell rare names, and never puts them into silence.

Speech is synthesized with espeak-ng (names no recording here has); the engine runs as the app runs it
(VAD gate, streaming, beam-search finals). benchmarks/vocabulary.py measures the same on a longer session.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from testkit.engine_run import transcribe as run_engine
from testkit.speech import espeak_clip, join_audio, load, normalise, write_wav
from voicedesk.engine.asr import DecodeOptions, WhisperAsr
from voicedesk.engine.events import EngineError, FinalSegment
from voicedesk.engine.settings import EngineSettings

# sentences base gets wrong without the list ("Angelicoy 11", "Shimon and Kami", "the tailorian server")
SENTENCES = (
    "Anjelica Oyelaran will present the budget on Thursday.",
    "Ask Siobhan Nkemelu about the Varkstrom contract.",
    "We moved the archive to the Tellurion server last week.",
)
VOCABULARY = ("Zbigniew Kowalczyk", "Anjelica Oyelaran", "Siobhan Nkemelu", "Quorvex", "Tellurion", "Varkstrom")


def transcribe(model: str, path, vocabulary: tuple[str, ...]) -> list:
    return run_engine(model, path, language="en", vocabulary=vocabulary)


def listed_words_found(reference: str, text: str) -> tuple[int, int]:
    """(listed words heard, listed words said), each said occurrence once."""
    listed = {w for term in VOCABULARY for w in normalise(term).split()}
    said = Counter(w for w in normalise(reference).split() if w in listed)
    heard = Counter(w for w in normalise(text).split() if w in listed)
    return sum(min(n, heard[w]) for w, n in said.items()), sum(said.values())


@pytest.fixture(scope="module")
def names_clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    items = [(f"s{i}", load(espeak_clip(text, folder / f"s{i}.wav")), text) for i, text in enumerate(SENTENCES)]
    return join_audio(items, folder / "names.wav", gap_s=1.5, lead_s=1.0).path


def room_noise(path, seconds: int = 24, seed: int = 7):
    """A noise floor, mains hum, clicks and knocks: what a microphone hears when nobody speaks."""
    rng = np.random.default_rng(seed)
    t = np.arange(16_000 * seconds) / 16_000
    audio = rng.normal(0, 0.003, len(t)) + 0.004 * np.sin(2 * np.pi * 50 * t)
    for start in rng.uniform(0, seconds - 1, seconds // 2):
        i = int(start * 16_000)
        audio[i:i + 200] += rng.normal(0, 0.2, 200) * np.exp(-np.arange(200) / 40)
    write_wav(path, audio.astype(np.float32))
    return path


def test_the_vocabulary_makes_base_spell_the_listed_names(base_model, names_clip):
    reference = " ".join(SENTENCES)
    without = " ".join(e.text for e in transcribe(base_model, names_clip, ()) if isinstance(e, FinalSegment))
    events = transcribe(base_model, names_clip, VOCABULARY)
    with_list = " ".join(e.text for e in events if isinstance(e, FinalSegment))
    found_without, said = listed_words_found(reference, without)
    found_with, _ = listed_words_found(reference, with_list)
    print(f"listed words found: {found_without}/{said} without the list, {found_with}/{said} with it")
    assert found_without < said, f"base already spells them: pick rarer names ({without!r})"
    assert found_with >= found_without + 2, (without, with_list)
    assert [e for e in events if isinstance(e, EngineError)] == []
    # the rest of the sentences is still there: the hint does not replace speech with names
    assert {"budget", "thursday", "contract", "server"} <= set(normalise(with_list).split()), with_list


def test_noise_with_a_vocabulary_gives_no_words_through_the_engine(base_model, tmp_path):
    events = transcribe(base_model, room_noise(tmp_path / "room.wav"), VOCABULARY)
    assert [e for e in events if isinstance(e, FinalSegment)] == []
    assert [e for e in events if isinstance(e, EngineError)] == []


def test_noise_given_straight_to_the_decoder_with_a_vocabulary_gives_no_words(base_model, tmp_path):
    """The VAD bypassed: without the guard, base recites the first listed name on such noise."""
    asr = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2).with_values(vocabulary=VOCABULARY))
    asr.load()
    audio = load(room_noise(tmp_path / "room.wav", seconds=16))
    windows = [audio[i:i + 64_000] for i in range(0, len(audio), 64_000)]
    heard = [asr.decode(w, 0.0, DecodeOptions(beam_size=5, language="en", final=True)).words for w in windows]
    assert heard == [()] * len(windows)
