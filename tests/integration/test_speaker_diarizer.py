"""Who is speaking, with the real CAM++ model on real speech found by voicedesk's own VAD (never the reference turns)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from testkit.diarization import der, read_rttm
from testkit.speech import SAMPLE_RATE, clips, join_audio, load, speech_dir
from voicedesk.engine.speakers.diarizer import Diarizer, Turn, speaker_of
from voicedesk.engine.speakers.embedder import SpeakerEmbedder
from testkit.vad_speech import speech_stretches
from voicedesk.models.speaker_model import SpeakerModelError, check_speaker_model


@pytest.fixture(scope="module")
def embedder(speaker_model: Path) -> SpeakerEmbedder:
    return SpeakerEmbedder(speaker_model)


def _diarize(embedder: SpeakerEmbedder, audio: np.ndarray, speakers=None) -> list[Turn]:
    d = Diarizer(embedder, speakers=speakers)
    for start, samples in speech_stretches(audio):
        d.add_speech(start, samples)
    return d.turns()


def _hyp(turns: list[Turn]) -> list[tuple[float, float, int]]:
    return [(t.start, t.end, t.speaker) for t in turns]


def test_the_model_is_what_the_embedder_expects(speaker_model, embedder):
    info = check_speaker_model(speaker_model)
    assert (info.input_name, info.feature_dim, info.embedding_dim) == ("feats", 80, 192)
    out = embedder.embed_many([np.zeros(8000, np.float32) + 1e-3, np.ones(24000, np.float32) * 0.01])
    assert out.shape == (2, 192) and np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_real_telephone_call_two_speakers(embedder):
    audio = load(speech_dir() / "conversation_en.wav")
    reference = read_rttm(speech_dir() / "conversation_en.rttm")
    turns = _diarize(embedder, audio, speakers=2)
    assert {t.speaker for t in turns} == {1, 2}
    fair = der(reference, _hyp(turns), len(audio) / SAMPLE_RATE, collar=0.25, skip_overlap=True)
    # benchmarks/speakers.py measures 7.6 % (pyannote.metrics); one speaker for everything gives ~47 %
    assert fair < 0.30, f"DER (fair) {fair:.3f}"


def test_the_real_calls_two_voices_are_told_apart_on_auto(embedder):
    """Telephone-band voices lie nearer than one voice's two recordings (means 0.23 apart, JFK's halves 0.27):
    no distance threshold tells them apart, the spectrum of their affinities does."""
    audio = load(speech_dir() / "conversation_en.wav")
    turns = _diarize(embedder, audio)                  # Auto
    assert {t.speaker for t in turns} == {1, 2}
    fair = der(read_rttm(speech_dir() / "conversation_en.rttm"), _hyp(turns), len(audio) / SAMPLE_RATE,
               collar=0.25, skip_overlap=True)
    assert fair < 0.30, f"DER (fair) {fair:.3f}"


def _mixed(tmp_path: Path, names: list[str]) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    table = clips()
    items = [(name, load(table[name].path), table[name].reference) for name in names]
    session = join_audio(items, tmp_path / "mixed.wav", gap_s=1.0, lead_s=0.5)
    reference = [(u.speech_start, u.speech_end, u.clip) for u in session.utterances]
    return load(session.path), reference


def test_two_different_recordings_make_two_speakers(embedder, tmp_path):
    audio, reference = _mixed(tmp_path, ["quilter_en", "jfk_en", "quilter_en", "jfk_en"])
    turns = _diarize(embedder, audio)                  # Auto
    assert len({t.speaker for t in turns}) == 2
    who = [speaker_of(turns, start, end) for start, end, _ in reference]
    assert who == [1, 2, 1, 2]
    # the reference spans each clip whole, pauses inside included: most of this DER is the VAD's pauses
    assert der(reference, _hyp(turns), len(audio) / SAMPLE_RATE) < 0.25


def test_one_voice_is_one_speaker(embedder):
    audio = load(clips()["multilingual"].path)[: 29 * SAMPLE_RATE]     # the English reading, one reader
    turns = _diarize(embedder, audio)
    assert turns and {t.speaker for t in turns} == {1}


def test_a_corrupt_model_file_says_what_is_wrong(tmp_path):
    bad = tmp_path / "campplus.onnx"
    bad.write_bytes(b"\x08\x07" + bytes(range(256)) * 40)
    with pytest.raises(SpeakerModelError) as caught:
        SpeakerEmbedder(bad)
    message = str(caught.value)
    assert "\n" not in message and "not a readable ONNX model" in message and "add-speaker" in message


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_embedding_speech_of_ever_new_lengths_does_not_grow_the_memory(embedder):
    """Live, every final has its own length. onnxruntime's per-shape memory plans kept +150 MB after 40 such
    spans (6-10 s), and +210 MB over a session; the embedder does without them."""
    audio = np.tile(load(clips()["quilter_en"].path), 2)
    embedder.embed_many([audio[:10 * SAMPLE_RATE]])
    before = _rss_mb()
    for i in range(40):
        embedder.embed_many([audio[:6 * SAMPLE_RATE + i * SAMPLE_RATE // 10]])
    assert _rss_mb() - before < 60
