"""Continuous-speech benchmark: speech with no pauses, replayed at real-time pace through the live engine.

Paused speech (benchmarks/streaming.py) ends every utterance with a silence, and its finals come
from the end-of-utterance decode. Lectures, meetings and videos rarely pause, so there the finals
come from the streaming commit policy. The corpus is three stretches of continuous speech:

- `multilingual.mp3` (a real reading, English then German; no German reference, so no WER);
- English paragraphs read by espeak-ng in one go, sentence after sentence;
- Spanish news (`../shared/data/text/news_es_en.tsv`) read by espeak-ng in one go.

For each configuration it reports, per stretch:
- partial lag and final lag (median, p90): when the event left the engine minus the end of the
  last word it covers, in audio seconds, as the live replay runs at real-time pace;
- flicker: the share of the words ever shown in a partial that are not what the finals say there;
- WER of the live route's provisional finals and of its settled sentences (engine/settle.py), next to the
  file route (`transcribe` without `--live`) and plain offline faster-whisper (beam 5, its own 30 s windows)
  on the same audio;
- settled lag (the end of a sentence's last word to its settled text, median and p90) and the share of
  provisional words the settle pass changed;
- on Auto-detect, the share of settled sentences in the right language: the stretch's language, or for
  `multilingual.mp3` the language plain faster-whisper detects on the sentence's own audio;
and for the whole live run: CPU (percent of one core) and the final lag per minute.

    python benchmarks/continuous.py                     # the engine's defaults
    python benchmarks/continuous.py --levers            # also each lever changed
    python benchmarks/continuous.py --minutes 30        # lag over a 30-minute replay (the corpus looped)
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import p90 as _p90, print_table as _table, report, run_each, timed_run  # noqa: E402
from _common import wav_duration as _duration  # noqa: E402
from streaming import _changed_words  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402
from testkit.speech import SAMPLE_RATE, clips, espeak_clip, load, normalise, wer, write_wav  # noqa: E402

TEXT = ROOT.parent / "shared" / "data" / "text" / "news_es_en.tsv"
STRETCH_GAP_S = 2.0

# General English prose (not the sentences the tests use), read as paragraphs without pauses.
ENGLISH_PARAGRAPHS = (
    "The library on the corner of our street opened more than a hundred years ago. At first it held only a few "
    "shelves of donated books, and the librarian lived in two small rooms upstairs. Over the decades the town grew "
    "around it, and the building was extended twice. Today it lends films and music as well as books, and in the "
    "winter its reading room is the warmest place in the neighbourhood.",
    "Most people who learn a second language as adults find listening harder than speaking. When you speak, you "
    "choose the words you know. When you listen, the other person chooses them for you, and they rarely slow down. "
    "Teachers often suggest listening to the same short recording many times, first with a transcript and then "
    "without one, until every word becomes clear.",
    "The committee met on Thursday to discuss the budget for next year. Several members argued that the money for "
    "road repairs should be doubled, because the last winter had been unusually hard. Others wanted to spend more "
    "on the schools. After a long debate, they agreed to postpone the decision until the engineers had finished "
    "their report on the condition of the bridges.",
    "Cooking rice well is simpler than it looks. Rinse it until the water runs clear, then use a little less water "
    "than the packet says. Bring it to the boil, cover the pan, and turn the heat down as low as it will go. Leave "
    "it alone for fifteen minutes, and then let it rest for five more before you lift the lid.",
    "The old harbour was busy again by the end of the summer. Fishing boats came in at dawn with their catch, and "
    "by noon the quay was full of visitors waiting for the ferry to the islands. In the evening the restaurants put "
    "their tables outside, and the smell of grilled fish drifted across the water.",
)


def build_corpus(folder: Path, spanish_chars: int = 1700) -> tuple[Path, list[dict]]:
    """The three stretches joined with short silences; returns the wav and where each stretch lies."""
    import numpy as np

    table = clips()
    stretches: list[tuple[str, "np.ndarray", str, str]] = [
        ("multilingual", load(table["multilingual"].path), "", ""),
    ]
    english = " ".join(ENGLISH_PARAGRAPHS)
    stretches.append(("english", load(espeak_clip(english, folder / "english.wav", voice="en-us", speed=165)),
                      english, "en"))
    rows = [line.split("\t") for line in TEXT.read_text(encoding="utf-8").splitlines() if "\t" in line]
    picked: list[str] = []
    for src, _ in rows[1:]:
        if sum(map(len, picked)) >= spanish_chars:
            break
        picked.append(src)
    spanish = " ".join(picked)
    stretches.append(("spanish", load(espeak_clip(spanish, folder / "spanish.wav", voice="es", speed=165)),
                      spanish, "es"))
    parts, meta, t = [np.zeros(int(1.0 * SAMPLE_RATE), np.float32)], [], 1.0
    for name, audio, reference, language in stretches:
        duration = len(audio) / SAMPLE_RATE
        meta.append(dict(name=name, start=t, end=t + duration, reference=reference, language=language))
        parts += [audio, np.zeros(int(STRETCH_GAP_S * SAMPLE_RATE), np.float32)]
        t += duration + STRETCH_GAP_S
    wav = folder / "continuous.wav"
    write_wav(wav, np.concatenate(parts))
    return wav, meta


def flicker(partials: list, finals: list) -> tuple[int, int, int, int]:
    """(distinct words shown in partials, of which later changed; word displays, of which later changed).

    A partial with segment id s shows the words that will become final s, s+1, ...; a shown word
    counts as changed when the finals do not have it there (difflib alignment of the partial against
    the finals that follow it). "Distinct" counts each (segment, position, word) once, so a guess
    that flips counts every time it flips; "displays" counts every word of every partial update, as
    a viewer sees them.
    """
    by_id = sorted(finals, key=lambda f: f.segment_id)
    ids = [f.segment_id for f in by_id]
    words_from: dict[int, list[str]] = {}
    shown: set[tuple[int, int, str]] = set()
    kept: set[tuple[int, int, str]] = set()
    displays = displays_changed = 0
    for p in partials:
        shown_words = normalise(p.text).split()
        if not shown_words:
            continue
        if p.segment_id not in words_from:
            import bisect

            k = bisect.bisect_left(ids, p.segment_id)
            words_from[p.segment_id] = normalise(" ".join(f.text for f in by_id[k:k + 40])).split()
        final_words = words_from[p.segment_id][: len(shown_words) + 10]
        matcher = difflib.SequenceMatcher(a=shown_words, b=final_words, autojunk=False)
        matched = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
        displays += len(shown_words)
        displays_changed += len(shown_words) - len(matched)
        for i, word in enumerate(shown_words):
            key = (p.segment_id, i, word)
            shown.add(key)
            if i in matched:
                kept.add(key)
    return len(shown), len(shown - kept), displays, displays_changed


def _in(stretch: dict, e) -> bool:
    return stretch["start"] - 0.5 <= (e.start + e.end) / 2 <= stretch["end"] + 0.5


def run_one(config: dict, models: Path, wav: Path, stretches: list[dict], offline: bool,
            events_path: Optional[str] = None) -> dict:
    from voicedesk.engine.events import FinalSegment, Lag, Partial, Settled
    from voicedesk.engine.file_run import transcribe_file
    from voicedesk.engine.settings import EngineSettings

    cfg = dict(config)
    cfg["model"] = str(models / cfg.get("model", "base"))
    settings = EngineSettings(cpu_threads=2).with_values(**cfg)
    events: list = []
    with loaded_engine(settings, events.append) as engine:
        live = timed_run(engine, wav, paced=True)
    if events_path:
        from voicedesk.engine.events import event_to_dict

        with open(events_path, "w", encoding="utf-8") as out:
            for e in events:
                out.write(json.dumps(event_to_dict(e), ensure_ascii=False) + "\n")
    finals = [e for e in events if isinstance(e, FinalSegment)]
    partials = [e for e in events if isinstance(e, Partial)]
    settled = [e for e in events if isinstance(e, Settled)]
    result: dict = {"cpu_pct": 100 * live.cpu_share,
                    "max_lag": max((e.seconds for e in events if isinstance(e, Lag)), default=0.0),
                    "stretches": {}}
    per_minute: dict[int, list[float]] = {}
    for f in finals:
        per_minute.setdefault(int(f.end // 60), []).append(f.emitted_at - f.end)
    result["final_lag_per_minute"] = {m: statistics.median(v) for m, v in sorted(per_minute.items())}

    fast_finals: list = []
    if offline:
        fast_events: list = []
        transcribe_file(settings, wav, fast_events.append)
        fast_finals = [e for e in fast_events if isinstance(e, FinalSegment)]
        from faster_whisper import WhisperModel

        plain = WhisperModel(cfg["model"], device="cpu", compute_type="int8", cpu_threads=2)
        audio = load(wav)

    names = list(dict.fromkeys(s["name"] for s in stretches))    # a looped corpus repeats each stretch
    for name in names:
        spans = [s for s in stretches if s["name"] == name]
        s = spans[0]
        mine_f = [f for f in finals if any(_in(span, f) for span in spans)]
        mine_p = [p for p in partials if any(_in(span, p) for span in spans)]
        mine_s = [x for x in settled if any(_in(span, x) for span in spans)]
        shown, changed, displays, displays_changed = flicker(mine_p, mine_f)
        final_lag = [f.emitted_at - f.end for f in mine_f]
        partial_lag = [p.emitted_at - p.end for p in mine_p]
        settled_lag = [x.emitted_at - x.end for x in mine_s]
        provisional_words = sum(len(f.text.split()) for f in mine_f)
        row = {
            "partial_lag_med": statistics.median(partial_lag) if partial_lag else None,
            "partial_lag_p90": _p90(partial_lag),
            "final_lag_med": statistics.median(final_lag) if final_lag else None,
            "final_lag_p90": _p90(final_lag),
            "finals": len(mine_f),
            "flicker": changed / shown if shown else None,
            "flicker_displays": displays_changed / displays if displays else None,
            "live_text": " ".join(f.text for f in mine_f),
            "settled_lag_med": statistics.median(settled_lag) if settled_lag else None,
            "settled_lag_p90": _p90(settled_lag),
            "settled_text": " ".join(x.text for x in mine_s),
            "settled_sentences": len(mine_s),
        }
        row["settle_changed"] = (_changed_words(row["live_text"], row["settled_text"]) / provisional_words
                                 if provisional_words else None)
        if not settings.language and mine_s:
            expected = _expected_languages(plain, audio, s) if offline and not s["language"] else None
            right = [x for x in mine_s if x.language == (s["language"] or (expected and expected(x)))]
            row["language_right"] = len(right) / len(mine_s) if (s["language"] or expected) else None
        if s["reference"]:
            row["wer_live"] = wer(" ".join(span["reference"] for span in spans), row["live_text"])
            row["wer_settled"] = wer(" ".join(span["reference"] for span in spans), row["settled_text"])
            if offline:
                row["wer_file"] = wer(s["reference"], " ".join(f.text for f in fast_finals if _in(s, f)))
                clip = audio[int(s["start"] * SAMPLE_RATE): int(s["end"] * SAMPLE_RATE)]
                segs, _ = plain.transcribe(clip, beam_size=5)
                row["wer_offline"] = wer(s["reference"], " ".join(seg.text for seg in segs))
        result["stretches"][name] = row
    return result


def _expected_languages(plain, audio, stretch: dict):
    """For a stretch in several languages: a function giving the language plain faster-whisper detects on a
    sentence's own audio (its 30 s window, the sentence alone: no live cuts, no session to stay in)."""
    del stretch

    def expected(sentence) -> Optional[str]:
        clip = audio[int(sentence.start * SAMPLE_RATE): int(sentence.end * SAMPLE_RATE)]
        return plain.detect_language(clip)[0] if len(clip) else None
    return expected


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)[:80]


def _keep(wav: Path, stretches: list[dict], names: list[str], work: Path) -> tuple[Path, list[dict]]:
    """A corpus of only the named stretches, in their order, with the same gaps."""
    import numpy as np

    audio, parts, kept, t = load(wav), [np.zeros(SAMPLE_RATE, np.float32)], [], 1.0
    for s in stretches:
        if s["name"] in names:
            piece = audio[int(s["start"] * SAMPLE_RATE): int(s["end"] * SAMPLE_RATE)]
            duration = len(piece) / SAMPLE_RATE
            kept.append(dict(s, start=t, end=t + duration))
            parts += [piece, np.zeros(int(STRETCH_GAP_S * SAMPLE_RATE), np.float32)]
            t += duration + STRETCH_GAP_S
    out = work / "kept.wav"
    write_wav(out, np.concatenate(parts))
    return out, kept


def _f(value, pct: bool = False) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f}%" if pct else f"{value:.2f}"


def print_tables(rows: list[tuple[str, dict]]) -> None:
    head = ("config", "stretch", "partial lag med / p90", "final lag med / p90", "settled lag med / p90",
            "flicker distinct / displays", "WER live / settled / file / offline", "settle changed",
            "right language", "finals / settled")
    lines = [head]
    for name, r in rows:
        for stretch, s in r["stretches"].items():
            lines.append((name, stretch, f"{_f(s['partial_lag_med'])} / {_f(s['partial_lag_p90'])} s",
                          f"{_f(s['final_lag_med'])} / {_f(s['final_lag_p90'])} s",
                          f"{_f(s.get('settled_lag_med'))} / {_f(s.get('settled_lag_p90'))} s",
                          f"{_f(s['flicker'], True)} / {_f(s.get('flicker_displays'), True)}",
                          " / ".join(_f(s.get(k), True)
                                     for k in ("wer_live", "wer_settled", "wer_file", "wer_offline")),
                          _f(s.get("settle_changed"), True), _f(s.get("language_right"), True),
                          f"{s['finals']} / {s.get('settled_sentences', '–')}"))
    _table(lines)
    print()
    _table([("config", "CPU live (one core = 100%)", "max backlog", "final lag median by minute")] + [
        (name, f"{r['cpu_pct']:.0f}%", f"{r['max_lag']:.2f} s",
         " ".join(f"{v:.2f}" for v in r["final_lag_per_minute"].values())) for name, r in rows])


OLD_POLICY = dict(final_on_commit=False, trim_buffer_s=25.0, partial_interval_s=1.0, decode_duty=1.0, commit_age_s=99.0)
LEVERS: dict[str, dict] = {
    "before: finals at sentence ends, 25 s buffer, 1.0 s cadence": OLD_POLICY,
    "cadence 1.0 s": dict(partial_interval_s=1.0),
    "cadence 0.35 s": dict(partial_interval_s=0.35),
    "fixed cadence (no duty limit)": dict(decode_duty=1.0),
    "buffer cut past 5 s": dict(trim_buffer_s=5.0),
    "buffer cut past 12 s": dict(trim_buffer_s=12.0),
    "commit unconfirmed words 2 s old": dict(commit_age_s=2.0),
    "commit agreed words at once (plain LocalAgreement-2)": dict(commit_min_age_s=0.0),
    "partials show the words Whisper is unsure of": dict(partial_min_probability=0.0),
    "30 s encoder window": dict(fit_encoder_window=False),
    "no settle pass": dict(settle_sentences=False),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=Path(os.environ.get(
        "VOICEDESK_TEST_MODELS", Path.home() / ".cache/voicedesk/test-models")))
    parser.add_argument("--levers", action="store_true", help="also measure each lever (live route only)")
    parser.add_argument("--only", help="run only configurations whose name contains this")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an EngineSettings field for the default configuration (repeatable)")
    parser.add_argument("--stretches", help="comma-separated stretches to replay (default: all three)")
    parser.add_argument("--minutes", type=float, default=0.0, help="loop the corpus to this length (lag over time)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--events", type=Path, help="write each configuration's events here (JSON lines)")
    parser.add_argument("--no-reference", action="store_true", help="skip the file route and offline WER")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        spec = json.loads(args.one)
        meta = json.loads((args.work / "corpus.json").read_text())
        result = run_one(spec["config"], args.models, Path(meta["wav"]), meta["stretches"], spec["offline"],
                         spec.get("events"))
        print("RESULT " + json.dumps(result))
        return 0

    default = {k: json.loads(v) if v[:1] in "0123456789-tf[{\"" else v
               for k, v in (item.split("=", 1) for item in args.set)}
    configs = {"base (defaults)" + (" " + " ".join(args.set) if args.set else ""): (default, True)}
    if args.levers:
        configs.update({name: ({**default, **spec}, False) for name, spec in LEVERS.items()})
    if args.only:
        configs = {k: v for k, v in configs.items() if args.only in k}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wav, stretches = build_corpus(work)
        if args.stretches:
            wav, stretches = _keep(wav, stretches, args.stretches.split(","), work)
        if args.minutes:
            import numpy as np

            audio, one = load(wav), _duration(wav)
            loops = max(1, math.ceil(args.minutes * 60 / one))
            write_wav(work / "long.wav", np.concatenate([audio] * loops))
            stretches = [dict(s, start=s["start"] + k * one, end=s["end"] + k * one)
                         for k in range(loops) for s in stretches]
            wav = work / "long.wav"
        (work / "corpus.json").write_text(json.dumps({"wav": str(wav), "stretches": stretches}))
        print(f"corpus: {_duration(wav):.0f} s, stretches: "
              + ", ".join(f"{s['name']} {s['end'] - s['start']:.0f} s" for s in stretches[:3]), flush=True)
        rows = run_each(configs, lambda name, config: [
            __file__, "--models", str(args.models), "--work", str(work), "--one",
            json.dumps({"config": config[0], "offline": config[1] and not args.minutes and not args.no_reference,
                        "events": str(args.events / (_slug(name) + ".jsonl")) if args.events else None})])
    report(rows, print_tables, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
