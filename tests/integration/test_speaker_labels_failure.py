"""A failure while labelling speakers (the speaker model raising on some audio, mid-run) costs the labels, never the
text: the run goes on to its end, the user is told once, and every word reaches the transcript. The failure is
injected into the real speaker model's `embed_many` (a model that breaks mid-run cannot be made here on purpose);
the Whisper model, the audio and the engine are real."""

from __future__ import annotations

import re

import pytest

from voicedesk.engine.events import EngineError, ErrorKind, FinalSegment, RunEnded, Settled
from voicedesk.engine.file_run import transcribe_file
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.speakers.embedder import SpeakerEmbedder


def _fails_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> list[int]:
    """The speaker model embeds `calls` times, then raises; returns the count of calls made."""
    made = [0]
    embed_many = SpeakerEmbedder.embed_many

    def failing(self, windows):
        made[0] += 1
        if made[0] > calls:
            raise RuntimeError("onnxruntime: invalid input")
        return embed_many(self, windows)

    monkeypatch.setattr(SpeakerEmbedder, "embed_many", failing)
    return made


def _words(events: list) -> str:
    return re.sub(r"[^\w\s]", "", " ".join(e.text for e in events if isinstance(e, FinalSegment)).lower())


@pytest.mark.parametrize("paced", [False, True], ids=["file", "live"])
def test_a_speaker_model_that_fails_mid_run_leaves_the_whole_text_and_one_message(base_model, speech, speaker_model,
                                                                                monkeypatch, paced):
    made = _fails_after(monkeypatch, 2)
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(speaker_model))
    events: list = []
    assert transcribe_file(settings, speech["jfk_en"].path, events.append, paced=paced, timeout=90)

    assert made[0] > 2, "the speaker model was asked again after its first embeddings"
    errors = [e for e in events if isinstance(e, EngineError)]
    assert len(errors) == 1, errors
    assert errors[0].kind is ErrorKind.INTERNAL and not errors[0].fatal
    assert "speaker labels" in errors[0].message.lower() and "invalid input" in errors[0].message
    assert isinstance(events[-1], RunEnded)
    text = _words(events)
    for words in ("my fellow americans", "ask not what your country can do for you",
                  "what you can do for your country"):
        assert words in text, text
    if paced:
        assert [e for e in events if isinstance(e, Settled)], "sentences still settle"


def test_a_speaker_model_that_will_not_load_is_reported_as_the_speaker_model_and_the_text_is_whole(base_model, speech,
                                                                                                 tmp_path):
    corrupt = tmp_path / "campplus.onnx"
    corrupt.write_bytes(b"not an onnx model" * 64)
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(corrupt))
    events: list = []
    assert transcribe_file(settings, speech["jfk_en"].path, events.append, timeout=90)

    errors = [e for e in events if isinstance(e, EngineError)]
    assert [(e.kind, e.fatal) for e in errors] == [(ErrorKind.SPEAKER_MODEL, False)], errors
    assert "campplus.onnx" in errors[0].message
    assert "ask not what your country can do for you" in _words(events)
    assert all(e.speaker is None for e in events if isinstance(e, FinalSegment))
