"""Speech→English translation benchmark: real and synthesised non-English speech through the engine.

The corpus (benchmarks/corpus_translation.py) is the German half of the shared multilingual.mp3
(reference: the English licence text) and a Spanish session: the shared arenas_es.wav plus
espeak-ng sentences from ../shared/data/text/news_es_en.tsv (WMT24 news with human English
references), 1.5-2.5 s apart, some said in comma-separated pieces with 0.6-1.0 s pauses. It reports:

1. quality, sacrebleu chrF and BLEU at corpus level, three ways on the same audio: the live route
   (FileSource paced at real time), the fast route (not paced, as `voicedesk transcribe FILE`), and
   plain faster-whisper offline (`task="translate"`, beam 5, full 30 s window, each reference sentence
   cut out on its own: the oracle segmentation). Engine output is aligned to the reference sentences
   by time: each Translation goes to the sentence whose stretch of the session it overlaps most;
   "doc chrF" scores each session as one document, blind to segmentation;
2. translation latency: Translation.emitted_at minus emitted_at of the last FinalSegment it covers
   (p50 / p90 per route and per `engine` value), and how long after the end of the speech it arrives;
3. fragments: the share of units that are not whole sentences, for translation units (Translation
   events), transcript lines (finals grouped by sentence_id) and, as "before", single finals (one
   translation per final, as translation worked before sentence routing). A unit is a fragment when
   another unit of the same kind is aligned to the same reference sentence (the sentence was split);
   "merged" counts units that cover the speech of two or more sentences;
4. transcription cost of translating: final latency (emitted_at − end) and CPU, translation off
   (translate_to None) and on ("en"), on the live route, for the Spanish session and a paused
   English corpus (benchmarks/streaming.py's; there translation is a pass-through).

All engine runs use `--model` (default: the multilingual base test model), int8, cpu_threads=2.

    python benchmarks/translation.py                     # everything, ~10 min on 2 cores
    python benchmarks/translation.py --quick             # 6 news sentences, small English corpus
    python benchmarks/translation.py --routes offline    # only the faster-whisper baseline
    python benchmarks/translation.py --json out.json     # also save raw numbers and every event
    python benchmarks/translation.py --report out.json   # score and print a saved run again
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import corpus_translation as corpus  # noqa: E402
from _common import machine, markdown_table as md_table, median as _median, p90 as _p90, timed_run  # noqa: E402
from _common import wav_duration as _duration  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402

DEFAULT_MODEL = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache/voicedesk/test-models")) / "base"
ROUTES = ("live", "fast", "offline")
FULL_COUNT, QUICK_COUNT = 16, 6
MERGE_MIN_S = 0.3             # a unit "covers" a sentence when it overlaps its speech by this much


# --- units and alignment (pure: events in, numbers out) ------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A piece of output to align with the reference: a final, a transcript line or a translation."""

    start: float
    end: float
    text: str
    emitted_at: float = 0.0


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def territories(sentences: Sequence[Any], duration: float = float("inf")) -> list[tuple[float, float]]:
    """The stretch of the session each sentence owns: from halfway through the pause before it to
    halfway through the pause after it (the first and last reach the session's ends)."""
    out = []
    for k, s in enumerate(sentences):
        lo = 0.0 if k == 0 else (sentences[k - 1].speech_end + s.speech_start) / 2
        hi = duration if k == len(sentences) - 1 else (s.speech_end + sentences[k + 1].speech_start) / 2
        out.append((lo, hi))
    return out


def align(units: Sequence[Unit], sentences: Sequence[Any]) -> list[int]:
    """For each unit, the index of the sentence whose territory it overlaps most (a unit with no
    length goes to the territory holding its midpoint)."""
    terr = territories(sentences)
    out = []
    for u in units:
        mid = (u.start + u.end) / 2
        home = next((k for k, (lo, hi) in enumerate(terr) if lo <= mid < hi), len(terr) - 1)
        out.append(max(range(len(terr)), key=lambda k: (_overlap(u.start, u.end, *terr[k]), k == home)))
    return out


def fragment_stats(units: Sequence[Unit], sentences: Sequence[Any]) -> dict:
    """How many units are pieces of a split sentence, how many sentences were split, how many merged."""
    if not units:
        return {"units": 0, "fragments": 0, "fragment_rate": None, "sentences": len(sentences),
                "sentences_split": 0, "merged": 0}
    where = align(units, sentences)
    per_sentence = [where.count(k) for k in range(len(sentences))]
    fragments = sum(1 for k in where if per_sentence[k] > 1)
    merged = sum(1 for u in units
                 if sum(_overlap(u.start, u.end, s.speech_start, s.speech_end) >= MERGE_MIN_S for s in sentences) > 1)
    return {"units": len(units), "fragments": fragments, "fragment_rate": fragments / len(units),
            "sentences": len(sentences), "sentences_split": sum(1 for n in per_sentence if n > 1), "merged": merged}


def hypotheses(units: Sequence[Unit], sentences: Sequence[Any]) -> list[str]:
    """The text aligned to each reference sentence, in time order ("" where nothing was)."""
    texts: list[list[tuple[float, str]]] = [[] for _ in sentences]
    for u, k in zip(units, align(units, sentences)):
        texts[k].append((u.start, u.text.strip()))
    return [" ".join(t for _, t in sorted(group) if t) for group in texts]


def score(hyps: Sequence[str], refs: Sequence[str]) -> dict:
    """Corpus-level chrF and BLEU (sacrebleu defaults: chrF2, BLEU-4 with 13a tokenisation)."""
    import sacrebleu

    return {"chrf": sacrebleu.corpus_chrf(list(hyps), [list(refs)]).score,
            "bleu": sacrebleu.corpus_bleu(list(hyps), [list(refs)]).score}


def final_units(finals: Sequence[Any]) -> list[Unit]:
    """"Before": every final is its own unit (one translation per final)."""
    return [Unit(f.start, f.end, f.text, f.emitted_at) for f in finals]


def line_units(finals: Sequence[Any]) -> list[Unit]:
    """Transcript lines: finals grouped by sentence_id."""
    lines: dict[int, list] = {}
    for f in finals:
        lines.setdefault(f.sentence_id, []).append(f)
    return [Unit(min(f.start for f in g), max(f.end for f in g), " ".join(f.text.strip() for f in g),
                 max(f.emitted_at for f in g)) for g in lines.values()]


def translation_units(translations: Sequence[Any]) -> list[Unit]:
    return [Unit(t.start, t.end, t.text, t.emitted_at) for t in translations]


def translation_latencies(finals: Sequence[Any], translations: Sequence[Any]) -> list[dict]:
    """Per Translation: seconds after the last final it covers, and after the end of its speech."""
    by_id = {f.segment_id: f for f in finals}
    out = []
    for t in translations:
        covered = [by_id[i] for i in t.segment_ids if i in by_id]
        if not covered:
            continue
        last = max(covered, key=lambda f: f.emitted_at)
        out.append({"engine": t.engine or "?", "after_final": t.emitted_at - last.emitted_at,
                    "after_speech": t.emitted_at - t.end, "finals": len(t.segment_ids), "text": t.text,
                    "start": t.start, "end": t.end, "segment_ids": list(t.segment_ids)})
    return out


# --- runs ------------------------------------------------------------------------------------------

@dataclass
class Run:
    events: list
    wall: float
    cpu: float                # CPU seconds of this process during the run
    duration: float           # seconds of audio

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


def run_engine(model: str, wav: Path, language: str, translate_to: Optional[str], paced: bool) -> Run:
    from voicedesk.engine.settings import EngineSettings

    settings = EngineSettings(model=model, device="cpu", compute_type="int8", cpu_threads=2, language=language).with_values(
        translate_to=translate_to, translation_engine="auto")
    events: list = []
    with loaded_engine(settings, events.append) as engine:
        timing = timed_run(engine, wav, paced=paced)
    return Run(events, timing.wall, timing.cpu, _duration(wav))


def run_offline(model: str, sessions: dict) -> dict[str, list[dict]]:
    """faster-whisper's own translate task on each reference sentence alone (beam 5, 30 s window)."""
    from faster_whisper import WhisperModel

    from testkit.speech import load

    whisper = WhisperModel(model, device="cpu", compute_type="int8", cpu_threads=2)
    out: dict[str, list[dict]] = {}
    for name, session in sessions.items():
        audio = load(session.path)
        rows = []
        for s in session.sentences:
            clip = audio[max(0, int((s.start - 0.2) * corpus.RATE)): int((s.end + 0.2) * corpus.RATE)]
            t0 = time.monotonic()
            segments, _ = whisper.transcribe(clip, task="translate", language=session.language, beam_size=5)
            text = " ".join(seg.text.strip() for seg in segments)
            rows.append({"sid": s.sid, "text": text, "seconds": time.monotonic() - t0, "audio_s": len(clip) / corpus.RATE})
        out[name] = rows
    return out


def english_corpus(folder: Path, quick: bool) -> tuple[Path, float]:
    """The paused English corpus: streaming.py's (2 recordings + 8 espeak-ng sentences, 3 s apart),
    or for --quick the two recordings and two sentences."""
    from streaming import build_corpus

    from testkit.speech import SYNTHETIC_SENTENCES, clips, espeak_clip, join_audio, load

    folder.mkdir(parents=True, exist_ok=True)
    if not quick:
        wav, _ = build_corpus(folder)
        return wav, _duration(wav)
    table = clips()
    items = [(n, load(table[n].path), table[n].reference) for n in ("jfk_en", "quilter_en")]
    for i, sentence in enumerate(SYNTHETIC_SENTENCES[:2]):
        items.append((f"espeak{i}", load(espeak_clip(sentence, folder / f"espeak{i}.wav")), sentence))
    session = join_audio(items, folder / "session.wav")
    return session.path, session.duration


# --- evaluation ------------------------------------------------------------------------------------

def evaluate(sessions: dict, runs: dict, offline: Optional[dict]) -> dict:
    from voicedesk.engine.events import FinalSegment, Translation

    refs = {name: [s.reference for s in sess.sentences] for name, sess in sessions.items()}
    results: dict = {"quality": {}, "latency": {}, "fragments": {}, "outputs": {}}
    routes = [r for r in ("live", "fast") if any((r, n) in runs for n in sessions)]
    for route in routes:
        hyps, all_lat, frag = {}, [], {"before: finals": [], "lines (sentence_id)": [], "translations": []}
        untranslated = 0
        for name, sess in sessions.items():
            run = runs.get((route, name))
            if run is None:
                continue
            finals, translations = run.of(FinalSegment), run.of(Translation)
            tunits = translation_units(translations)
            hyps[name] = hypotheses(tunits, sess.sentences)
            all_lat += [{**x, "session": name} for x in translation_latencies(finals, translations)]
            covered = {i for t in translations for i in t.segment_ids}
            untranslated += sum(1 for f in finals if f.segment_id not in covered)
            for key, units in (("before: finals", final_units(finals)), ("lines (sentence_id)", line_units(finals)),
                               ("translations", tunits)):
                frag[key].append(fragment_stats(units, sess.sentences))
            results["outputs"][f"{route}/{name}"] = {"hypotheses": hyps[name], "references": refs[name]}
        results["quality"][route] = _quality(hyps, refs, sum(len(r.of(Translation)) for (rt, _), r in runs.items() if rt == route))
        results["quality"][route]["finals_untranslated"] = untranslated
        results["latency"][route] = all_lat
        results["fragments"][route] = {k: _sum_stats(v) for k, v in frag.items()}
    if offline:
        hyps = {name: [row["text"] for row in rows] for name, rows in offline.items()}
        results["quality"]["offline"] = _quality(hyps, refs, sum(len(v) for v in offline.values()))
        results["quality"]["offline"]["seconds_per_sentence"] = statistics.mean(
            row["seconds"] for rows in offline.values() for row in rows)
        for name in offline:
            results["outputs"][f"offline/{name}"] = {"hypotheses": hyps[name], "references": refs[name]}
    return results


def _quality(hyps: dict, refs: dict, translations: int) -> dict:
    names = [n for n in ("de", "es") if n in hyps]
    out = {"translations": translations, "empty": sum(1 for n in names for h in hyps[n] if not h)}
    out.update({f"{k}": v for k, v in score([h for n in names for h in hyps[n]], [r for n in names for r in refs[n]]).items()})
    for n in names:
        out.update({f"{k}_{n}": v for k, v in score(hyps[n], refs[n]).items()})
    import sacrebleu

    out["chrf_doc"] = sacrebleu.corpus_chrf([" ".join(hyps[n]) for n in names], [[" ".join(refs[n]) for n in names]]).score
    return out


def _sum_stats(stats: list[dict]) -> dict:
    total = {k: sum(s[k] for s in stats) for k in ("units", "fragments", "sentences", "sentences_split", "merged")}
    total["fragment_rate"] = total["fragments"] / total["units"] if total["units"] else None
    return total


def transcription_cost(label: str, run: Run) -> dict:
    from voicedesk.engine.events import FinalSegment, Translation

    lat = [f.emitted_at - f.end for f in run.of(FinalSegment)]
    return {"corpus": label, "finals": len(lat), "final_latency_median": _median(lat), "final_latency_p90": _p90(lat),
            "cpu_pct": 100 * run.cpu / run.wall if run.wall else None, "wall": run.wall, "audio": run.duration,
            "translations": len(run.of(Translation))}


# --- output ----------------------------------------------------------------------------------------

def _f(value, digits: int = 1, unit: str = "") -> str:
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def print_tables(results: dict, costs: list[dict]) -> None:
    q = results["quality"]
    if q:
        print("\n**Speech → English quality** (sacrebleu corpus chrF / BLEU against the human references; "
              "engine output aligned to reference sentences by time; offline = faster-whisper per sentence)\n")
        rows = []
        for route in [r for r in ROUTES if r in q]:
            r = q[route]
            rows.append((route, _f(r["chrf"]), _f(r["bleu"]), _f(r.get("chrf_de")), _f(r.get("bleu_de")),
                         _f(r.get("chrf_es")), _f(r.get("bleu_es")), _f(r["chrf_doc"]), r["translations"], r["empty"],
                         r.get("finals_untranslated", "-")))
        print(md_table(("route", "chrF", "BLEU", "chrF de", "BLEU de", "chrF es", "BLEU es", "doc chrF",
                        "translations", "sentences w/o output", "finals w/o translation"), rows))
    lat = results["latency"]
    if lat:
        print("\n**Translation latency** (Translation.emitted_at − emitted_at of the last final it covers; "
              "'after speech' = emitted_at − Translation.end)\n")
        rows = []
        for route, items in lat.items():
            for engine in sorted({i["engine"] for i in items}):
                v = [i["after_final"] for i in items if i["engine"] == engine]
                a = [i["after_speech"] for i in items if i["engine"] == engine]
                live = route.startswith("live")        # on the fast route emitted_at runs ahead of the audio
                rows.append((route, engine, len(v), _f(_median(v), 2, " s"), _f(_p90(v), 2, " s"), _f(max(v), 2, " s"),
                             _f(_median(a), 2, " s") if live else "-", _f(_p90(a), 2, " s") if live else "-"))
            if not items:
                rows.append((route, "(no translations)", 0, "-", "-", "-", "-", "-"))
        print(md_table(("route", "engine", "n", "p50", "p90", "max", "after speech p50", "after speech p90"), rows))
        for route, items in lat.items():
            slow = sorted(items, key=lambda i: -i["after_final"])[:3]
            if slow:
                print(f"\nslowest {route}: " + "; ".join(
                    f"{i['after_final']:.2f} s ({i['end'] - i['start']:.1f} s of speech in {i['finals']} final(s), "
                    f"{i['session']} {i['start']:.1f}-{i['end']:.1f} s)" for i in slow))
    frag = results["fragments"]
    if frag:
        print("\n**Fragments** (a unit is a fragment when another unit is aligned to the same reference sentence; "
              "before = one unit per final, after = transcript lines / translation units)\n")
        rows = []
        for route, kinds in frag.items():
            for kind, s in kinds.items():
                rows.append((route, kind, s["units"], s["fragments"], _f(None if s["fragment_rate"] is None else 100 * s["fragment_rate"], 0, "%"),
                             f"{s['sentences_split']}/{s['sentences']}", s["merged"]))
        print(md_table(("route", "unit", "units", "fragments", "fragment rate", "sentences split", "merged units"), rows))
    if costs:
        print("\n**Transcription with translation off / on** (live route; final latency = emitted_at − end of the final)\n")
        rows = [(c["corpus"], c["translate_to"] or "off", c["finals"], _f(c["final_latency_median"], 2, " s"),
                 _f(c["final_latency_p90"], 2, " s"), _f(c["cpu_pct"], 0, "%"), _f(c["wall"], 1, " s"),
                 c["translations"]) for c in costs]
        print(md_table(("corpus", "translation", "finals", "final lat. med", "final lat. p90", "CPU", "wall",
                        "translations"), rows))


def print_errors(runs: dict) -> None:
    from voicedesk.engine.events import EngineError

    lines = [f"{route}/{name}: {e.kind.value}: {e.message} (at {e.emitted_at:.1f} s)"
             for (route, name), run in runs.items() for e in run.of(EngineError)]
    if lines:
        print("\nengine errors: " + "; ".join(lines))


# --- self-test of the metrics on made-up events (no model) ---------------------------------------

def selftest() -> None:
    from types import SimpleNamespace as NS

    from voicedesk.engine.events import FinalSegment, Translation

    sents = [NS(speech_start=1.0, speech_end=4.0), NS(speech_start=6.0, speech_end=10.0), NS(speech_start=12.0, speech_end=14.0)]
    # sentence 1 said in two pieces (two finals, one line, one translation); sentence 3 in two lines, one translation
    finals = [FinalSegment(0, "a", 1.0, 4.1, "es", 5.0), FinalSegment(1, "b", 6.0, 7.5, "es", 8.2),
              FinalSegment(2, "c", 8.4, 10.0, "es", 10.9, sentence_id=1), FinalSegment(3, "d", 12.0, 13.0, "es", 13.6),
              FinalSegment(4, "e", 13.1, 14.0, "es", 14.7)]
    trans = [Translation(0, "A", "es", "en", 1.0, 4.1, 5.4, (0,), "whisper"),
             Translation(1, "B C", "es", "en", 6.0, 10.0, 11.5, (1, 2), "whisper"),
             Translation(3, "D E", "es", "en", 12.0, 14.0, 15.0, (3, 4), "whisper")]
    before = fragment_stats(final_units(finals), sents)
    assert (before["units"], before["fragments"], before["sentences_split"]) == (5, 4, 2), before
    lines = fragment_stats(line_units(finals), sents)
    assert (lines["units"], lines["fragments"], lines["sentences_split"]) == (4, 2, 1), lines
    after = fragment_stats(translation_units(trans), sents)
    assert (after["units"], after["fragments"], after["merged"]) == (3, 0, 0), after
    merged = fragment_stats([Unit(1.0, 10.0, "x")], sents)
    assert merged["merged"] == 1 and merged["fragments"] == 0, merged
    assert hypotheses(translation_units(trans), sents) == ["A", "B C", "D E"]
    assert hypotheses([Unit(30.0, 31.0, "late"), Unit(0.0, 0.0, "early")], sents) == ["early", "", "late"]
    lat = translation_latencies(finals, trans)
    assert [round(x["after_final"], 2) for x in lat] == [0.4, 0.6, 0.3], lat
    perfect = score(["The sands are white."], ["The sands are white."])
    assert perfect["chrf"] > 99 and perfect["bleu"] > 99, perfect
    print("selftest ok")


def load_raw(path: Path) -> tuple[dict, dict, dict, Optional[dict], list[dict]]:
    """Sessions, runs, offline rows and costs back from a --json file (events rebuilt as dataclasses)."""
    from voicedesk.engine.events import EngineError, ErrorKind, FinalSegment, Translation

    raw = json.loads(path.read_text())
    sessions = {k: corpus.Session(v["language"], Path(v["path"]), v["duration"],
                                  [corpus.Sentence(**s) for s in v["sentences"]]) for k, v in raw["corpus"].items()}
    kinds = {"final": FinalSegment, "translation": Translation, "error": EngineError}
    runs = {}
    for key, r in raw["runs"].items():
        events = []
        for e in r["events"]:
            fields = {k: v for k, v in e.items() if k not in ("type", "v")}
            if e["type"] == "translation":
                fields["segment_ids"] = tuple(fields.get("segment_ids", ()))
            if e["type"] == "error":
                fields["kind"] = ErrorKind(fields["kind"])
            events.append(kinds[e["type"]](**fields))
        route, name = key.split("/")
        runs[(route, name)] = Run(events, r["wall"], r["cpu"], r["audio"])
    return raw, sessions, runs, raw.get("offline"), raw.get("costs", [])


def report(path: Path) -> None:
    from voicedesk.engine.events import FinalSegment, Translation

    raw, sessions, runs, offline, costs = load_raw(path)
    results = evaluate(sessions, runs, offline)
    if ("cost-on", "en") in runs:
        on = runs[("cost-on", "en")]
        results["latency"]["live, en corpus"] = [{**x, "session": "en"} for x in
                                                 translation_latencies(on.of(FinalSegment), on.of(Translation))]
    print(f"(scored again from {path})\n\nmachine: {raw['machine']}; model {raw['model']}\n")
    print_tables(results, costs)
    print_errors(runs)


# --- main ------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(DEFAULT_MODEL), help="a multilingual CTranslate2 Whisper folder")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_COUNT} news sentences instead of {FULL_COUNT}, small English corpus")
    parser.add_argument("--routes", default="live,fast,offline", help="comma-separated: live, fast, offline")
    parser.add_argument("--sentences", type=int, help="how many news sentences (overrides --quick's count)")
    parser.add_argument("--no-cost", action="store_true", help="skip the translation off/on transcription runs")
    parser.add_argument("--json", type=Path, help="also write raw numbers and every final/translation here")
    parser.add_argument("--report", type=Path, metavar="RAW.json",
                        help="score and print a run saved with --json again, without running anything")
    parser.add_argument("--selftest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.selftest:
        selftest()
        return 0
    if args.report:
        report(args.report)
        return 0
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = set(routes) - set(ROUTES)
    if unknown:
        parser.error(f"unknown route(s) {', '.join(sorted(unknown))}: use {', '.join(ROUTES)}")

    count = args.sentences or (QUICK_COUNT if args.quick else FULL_COUNT)
    sessions = corpus.build(count)
    n_sent = sum(len(s.sentences) for s in sessions.values())
    split = sum(1 for s in sessions["es"].sentences if len(s.pieces) > 1)
    print(f"corpus: {n_sent} sentences: German {sessions['de'].duration:.1f} s (2 sentences of multilingual.mp3), "
          f"Spanish {sessions['es'].duration:.1f} s (arenas_es.wav + {count} espeak-ng news sentences, "
          f"{split} of them said in pieces); audio in {sessions['es'].path.parent}", flush=True)

    from voicedesk.engine.events import EngineError, FinalSegment, Translation, event_to_dict

    runs: dict[tuple[str, str], Run] = {}
    for route in [r for r in ("live", "fast") if r in routes]:
        for name, sess in sessions.items():
            run = run_engine(args.model, sess.path, sess.language, "en", paced=route == "live")
            runs[(route, name)] = run
            errors = run.of(EngineError)
            print(f"done: {route}/{name}: {run.wall:.1f} s wall for {run.duration:.1f} s, "
                  f"{len(run.of(FinalSegment))} finals, {len(run.of(Translation))} translations"
                  + (f", errors: {[e.message for e in errors]}" if errors else ""), file=sys.stderr, flush=True)
    offline = None
    if "offline" in routes:
        offline = run_offline(args.model, sessions)
        print("done: offline", file=sys.stderr, flush=True)

    costs: list[dict] = []
    if "live" in routes and not args.no_cost:
        wav_en, _ = english_corpus(corpus.CACHE / ("english-quick" if args.quick else "english"), args.quick)
        pairs = [("es (news + arenas)", sessions["es"].path, "es"), ("en (paused, streaming.py)", wav_en, "en")]
        for label, wav, language in pairs:
            for target in (None, "en"):
                run = runs.get(("live", "es")) if (language == "es" and target == "en") else None
                if run is None:
                    run = run_engine(args.model, wav, language, target, paced=True)
                    runs[("cost-" + ("on" if target else "off"), language)] = run
                    print(f"done: cost {label} translation {target or 'off'}", file=sys.stderr, flush=True)
                costs.append({**transcription_cost(label, run), "translate_to": target})

    results = evaluate(sessions, runs, offline)
    if ("cost-on", "en") in runs:             # English speech with translate_to="en": the pass-through engine
        on = runs[("cost-on", "en")]
        results["latency"]["live, en corpus"] = [{**x, "session": "en"} for x in
                                                 translation_latencies(on.of(FinalSegment), on.of(Translation))]
    print(f"\nmachine: {machine()}; model {args.model}\n")
    print_tables(results, costs)
    print_errors(runs)
    if args.json:
        raw = {"machine": machine(), "model": args.model, "corpus": {k: v.to_dict() for k, v in sessions.items()},
               "results": results, "costs": costs, "offline": offline,
               "runs": {f"{r}/{n}": {"wall": run.wall, "cpu": run.cpu, "audio": run.duration,
                                     "events": [event_to_dict(e) for e in run.events
                                                if isinstance(e, (FinalSegment, Translation, EngineError))]}
                        for (r, n), run in runs.items()}}
        args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
