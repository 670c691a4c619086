"""Custom vocabulary benchmark: rare names and product terms, with and without the list.

A dozen espeak-ng sentences mention invented or rare names ("Zbigniew Kowalczyk", "Quorvex"); two
utterances are a name alone. They are joined into one session and transcribed by the real engine
(fast path, VAD and all) with each model, without and with the vocabulary (the names plus terms
that are never said). It prints WER over the whole session and recall on the listed words. Then
the hallucination check: a minute of silence with noise, hum and clicks through the engine with the
vocabulary set, and 4 s noise windows given straight to the decoder (the VAD bypassed) with and
without the list, which must all give 0 words.

    python benchmarks/vocabulary.py                     # base and tiny.en from the test models
    python benchmarks/vocabulary.py --models DIR        # where tiny.en/ and base/ are
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))          # testkit: espeak, WER

sys.path.insert(0, str(ROOT / "benchmarks"))     # _common: the timed run

from _common import timed_run  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402
from testkit.speech import espeak_clip, join_audio, load, normalise, wer, write_wav  # noqa: E402

SENTENCES = (
    "Please send the draft to Zbigniew Kowalczyk before the meeting.",
    "Anjelica Oyelaran will present the budget on Thursday.",
    "The new Quorvex release fixes the login problem.",
    "We moved the archive to the Tellurion server last week.",
    "Ask Siobhan Nkemelu about the Varkstrom contract.",
    "The Pellucid dashboard shows the Orbanix numbers.",
    "Tellurion.",
    "Dr. Ifeoma Achterberg reviewed the Quorvex benchmark.",
    "Our partner Kestrelmoor signed the agreement yesterday.",
    "Zbigniew Kowalczyk and Anjelica Oyelaran lead the project.",
    "Anjelica Oyelaran.",
    "The Varkstrom team tested Orbanix on Monday.",
)
VOCABULARY = (
    "Zbigniew Kowalczyk", "Anjelica Oyelaran", "Siobhan Nkemelu", "Ifeoma Achterberg",
    "Quorvex", "Tellurion", "Varkstrom", "Pellucid", "Orbanix", "Kestrelmoor",
    "Thandeka Mbeki", "Wojciech Brzęczyszczykiewicz",        # listed, never said
)


def listed_words() -> set[str]:
    return {w for term in VOCABULARY for w in normalise(term).split()}


def recall(reference: str, hypothesis: str) -> tuple[int, int]:
    """(listed words found, listed words said): each said occurrence counts once."""
    listed = listed_words()
    said = Counter(w for w in normalise(reference).split() if w in listed)
    heard = Counter(w for w in normalise(hypothesis).split() if w in listed)
    return sum(min(n, heard[w]) for w, n in said.items()), sum(said.values())


def build_session(folder: Path) -> tuple[Path, str]:
    items = []
    for i, text in enumerate(SENTENCES):
        path = espeak_clip(text, folder / f"s{i:02d}.wav")
        items.append((f"s{i:02d}", load(path), text))
    session = join_audio(items, folder / "names.wav", gap_s=1.5, lead_s=1.0)
    return session.path, " ".join(SENTENCES)


def room_noise(path: Path, seconds: int = 60, seed: int = 7) -> Path:
    """Silence as a microphone hears it: a noise floor, mains hum, clicks and knocks."""
    rng = np.random.default_rng(seed)
    rate = 16_000
    t = np.arange(rate * seconds) / rate
    audio = rng.normal(0, 0.003, len(t)) + 0.004 * np.sin(2 * np.pi * 50 * t)
    for start in rng.uniform(0, seconds - 1, seconds // 3):
        i = int(start * rate)
        audio[i:i + 200] += rng.normal(0, 0.2, 200) * np.exp(-np.arange(200) / 40)
    write_wav(path, audio.astype(np.float32))
    return path


def transcribe(model: str, path: Path, vocabulary: tuple[str, ...]) -> tuple[str, float]:
    from voicedesk.engine.events import FinalSegment
    from voicedesk.engine.settings import EngineSettings

    events: list = []
    with loaded_engine(EngineSettings(model=model, cpu_threads=2, language="en").with_values(vocabulary=vocabulary),
                       events.append) as engine:
        elapsed = timed_run(engine, path, paced=False, timeout=600).wall
    return " ".join(e.text for e in events if isinstance(e, FinalSegment)), elapsed


def noise_windows_direct(model: str, path: Path, vocabulary: tuple[str, ...], window_s: float = 4.0) -> tuple[int, int]:
    """Noise given straight to the decoder, the VAD bypassed: (windows, words out)."""
    from voicedesk.engine.asr import DecodeOptions, WhisperAsr
    from voicedesk.engine.settings import EngineSettings

    asr = WhisperAsr(EngineSettings(model=model, cpu_threads=2).with_values(vocabulary=vocabulary))
    asr.load()
    audio = load(path)
    step = int(window_s * 16_000)
    windows = [audio[i:i + step] for i in range(0, len(audio) - step + 1, step)]
    words = sum(len(asr.decode(w, 0.0, DecodeOptions(beam_size=5, language="en", final=True)).words) for w in windows)
    return len(windows), words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_models = os.environ.get("VOICEDESK_TEST_MODELS", str(Path.home() / ".cache/voicedesk/test-models"))
    parser.add_argument("--models", default=default_models, help="folder with base/ and tiny.en/")
    parser.add_argument("--only", nargs="*", default=["base", "tiny.en"], help="model folder names to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session, reference = build_session(folder)
        noise = room_noise(folder / "room.wav")
        print(f"session: {len(SENTENCES)} utterances, {len(load(session)) / 16000:.0f} s; "
              f"vocabulary: {len(VOCABULARY)} terms ({len(VOCABULARY) - 2} said)")
        print(f"{'model':<8} {'vocabulary':<10} {'WER':>6} {'listed words found':>19} {'time':>7}")
        hypotheses = {}
        for name in args.only:
            model = str(Path(args.models) / name)
            for label, vocabulary in (("none", ()), ("list", VOCABULARY)):
                text, elapsed = transcribe(model, session, vocabulary)
                hypotheses[(name, label)] = text
                found, said = recall(reference, text)
                print(f"{name:<8} {label:<10} {wer(reference, text):>6.1%} {found:>8d} of {said:<3d} "
                      f"({found / said:>4.0%}) {elapsed:>6.1f}s", flush=True)
        print("\nsilence with noise, hum and clicks (60 s):")
        for name in args.only:
            model = str(Path(args.models) / name)
            text, _ = transcribe(model, noise, VOCABULARY)
            print(f"  {name:<8} engine (VAD on), vocabulary set: {len(text.split())} words {text!r}")
            for label, vocabulary in (("none", ()), ("list", VOCABULARY)):
                windows, words = noise_windows_direct(model, noise, vocabulary)
                print(f"  {name:<8} decoder alone on {windows} noise windows of 4 s, vocabulary {label}: {words} words",
                      flush=True)
        print("\ntranscripts:")
        for (name, label), text in hypotheses.items():
            print(f"  {name} / {label}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
