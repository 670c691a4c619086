"""Long "live sessions" of real speech and silence, written straight to a 16 kHz WAV.

Utterances come from the shared recordings (`../shared/data/speech`, with their reference
transcripts) and from espeak-ng sentences (the sentence is the reference). The WAV is written
clip by clip, so even an hour never sits in memory. Used by the journal kill test, the long
session test and the benchmarks (which put `tests/` on sys.path).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from testkit.speech import SYNTHETIC_SENTENCES, clips, load

RATE = 16_000
CACHE = Path.home() / ".cache" / "voicedesk" / "test-speech"

SENTENCES = [
    "The weather is nice today, so we will walk to the river.",
    "Please send me the report before the meeting on Friday.",
    "My brother bought a new bicycle last week.",
    "The train to the airport leaves every twenty minutes.",
    "We need more coffee, milk and bread for the weekend.",
    "She read the whole book in one evening.",
    "Turn left at the second traffic light and park near the library.",
    "The children played football in the garden until it got dark.",
    "Our new office has large windows and a quiet kitchen.",
    "He forgot his umbrella at the restaurant again.",
    "The museum opens at nine and closes at six in the evening.",
    "Could you call the doctor and move my appointment to Tuesday?",
]


@dataclass(frozen=True)
class Utterance:
    start: float
    end: float
    reference: str
    language: str
    source: str


def espeak_clip(text: str, voice: str = "en") -> np.ndarray:
    """espeak-ng's rendering of `text` as 16 kHz mono float32 (cached on disk by text and voice)."""
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(f"{voice}|{text}".encode()).hexdigest()[:16]
    path = CACHE / f"espeak-{key}.wav"
    if not path.exists():
        raw = CACHE / f".raw-{key}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True,
                       capture_output=True, timeout=60)
        tmp = CACHE / f".tmp-{key}.wav"
        subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(tmp)], check=True,
                       capture_output=True, timeout=60)
        raw.unlink()
        tmp.replace(path)
    return load(path)


def recorded_clips(languages: tuple[str, ...] = ("en",)) -> list[tuple[np.ndarray, str, str, str]]:
    """(audio, reference, language, name) of every shared recording in `languages`."""
    return [(load(c.path), c.reference, c.language, c.name) for c in clips().values() if c.language in languages]


def utterance_pool(languages: tuple[str, ...] = ("en",)) -> list[tuple[np.ndarray, str, str, str]]:
    """Recordings first, then espeak-ng sentences (English only)."""
    pool = recorded_clips(languages)
    if "en" in languages:
        pool += [(espeak_clip(s), s, "en", "espeak-ng") for s in SENTENCES + list(SYNTHETIC_SENTENCES)]
    return pool


def write_session(path: Path, seconds: float, seed: int = 0, languages: tuple[str, ...] = ("en",),
                  gap: tuple[float, float] = (1.0, 4.0), long_pause_every: int = 8,
                  long_pause_s: float = 20.0, pool: Optional[list] = None) -> list[Utterance]:
    """Write about `seconds` of utterances separated by silences (a long pause every few) to a WAV."""
    rng = random.Random(seed)
    pool = pool if pool is not None else utterance_pool(languages)
    utterances: list[Utterance] = []
    position = 0
    total = int(seconds * RATE)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)

        def put(samples: np.ndarray) -> None:
            nonlocal position
            out.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
            position += len(samples)

        def silence(s: float) -> None:
            # a faint noise floor rather than digital zero, as a real room would have
            noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.001, int(s * RATE))
            put(noise.astype(np.float32))

        silence(1.0)
        count = 0
        while position < total:
            audio, reference, language, source = pool[count % len(pool)] if count < len(pool) else rng.choice(pool)
            if position + len(audio) > total and utterances:
                break
            start = position / RATE
            put(audio)
            utterances.append(Utterance(round(start, 3), round(position / RATE, 3), reference, language, source))
            count += 1
            pause = long_pause_s if long_pause_every and count % long_pause_every == 0 else rng.uniform(*gap)
            silence(min(pause, max(0.5, (total - position) / RATE)))
    return utterances
