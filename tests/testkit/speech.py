"""Real speech for tests and benchmarks: the shared clips, joined sessions, and WER."""

from __future__ import annotations

import json
import os
import re
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

SAMPLE_RATE = 16_000


def speech_dir() -> Path:
    env = os.environ.get("VOICEDESK_SPEECH_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    # the repository sits beside ../shared on developer machines and in CI
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data" / "speech"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/data/speech")


@dataclass(frozen=True)
class Clip:
    name: str
    path: Path
    language: str
    reference: str


def clips() -> dict[str, Clip]:
    folder = speech_dir()
    manifest = json.loads((folder / "manifest.json").read_text())
    out = {}
    for entry in manifest["clips"]:
        name = Path(entry["file"]).stem
        out[name] = Clip(name, folder / entry["file"], entry["language"], entry["reference"])
    return out


def load(path: Path) -> np.ndarray:
    from faster_whisper import decode_audio

    return decode_audio(str(path), sampling_rate=SAMPLE_RATE)


@dataclass(frozen=True)
class Utterance:
    """Where one clip lies in a joined session, and what was said."""

    clip: str
    start: float
    end: float
    reference: str
    speech_start: float      # first and last sample above the speech floor (the clips carry a little silence)
    speech_end: float
    speech: tuple[tuple[float, float], ...] = ()   # its stretches of speech (pauses of 0.3 s and more left out)


@dataclass(frozen=True)
class JoinedSession:
    path: Path
    duration: float
    utterances: tuple[Utterance, ...]

    @property
    def reference(self) -> str:
        return " ".join(u.reference for u in self.utterances)

    def speaker_turns(self) -> list[tuple[float, float, str]]:
        """Who speaks when, as a diarization reference: each clip's stretches of speech, labelled with the clip
        (its pauses are not speech, as diarization references such as DIHARD's mark it)."""
        return [(start, end, u.clip) for u in self.utterances for start, end in u.speech]

    def silences(self) -> list[tuple[float, float]]:
        """The stretches of pure silence between (and around) the clips."""
        edges = [0.0]
        for u in self.utterances:
            edges += [u.start, u.end]
        edges.append(self.duration)
        return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def speech_stretches(audio: np.ndarray) -> list[tuple[float, float]]:
    """The stretches of speech inside a clip, by faster-whisper's offline Silero VAD (no padding); the whole clip
    when it hears none."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=0))
    if not stamps:
        return [(0.0, len(audio) / SAMPLE_RATE)]
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def join(names: Sequence[str], out: Path, gap_s: float = 3.0, lead_s: float = 2.0) -> JoinedSession:
    """Write the manifest clips one after another with silences between them as a 16 kHz wav."""
    table = clips()
    items = [(name, load(table[name].path), table[name].reference) for name in names]
    return join_audio(items, out, gap_s, lead_s)


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


_PUNCT = re.compile(r"[^\w\s']+", re.UNICODE)
_NUMBERS = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def normalise(text: str) -> str:
    """Lower case, no punctuation, common abbreviations spelt out: WER counts words, not style."""
    words = _PUNCT.sub(" ", text.lower()).split()
    return " ".join(_NUMBERS.get(w, w) for w in words)


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp))


SYNTHETIC_SENTENCES = (
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Please remember to send the quarterly report before Friday afternoon.",
    "Our train leaves the central station at half past seven tomorrow morning.",
    "She bought three green apples and a loaf of fresh bread at the market.",
    "The weather will be cold and windy with light rain in the evening.",
    "Turn left at the second traffic light and the museum is on your right.",
    "We need more time to test the new software before the release.",
    "My brother plays the piano every Sunday in the small church downtown.",
)


def espeak_clip(text: str, out: Path, voice: str = "en-us", speed: int = 160) -> Path:
    """Synthesize `text` with espeak-ng into a 16 kHz mono wav (longer sessions than the recordings allow)."""
    import subprocess

    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    write_wav(out, load(raw))
    raw.unlink()
    return out


def join_audio(items: Sequence[tuple[str, np.ndarray, str]], out: Path, gap_s: float = 3.0,
               lead_s: float = 2.0) -> JoinedSession:
    """Like `join`, for (name, 16 kHz audio, reference) items that are not in the manifest."""
    parts = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)]
    utterances = []
    t = lead_s
    for name, audio, reference in items:
        dur = len(audio) / SAMPLE_RATE
        speech = tuple((round(t + a, 3), round(t + b, 3)) for a, b in speech_stretches(audio))
        utterances.append(Utterance(name, t, t + dur, reference, speech[0][0], speech[-1][1], speech))
        parts += [audio, np.zeros(int(gap_s * SAMPLE_RATE), np.float32)]
        t += dur + gap_s
    audio = np.concatenate(parts)
    write_wav(out, audio)
    return JoinedSession(out, len(audio) / SAMPLE_RATE, tuple(utterances))
