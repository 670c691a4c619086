"""Speech→English with nothing but a multilingual Whisper model, routed per sentence (real base model, real speech).

The Argos packages here are the test kit's random-weight ones: their output is gibberish by construction,
so Argos routes are checked for routing and structure, and only Whisper's English for wording.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testkit.argos_package import argos_env
from testkit.speech import join
from voicedesk.audio.file_source import FileSource
from voicedesk.engine.events import EngineError, FinalSegment, Settled, Translation
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.whisper_internals import encoder_outputs_reused

pytest_plugins = ["testkit.argos_package"]


def run(settings: EngineSettings, path, paced: bool = False) -> list:
    events: list = []
    engine = Engine(settings, events.append)
    engine.load_model_blocking()
    engine.start(FileSource(path, paced=paced))
    assert engine.wait(300)
    engine.close()
    return events


def of(events: list, kind) -> list:
    return [e for e in events if isinstance(e, kind)]


def test_spanish_speech_gets_whisper_english_with_the_content_words(base_model, empty_argos_home, speech):
    events = run(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"), speech["arenas_es"].path)
    finals, translations = of(events, FinalSegment), of(events, Translation)
    english = " ".join(t.text for t in translations).lower()
    assert "sand" in english and ("grain" in english or "medium" in english), english
    assert all(t.engine == "whisper" and (t.source_language, t.target_language) == ("es", "en") for t in translations)
    assert sorted(i for t in translations for i in t.segment_ids) == [f.segment_id for f in finals]
    assert of(events, EngineError) == []


def test_a_mixed_session_routes_each_sentence_by_its_own_language(base_model, empty_argos_home, speech):
    """multilingual.mp3: English passes through untranslated; the German reading gets Whisper's English."""
    events = run(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"), speech["multilingual"].path)
    translations = of(events, Translation)
    english = [t for t in translations if t.source_language == "en"]
    german = [t for t in translations if t.source_language == "de"]
    assert english and all(t.engine == "identity" for t in english)
    finals = {f.segment_id: f for f in of(events, FinalSegment)}
    for t in english:      # passed through: the translation is the transcript itself, never a Whisper re-decode
        assert t.text == " ".join(finals[i].text.strip() for i in t.segment_ids)
    assert german and all(t.engine == "whisper" for t in german)
    text = " ".join(t.text for t in german).lower()
    assert "software" in text, text
    german_words = " ".join(f.text for f in finals.values() if f.language == "de").lower().split()
    assert {"die", "der", "und", "zu"} & set(german_words), "the German transcript must stay German"


def test_translation_on_or_off_gives_the_same_transcript(base_model, argos_home, speech, tmp_path):
    session = join(["arenas_es", "jfk_en"], tmp_path / "mixed.wav", gap_s=2.0, lead_s=0.5)
    plain = run(EngineSettings(model=base_model, cpu_threads=2), session.path)
    translated = run(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"), session.path)
    assert [(f.text, f.start, f.end) for f in of(plain, FinalSegment)] == \
           [(f.text, f.start, f.end) for f in of(translated, FinalSegment)]
    assert of(plain, Translation) == [] and of(translated, Translation)


@pytest.mark.parametrize("choice, target, engine", [
    ("argos", "en", "argos"),                # forced text route: the es→en test pack
    ("auto", "de", "whisper+argos"),         # no es→de pack: Whisper's English, then en→de
    ("whisper", "en", "whisper"),
])
def test_each_engine_choice_takes_its_route(base_model, argos_home, speech, choice, target, engine):
    events = run(EngineSettings(model=base_model, cpu_threads=2, language="es").with_values(
        translate_to=target, translation_engine=choice), speech["arenas_es"].path)
    translations = of(events, Translation)
    assert translations and {t.engine for t in translations} == {engine}
    assert all(t.target_language == target and t.source_language == "es" and t.text for t in translations)


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk", *args], capture_output=True, text=True, timeout=300,
                          env=env)


def test_cli_translates_into_english_with_nothing_installed_but_whisper(base_model, empty_argos_home, speech):
    env = dict(os.environ, **argos_env(empty_argos_home))
    proc = cli("transcribe", str(speech["arenas_es"].path), "--model", base_model, "--translate-to", "en",
               "--events", env=env)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(e["v"] == 4 for e in events)
    translations = [e for e in events if e["type"] == "translation"]
    finals = [e for e in events if e["type"] == "final"]
    assert translations and all(e["engine"] == "whisper" for e in translations)
    assert sorted(i for e in translations for i in e["segment_ids"]) == [e["segment_id"] for e in finals]
    assert all(e["sentence_id"] in {t["segment_id"] for t in translations} for e in finals)


def test_an_english_only_model_says_plainly_that_it_cannot_translate(tiny_en_model, empty_argos_home, speech):
    env = dict(os.environ, **argos_env(empty_argos_home))
    proc = cli("transcribe", str(speech["arenas_es"].path), "--model", tiny_en_model, "--translate-to", "en", env=env)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "English-only" in proc.stderr and "multilingual model" in proc.stderr


def test_a_missing_pack_names_voicedesks_own_command(base_model, empty_argos_home, speech):
    env = dict(os.environ, **argos_env(empty_argos_home))
    proc = cli("transcribe", str(speech["arenas_es"].path), "--model", base_model, "--translate-to", "fr", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "voicedesk languages install en-fr" in proc.stderr and "argospm" not in proc.stderr


def test_a_file_read_far_faster_than_real_time_still_gets_every_sentence_translated(base_model, empty_argos_home,
                                                                                    tmp_path, monkeypatch):
    """The file route reads ahead of decoding only as far as the audio history reaches back (shrunk here, to less
    than the session: the history must hold a file window (24 s), the read-ahead and the settle pause)."""
    from voicedesk.engine import engine as engine_module

    monkeypatch.setattr(engine_module, "AUDIO_HISTORY_S", 36.0)
    monkeypatch.setattr(engine_module, "FILE_READ_AHEAD_S", 4.0)
    session = join(["arenas_es"] * 5, tmp_path / "long.wav", gap_s=3.5, lead_s=0.5)
    assert session.duration > 50.0
    events = run(EngineSettings(model=base_model, cpu_threads=2, language="es").with_values(translate_to="en"), session.path)
    finals, translations = of(events, FinalSegment), of(events, Translation)
    assert of(events, EngineError) == []
    assert sorted(i for t in translations for i in t.segment_ids) == [f.segment_id for f in finals]
    assert sum("sand" in t.text.lower() for t in translations) >= 4


def test_two_minutes_of_silence_and_noise_give_no_words_and_no_translation(base_model, empty_argos_home, tmp_path):
    """The hallucination guard holds with translation on: room noise, hum and clicks are not speech."""
    import numpy as np

    from testkit.speech import write_wav

    rng = np.random.default_rng(7)
    rate, seconds = 16_000, 120
    t = np.arange(rate * seconds) / rate
    audio = rng.normal(0, 0.003, len(t)) + 0.004 * np.sin(2 * np.pi * 50 * t)      # a noise floor and mains hum
    for start in rng.uniform(0, seconds - 1, 40):                                    # clicks and knocks
        i = int(start * rate)
        audio[i:i + 200] += rng.normal(0, 0.2, 200) * np.exp(-np.arange(200) / 40)
    path = tmp_path / "room.wav"
    write_wav(path, audio.astype(np.float32))
    events = run(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"), path)
    assert of(events, FinalSegment) == [] and of(events, Translation) == []
    assert of(events, EngineError) == []


def test_a_live_sentence_is_translated_from_the_audio_it_settled_from_and_its_encoding(base_model, empty_argos_home,
                                                                                     speech):
    """Live, on Auto-detect: each sentence's language, settled words and English come from one encoding of its audio
    (engine/whisper_internals.py), not three."""
    before = encoder_outputs_reused()
    events = run(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"),
                 speech["arenas_es"].path, paced=True)
    settled, translations = of(events, Settled), of(events, Translation)
    english = " ".join(t.text for t in translations).lower()
    assert "sand" in english, english
    assert settled and all(t.engine == "whisper" for t in translations)
    assert encoder_outputs_reused() - before >= len(settled) + 1, "the decode and the translation reused the encoding"
    assert of(events, EngineError) == []
