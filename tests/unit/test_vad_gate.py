"""The VAD gate opens on speech, closes after enough silence, keeps pre-roll, and drops blips."""

import numpy as np

from voicedesk.audio.vad import FRAME, FRAME_S, GateConfig, GateFrame, SileroVad, SpeechEnd, SpeechFrame, SpeechStart, VadGate


def run(gate: VadGate, probabilities: list[float]):
    outputs = []
    for i, p in enumerate(probabilities):
        outputs += gate.push(GateFrame(i * FRAME_S, np.zeros(FRAME, np.float32), p, gate.in_speech))
    return outputs


def test_speech_opens_the_gate_with_pre_roll_and_silence_closes_it():
    gate = VadGate(GateConfig(threshold=0.5, end_silence_s=0.5, pre_roll_s=0.3))
    probs = [0.0] * 20 + [0.9] * 30 + [0.0] * 20
    out = run(gate, probs)
    starts = [o for o in out if isinstance(o, SpeechStart)]
    ends = [o for o in out if isinstance(o, SpeechEnd)]
    assert len(starts) == 1 and len(ends) == 1
    assert abs(starts[0].time - 20 * FRAME_S) < 1e-9
    assert len(starts[0].pre_roll) == round(0.3 / FRAME_S)
    assert starts[0].pre_roll[-1].start < starts[0].time
    assert abs(ends[0].time - 50 * FRAME_S) < 1e-9
    assert not ends[0].discarded


def test_short_dips_below_threshold_do_not_split_an_utterance():
    gate = VadGate(GateConfig(end_silence_s=0.5))
    probs = [0.9] * 20 + [0.1] * 8 + [0.9] * 20 + [0.0] * 20   # 0.26 s dip
    out = run(gate, probs)
    assert sum(isinstance(o, SpeechStart) for o in out) == 1
    assert sum(isinstance(o, SpeechEnd) for o in out) == 1


def test_hysteresis_keeps_speech_between_the_two_thresholds():
    gate = VadGate(GateConfig(threshold=0.5, end_silence_s=0.3))
    out = run(gate, [0.9] * 10 + [0.4] * 30 + [0.0] * 15)
    end = next(o for o in out if isinstance(o, SpeechEnd))
    assert abs(end.time - 40 * FRAME_S) < 1e-9


def test_trailing_silence_is_reported_on_every_speech_frame():
    gate = VadGate(GateConfig(end_silence_s=1.0))
    out = run(gate, [0.9] * 5 + [0.0] * 5)
    trailing = [o.trailing_silence for o in out if isinstance(o, SpeechFrame)]
    assert trailing[:5] == [0.0] * 5
    assert trailing[5:] == sorted(trailing[5:]) and trailing[-1] > 0.15


def test_a_blip_shorter_than_min_speech_is_marked_discarded():
    gate = VadGate(GateConfig(min_speech_s=0.25, end_silence_s=0.3))
    out = run(gate, [0.0] * 5 + [0.9] * 3 + [0.0] * 20)
    end = next(o for o in out if isinstance(o, SpeechEnd))
    assert end.discarded


def test_flush_closes_an_open_utterance():
    gate = VadGate(GateConfig())
    run(gate, [0.9] * 20)
    (end,) = gate.flush()
    assert isinstance(end, SpeechEnd) and not end.discarded
    assert gate.flush() == []


def test_silero_hears_speech_in_a_real_recording_and_not_in_silence(speech):
    from testkit.speech import load

    audio = load(speech["jfk_en"].path)
    vad = SileroVad()
    silence = vad(np.zeros(16000, np.float32))
    assert silence.max() < 0.2
    probs = np.concatenate([vad(audio[i:i + 800]) for i in range(0, len(audio), 800)])
    assert len(probs) == (16000 + len(audio)) // FRAME - len(silence)
    assert (probs > 0.5).mean() > 0.5


def test_silero_is_streaming_blocks_of_any_size_give_the_same_probabilities(speech):
    from testkit.speech import load

    audio = load(speech["quilter_en"].path)[: 16000 * 3]
    a = SileroVad()(audio)
    vad = SileroVad()
    b = np.concatenate([vad(audio[i:i + 333]) for i in range(0, len(audio), 333)])
    assert np.allclose(a, b[: len(a)], atol=1e-4)
