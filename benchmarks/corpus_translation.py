"""Non-English speech with English references, for benchmarks/translation.py.

Two "live sessions", one per spoken language (the engine and the offline baseline are both told the
language, so language detection does not blur the translation figures):

- `de`: the German half of the shared `multilingual.mp3` (from 30 s on: a German reading of the MIT
  licence that stops at "... unter folgenden Bedingungen anderen zu übertragen"). The German is two
  sentences ("Jedem, der ... uneingeschränkt zu verfahren." / "Dies umfasst insbesondere das Recht,
  ..."), so the manifest's English licence text is split to match: up to "without restriction," and
  from "including without limitation" to "subject to the following conditions." (the German recording
  does not reach the second English sentence, "The above copyright notice ...").
- `es`: the shared recording `arenas_es.wav`, then sentences of `../shared/data/text/news_es_en.tsv`
  (WMT24 news, Spanish with its human English reference) synthesised with espeak-ng (`-v es`),
  separated by 1.5-2.5 s pauses. Sentences with a comma at a good place are synthesised in pieces
  joined with 0.6-1.0 s pauses, as a speaker pausing mid-sentence does; these are the ones a per-final
  translation would cut apart.

Every reference sentence keeps its place in the joined audio (`Sentence.start`/`end`: the audio
written for it; `speech_start`/`speech_end`: where its speech begins and ends; `pieces`: the spans of
its parts). The choice of sentences and pauses is fixed (sorted candidates, a seeded generator), so
two runs measure the same audio.
"""

from __future__ import annotations

import json
import random
import re
import sys
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))         # testkit: the shared clips, espeak-ng, VAD bounds

from testkit.speech import speech_stretches, clips, load, speech_dir  # noqa: E402

RATE = 16_000
CACHE = Path.home() / ".cache" / "voicedesk" / "bench" / "translation"

GERMAN_FROM_S = 30.0          # the English reading ends at ~29.1 s, the German starts at ~31.0 s
GERMAN_SPLIT_S = 41.85        # the pause between the two German sentences (speech ends 41.4 s, resumes 42.4 s)
LICENCE_EN_SPLIT = "without restriction,"

# Our own English rendering of the manifest's Spanish reference ("Las arenas son blanquecinas de grano
# medio y tiene muy poca asistencia."): the clip has no English reference of its own.
ARENAS_EN = "The sands are whitish, of medium grain, and it has very little assistance."

SENTENCE_GAP_S = (1.5, 2.5)   # between sentences
PIECE_GAP_S = (0.6, 1.0)      # inside a sentence split at commas
LEAD_S = 1.0
TAIL_S = 3.0
ESPEAK_SPEED = 150            # words per minute, as tests/testkit/speech_mix.py

_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[\"¿¡A-ZÁÉÍÓÚÑ])")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”»']?$")


@dataclass
class Sentence:
    """One reference sentence and where it lies in its session's audio."""

    sid: str                  # "de1", "es0", "tts12" ...
    corpus: str               # "de" | "es-rec" | "es-tts"
    language: str
    source: str               # what is said (for espeak sentences: the text synthesised)
    reference: str            # the English reference
    start: float = 0.0        # the audio written for it (first piece's start, last piece's end)
    end: float = 0.0
    speech_start: float = 0.0
    speech_end: float = 0.0
    pieces: list = field(default_factory=list)   # [(start, end, text)] of each part said with a pause after it
    origin: str = ""          # recording name, or "news_es_en.tsv row R sentence S"


@dataclass
class Session:
    language: str
    path: Path
    duration: float
    sentences: list

    def to_dict(self) -> dict:
        return {"language": self.language, "path": str(self.path), "duration": self.duration,
                "sentences": [asdict(s) for s in self.sentences]}


# --- choosing the news sentences -----------------------------------------------------------------

def news_pairs(path: Optional[Path] = None) -> list[tuple[int, int, str, str]]:
    """(row, sentence, spanish, english) of every sentence pair in news_es_en.tsv.

    Rows are paragraphs; a row is split into sentences only when its Spanish and English sides split
    into the same number of sentences (then the k-th sentences are translations of each other).
    """
    path = path or speech_dir().parent / "text" / "news_es_en.tsv"
    pairs = []
    for r, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if "\t" not in line:
            continue
        es, en = line.split("\t", 1)
        a, b = _SPLIT_SENTENCES.split(es.strip()), _SPLIT_SENTENCES.split(en.strip())
        if len(a) == len(b):
            pairs += [(r, k, x.strip(), y.strip()) for k, (x, y) in enumerate(zip(a, b))]
    return pairs


def choose_news(count: int, min_words: int = 8, max_words: int = 20) -> list[tuple[int, int, str, str]]:
    """`count` sentence pairs spread evenly over the file: whole sentences (final punctuation) of
    8-20 Spanish words without digits (espeak-ng's Spanish numbers are a test of espeak, not of us)."""
    candidates = [p for p in news_pairs()
                  if min_words <= len(p[2].split()) <= max_words and not re.search(r"\d", p[2])
                  and _ENDS_SENTENCE.search(p[2]) and _ENDS_SENTENCE.search(p[3])]
    if count >= len(candidates):
        return candidates
    return [candidates[int((i + 0.5) * len(candidates) / count)] for i in range(count)]


def comma_pieces(text: str, min_words: int = 3) -> list[str]:
    """`text` cut at commas where both sides keep at least `min_words` words (else the text whole)."""
    parts = [p.strip() for p in re.split(r"(?<=,)\s+", text) if p.strip()]
    pieces: list[str] = []
    for part in parts:
        if pieces and len(pieces[-1].split()) < min_words:
            pieces[-1] += " " + part
        else:
            pieces.append(part)
    if len(pieces) > 1 and len(pieces[-1].split()) < min_words:
        last = pieces.pop()
        pieces[-1] += " " + last
    return pieces


# --- writing sessions ----------------------------------------------------------------------------

class _Writer:
    """Appends audio to a 16 kHz WAV and keeps the position; silences carry a faint noise floor."""

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.rng = rng
        self.wav = wave.open(str(path), "wb")
        self.wav.setnchannels(1)
        self.wav.setsampwidth(2)
        self.wav.setframerate(RATE)
        self.samples = 0

    @property
    def t(self) -> float:
        return self.samples / RATE

    def put(self, audio: np.ndarray) -> tuple[float, float]:
        start = self.t
        self.wav.writeframes((np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        self.samples += len(audio)
        return start, self.t

    def silence(self, seconds: float) -> None:
        noise = np.random.default_rng(self.rng.randrange(1 << 30)).normal(0, 0.001, int(seconds * RATE))
        self.put(noise.astype(np.float32))

    def close(self) -> float:
        self.wav.close()
        return self.t


def _place(sentence: Sentence, spans: list[tuple[float, float, str, np.ndarray]]) -> Sentence:
    sentence.start, sentence.end = round(spans[0][0], 3), round(spans[-1][1], 3)
    s0 = speech_stretches(spans[0][3])[0][0]
    s1 = speech_stretches(spans[-1][3])[-1][1]
    sentence.speech_start = round(spans[0][0] + s0, 3)
    sentence.speech_end = round(spans[-1][0] + s1, 3)
    sentence.pieces = [(round(a, 3), round(b, 3), text) for a, b, text, _ in spans]
    return sentence


def german_session(folder: Path, seed: int = 1) -> Session:
    table = clips()
    clip = table["multilingual"]
    audio = load(clip.path)
    cut = int(GERMAN_FROM_S * RATE)
    split = int(GERMAN_SPLIT_S * RATE)
    english = clip.reference.split(". The above copyright notice")[0].rstrip(".") + "."
    head, tail = english.split(LICENCE_EN_SPLIT, 1)
    refs = [head + LICENCE_EN_SPLIT, tail.strip()]
    refs[1] = refs[1][0].upper() + refs[1][1:]
    # what the German reader says, near enough (for the record only: scoring uses the English references)
    sources = ["Jedem, der eine Kopie dieser Software und der zugehörigen Dokumentationsdateien erhält, wird "
               "hiermit unentgeltlich die Genehmigung erteilt, mit der Software uneingeschränkt zu verfahren.",
               "Dies umfasst insbesondere das Recht, die Software zu verwenden, zu vervielfältigen, zu modifizieren, "
               "zusammenzuführen, zu veröffentlichen, zu verteilen, unterzulizenzieren und/oder Kopien der Software "
               "zu verkaufen und diese Rechte unter folgenden Bedingungen anderen zu übertragen."]
    rng = random.Random(seed)
    path = folder / "session_de.wav"
    w = _Writer(path, rng)
    w.silence(LEAD_S)
    sentences = []
    for k, part in enumerate((audio[cut:split], audio[split:])):
        a, b = w.put(part)
        s = Sentence(f"de{k}", "de", "de", sources[k], refs[k], origin=f"{clip.path.name} from {GERMAN_FROM_S:.0f} s")
        sentences.append(_place(s, [(a, b, sources[k], part)]))
    w.silence(TAIL_S)
    return Session("de", path, round(w.close(), 3), sentences)


def spanish_session(folder: Path, count: int, seed: int = 2) -> Session:
    from testkit.speech_mix import espeak_clip

    rng = random.Random(seed)
    path = folder / "session_es.wav"
    w = _Writer(path, rng)
    w.silence(LEAD_S)
    sentences = []

    arenas = clips()["arenas_es"]
    audio = load(arenas.path)
    a, b = w.put(audio)
    sentences.append(_place(Sentence("es0", "es-rec", "es", arenas.reference, ARENAS_EN, origin=arenas.path.name),
                            [(a, b, arenas.reference, audio)]))
    for i, (row, k, es, en) in enumerate(choose_news(count)):
        w.silence(rng.uniform(*SENTENCE_GAP_S))
        spans = []
        pieces = comma_pieces(es)
        for j, piece in enumerate(pieces):
            if j:
                w.silence(rng.uniform(*PIECE_GAP_S))
            clip = espeak_clip(piece, voice="es")
            a, b = w.put(clip)
            spans.append((a, b, piece, clip))
        sentences.append(_place(Sentence(f"tts{i}", "es-tts", "es", es, en, origin=f"news_es_en.tsv row {row + 1} sentence {k + 1}"),
                                spans))
    w.silence(TAIL_S)
    return Session("es", path, round(w.close(), 3), sentences)


def build(count: int, folder: Optional[Path] = None) -> dict[str, Session]:
    """Both sessions, written under `folder` (default ~/.cache/voicedesk/bench/translation/N<count>)."""
    folder = folder or CACHE / f"n{count}"
    folder.mkdir(parents=True, exist_ok=True)
    sessions = {"de": german_session(folder), "es": spanish_session(folder, count)}
    (folder / "corpus.json").write_text(json.dumps({k: v.to_dict() for k, v in sessions.items()}, indent=1,
                                                   ensure_ascii=False))
    return sessions


if __name__ == "__main__":                          # python benchmarks/corpus_translation.py [count]
    built = build(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
    for session in built.values():
        print(f"{session.path}: {session.duration:.1f} s, {len(session.sentences)} sentences")
        for s in session.sentences:
            print(f"  {s.sid:6} {s.speech_start:7.2f}-{s.speech_end:7.2f}  {len(s.pieces)} piece(s)  {s.source[:70]}")
