"""The user's preferences as data: defaults, what a saved value may be, and the engine settings they make."""

from __future__ import annotations

import pytest

from voicedesk.engine.settings import EngineSettings
from voicedesk.session.preferences import (
    BOUNDS, STORAGE_KEYS, Preferences, compute_types, from_stored, gpu_status, journal_folder_problem,
)


def test_the_defaults_are_the_engines_own():
    engine = EngineSettings()
    prefs = Preferences()
    assert (prefs.device, prefs.compute_type, prefs.vad_threshold, prefs.end_silence_s, prefs.beam_size,
            prefs.partial_interval_s) == tuple(engine.value(name) for name in (
                "device", "compute_type", "vad_threshold", "end_silence_s", "beam_size", "partial_interval_s"))
    assert Preferences().apply_to(engine) == engine


def test_preferences_change_only_their_own_engine_settings():
    chosen = EngineSettings(model="/models/base", language="es").with_values(translate_to="en", vocabulary=("Quorvex",))
    prefs = Preferences(device="cpu", compute_type="int8", vad_threshold=0.7, end_silence_s=0.9, beam_size=2,
                        partial_interval_s=0.6)
    applied = prefs.apply_to(chosen)
    assert (applied.model, applied.language, applied.translation.target, applied.vocabulary.terms) == (
        "/models/base", "es", "en", ("Quorvex",))
    assert (applied.device, applied.compute_type, applied.gate.threshold, applied.gate.end_silence_s,
            applied.decoding.beam_size, applied.streaming.partial_interval_s) == ("cpu", "int8", 0.7, 0.9, 2, 0.6)


def test_stored_values_read_back_the_same_also_as_the_strings_an_ini_file_gives():
    prefs = Preferences(device="cpu", compute_type="int8_float32", vad_threshold=0.35, end_silence_s=1.25,
                        beam_size=3, partial_interval_s=0.7, automatic_lighter=True, journal_folder="/tmp/j",
                        export_format="vtt", export_content="both")
    stored = prefs.to_stored()
    assert set(stored) == set(STORAGE_KEYS.values())
    assert from_stored(stored) == (prefs, ())
    as_strings = {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in stored.items()}
    assert from_stored(as_strings) == (prefs, ())


def test_nothing_stored_gives_the_defaults():
    assert from_stored({}) == (Preferences(), ())


@pytest.mark.parametrize("key, raw, field, expected", [
    ("engine/beam_size", "many", "beam_size", Preferences().beam_size),
    ("engine/beam_size", "2.5", "beam_size", Preferences().beam_size),
    ("engine/beam_size", "40", "beam_size", int(BOUNDS["beam_size"][1])),
    ("engine/vad_threshold", "0", "vad_threshold", BOUNDS["vad_threshold"][0]),
    ("engine/end_silence_s", "nan", "end_silence_s", Preferences().end_silence_s),
    ("engine/device", "tpu", "device", "auto"),
    ("overload/automatic", "perhaps", "automatic_lighter", False),
    ("export/format", "docx", "export_format", "srt"),
])
def test_a_garbled_or_out_of_range_value_becomes_the_default_or_the_bound_and_says_so(key, raw, field, expected):
    prefs, problems = from_stored({key: raw, "engine/partial_interval_s": "0.8"})
    assert getattr(prefs, field) == expected
    assert prefs.partial_interval_s == 0.8          # the other values are still read
    assert len(problems) == 1 and key in problems[0]


def test_the_journal_folder_may_be_empty_new_or_existing_but_not_a_file_or_relative(tmp_path):
    assert Preferences().journal_path is None
    assert Preferences(journal_folder=str(tmp_path)).journal_path == tmp_path
    assert journal_folder_problem("") is None
    assert journal_folder_problem(str(tmp_path)) is None
    assert journal_folder_problem(str(tmp_path / "new" / "deeper")) is None   # made when the first text comes
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "is a file" in journal_folder_problem(str(blocker / "journal"))
    assert "full path" in journal_folder_problem("journals")


def test_the_gpu_is_offered_exactly_when_ctranslate2_sees_a_cuda_device():
    import ctranslate2

    usable, why = gpu_status()
    assert usable is (ctranslate2.get_cuda_device_count() > 0)
    assert "CUDA" in why
    offered = compute_types("cpu")
    assert offered[0] == "default" and "int8" in offered and "float32" in offered
    assert compute_types("auto") == compute_types("cuda" if usable else "cpu")
