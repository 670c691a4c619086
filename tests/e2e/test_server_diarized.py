"""`response_format=diarized_json` (OpenAI's diarizing models' format) from the official `openai` client against a
real uvicorn on loopback: a real two-person call, the real Whisper and speaker models."""

from __future__ import annotations

import pytest

from testkit.speech_server import speech_server

pytestmark = [pytest.mark.timeout(300)]

openai = pytest.importorskip("openai")


def transcribe(server, path, **kw):
    client = openai.OpenAI(base_url=server.url + "/v1", api_key="not-needed-on-loopback", max_retries=0)
    with open(path, "rb") as f:
        return client.audio.transcriptions.create(model="gpt-4o-transcribe-diarize", file=f, **kw)


def test_a_call_comes_back_as_segments_with_speakers_a_and_b(base_model, speech, speaker_model):
    with speech_server(base_model, max_streams=1, speaker_model=str(speaker_model)) as server:
        # the count as a form field (OpenAI's API has none): Auto cannot tell these two telephone voices apart
        result = transcribe(server, speech["conversation_en"].path, response_format="diarized_json",
                            extra_body={"speakers": "2"})
    assert result.task == "transcribe" and result.duration == pytest.approx(30.0, abs=1.0)
    assert {s.speaker for s in result.segments} == {"A", "B"}
    assert result.segments[0].speaker == "A" and all(s.type == "transcript.text.segment" for s in result.segments)
    assert all(a.start <= b.start for a, b in zip(result.segments, result.segments[1:]))
    assert all(s.text and s.text in result.text for s in result.segments)


def test_without_a_speaker_model_the_client_gets_a_clear_400(tiny_en_model, speech, tmp_path, monkeypatch):
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(tmp_path / "no-models"))
    with speech_server(tiny_en_model, max_streams=1) as server:
        with pytest.raises(openai.BadRequestError) as refused:
            transcribe(server, speech["jfk_en"].path, response_format="diarized_json")
    assert "add-speaker" in str(refused.value)


def test_a_corrupt_speaker_model_is_a_clear_500_not_a_transcript_without_speakers(tiny_en_model, speech, tmp_path):
    broken = tmp_path / "campplus.onnx"
    broken.write_bytes(b"\x00not an onnx file" * 1000)
    with speech_server(tiny_en_model, max_streams=1, speaker_model=str(broken)) as server:
        with pytest.raises(openai.InternalServerError) as failed:
            transcribe(server, speech["jfk_en"].path, response_format="diarized_json")
        assert failed.value.code == "speaker_model_unusable" and str(broken) in failed.value.message
        # the server stays up, and the same upload without speakers is transcribed
        plain = transcribe(server, speech["jfk_en"].path, response_format="json")
    assert "ask not what your country" in plain.text.lower()


def test_a_live_stream_asked_for_speakers_carries_them_on_its_finals(base_model, speech, speaker_model, tmp_path):
    import asyncio

    from testkit.speech import join, load
    from testkit.speech_server import stream_audio, ws_url

    two_voices = join(["jfk_en", "quilter_en"], tmp_path / "two_voices.wav", gap_s=1.5, lead_s=0.5)
    with speech_server(base_model, max_streams=1, speaker_model=str(speaker_model)) as server:
        result = asyncio.run(stream_audio(ws_url(server), load(two_voices.path),
                                          {"language": "en", "options": {"speaker_labels": True}}, pace=1.0))
    finals, settled = result.of("final"), result.of("settled")
    assert finals and all(f["v"] == 4 and f["speaker"] is not None for f in finals)
    first, second = two_voices.utterances
    assert {f["speaker"] for f in finals if f["end"] <= first.end + 0.3} == {1}
    # a new voice's first short finals take the nearest known label; its settled sentence has its own
    assert {s["speaker"] for s in settled if s["start"] >= second.start - 0.3} == {2}
    assert {s["speaker"] for s in settled if s["end"] <= first.end + 0.3} == {1}
