"""WS /v1/stream with a client nobody here wrote (`websockets`): real speech streamed at real-time pace into a
real uvicorn on a loopback port; events in the engine's schema come back, and stop closes cleanly."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest

from testkit.speech import load, wer
from testkit.speech_server import closed_with, speech_server, stream_audio, ws_url

pytestmark = pytest.mark.timeout(300)
pytest.importorskip("websockets")


@pytest.fixture(scope="module")
def english_server(tiny_en_model):
    with speech_server(tiny_en_model, max_streams=2) as server:
        yield server


def check_clean_run(result, reference: str, max_wer: float = 0.3) -> None:
    types = [e["type"] for e in result.events]
    assert types[0] == "model-ready", types[:3]
    assert types[-1] == "run-ended", types[-3:]
    assert result.close_code == 1000, (result.close_code, result.close_reason)
    assert not [e for e in result.of("error") if e.get("fatal")], result.of("error")
    assert result.of("final"), types
    assert wer(reference, result.text) <= max_wer, result.text
    for e in result.events:
        assert e["v"] == 4


def test_a_clip_streamed_in_real_time_gives_partials_then_finals_and_stops_cleanly(english_server, speech):
    clip = speech["jfk_en"]
    result = asyncio.run(stream_audio(ws_url(english_server), load(clip.path), {"language": "en"}))
    check_clean_run(result, clip.reference)
    partials, finals = result.of("partial"), result.of("final")
    assert partials and partials[0]["_t"] < finals[0]["_t"]
    # most finals were previewed by a partial of the same segment, earlier
    previewed = [f for f in finals if any(p["segment_id"] == f["segment_id"] and p["_t"] < f["_t"] for p in partials)]
    assert len(previewed) >= len(finals) / 2, (len(previewed), len(finals))
    # live: the first sentence is final long before the clip ends (11 s), not all at the stop
    assert finals[0]["_t"] < result.audio_end - 4.0, (finals[0]["_t"], result.audio_end)
    assert finals[0]["start"] < 1.0 and finals[-1]["end"] > 9.0
    # status events say what the engine hears
    states = [e["state"] for e in result.of("status")]
    assert "listening" in states and "speech" in states and states[-1] == "stopped"
    assert not result.of("level")          # levels only when asked for


def test_stop_flushes_the_utterance_in_progress_as_a_final(english_server, speech):
    clip = speech["quilter_en"]
    audio = load(clip.path)
    # stop while the speaker is still talking: no silence after the last word reaches the server
    speech_end = len(audio) - int(0.3 * 16000)
    result = asyncio.run(stream_audio(ws_url(english_server), audio[:speech_end], {"language": "en"}))
    check_clean_run(result, clip.reference, max_wer=0.35)
    last = result.of("final")[-1]
    assert last["_t"] >= result.audio_end        # it came after the stop, from the flush


def test_two_streams_at_once_share_the_model(english_server, speech):
    async def both():
        return await asyncio.gather(
            stream_audio(ws_url(english_server), load(speech["jfk_en"].path), {"language": "en"}),
            stream_audio(ws_url(english_server), load(speech["quilter_en"].path), {"model": "whisper-1"}),
        )

    jfk, quilter = asyncio.run(both())
    check_clean_run(jfk, speech["jfk_en"].reference)
    check_clean_run(quilter, speech["quilter_en"].reference)


def test_base64_json_audio_at_another_sample_rate(english_server, speech):
    import soxr

    clip = speech["quilter_en"]
    audio48 = soxr.resample(load(clip.path), 16000, 48000).astype(np.float32)
    config = {"sample_rate": 48000, "levels": True, "options": {"end_silence_s": 0.6}}
    result = asyncio.run(stream_audio(ws_url(english_server), audio48, config, as_json=True, sample_rate=48000,
                                      pace=2.0))
    check_clean_run(result, clip.reference, max_wer=0.35)
    assert result.of("level")


def test_audio_without_a_config_gets_the_defaults(english_server, speech):
    clip = speech["quilter_en"]
    result = asyncio.run(stream_audio(ws_url(english_server), load(clip.path), None, pace=2.0))
    check_clean_run(result, clip.reference, max_wer=0.35)


def test_a_config_the_model_cannot_serve_is_refused_with_a_reason(english_server):
    code, reason, events = asyncio.run(closed_with(ws_url(english_server), first=json.dumps({"translate_to": "en"})))
    assert code == 1007 and "English-only" in reason
    assert events and events[-1]["type"] == "error" and events[-1]["fatal"] is True
    code, reason, events = asyncio.run(closed_with(ws_url(english_server),
                                                   first=json.dumps({"options": {"beam_size": 500}})))
    assert code == 1007 and "beam_size" in reason


def test_spanish_stream_translated_into_english(base_model, speech):
    clip = speech["arenas_es"]
    with speech_server(base_model, max_streams=1) as server:
        result = asyncio.run(stream_audio(ws_url(server), load(clip.path), {"translate_to": "en"}, pace=1.5))
    check_clean_run(result, clip.reference, max_wer=0.5)
    translations = result.of("translation")
    assert translations, [e["type"] for e in result.events]
    assert "sand" in " ".join(t["text"] for t in translations).lower()
    assert all(t["target_language"] == "en" and t["engine"] == "whisper" for t in translations)
    finals = {f["segment_id"] for f in result.of("final")}
    assert {i for t in translations for i in t["segment_ids"]} <= finals
