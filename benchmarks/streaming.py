"""Streaming benchmark: real speech replayed at real-time pace through the live engine.

For each configuration it reports final latency (end of speech → final event, median and p90),
first-partial latency (start of speech → first partial), streaming WER next to the offline WER
of the same model on the same audio, the real-time factor of the fast (non-live) path, CPU use
while replaying 30 s of silence, and peak RSS. Each configuration runs in its own process so
memory figures do not mix.

    python benchmarks/streaming.py                      # tiny.en and base, default settings
    python benchmarks/streaming.py --levers             # also base with each lever changed
    python benchmarks/streaming.py --models DIR         # where tiny.en/ and base/ are
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))          # testkit: the shared clips, espeak, WER
sys.path.insert(0, str(ROOT / "benchmarks"))     # _common: the run loop and the tables

from _common import p90 as _p90, print_table as _print_table, report, run_each, timed_run  # noqa: E402
from _common import wav_duration as _duration  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402
from testkit.speech import SYNTHETIC_SENTENCES, clips, espeak_clip, join_audio, load, wer, write_wav  # noqa: E402

CONFIGS = {
    "tiny.en": dict(model="tiny.en"),
    "base": dict(model="base"),
}
LEVERS = {
    "base, no settle pass": dict(model="base", settle_sentences=False),
    "base, 30 s encoder window": dict(model="base", fit_encoder_window=False),
    "base, no speculative final": dict(model="base", speculative_final=False),
    "base, end silence 0.3 s": dict(model="base", end_silence_s=0.3),
    "base, end silence 0.8 s": dict(model="base", end_silence_s=0.8),
    "base, beam 1 for finals": dict(model="base", beam_size=1),
    "base, encoder window >= 10 s": dict(model="base", encoder_min_window_s=10.0),
    "base, encoder window >= 15 s": dict(model="base", encoder_min_window_s=15.0),
    "base, encoder margin 3 s": dict(model="base", encoder_margin_s=3.0),
    "base, partials show the words Whisper is unsure of": dict(model="base", partial_min_probability=0.0),
}


def build_corpus(folder: Path) -> tuple[Path, list[dict]]:
    """English real recordings plus espeak-ng sentences, joined with 3 s silences."""
    table = clips()
    items = [(n, load(table[n].path), table[n].reference) for n in ("jfk_en", "quilter_en")]
    for i, sentence in enumerate(SYNTHETIC_SENTENCES):
        wav = espeak_clip(sentence, folder / f"espeak{i}.wav", voice="en-us" if i % 2 else "en-gb")
        items.append((f"espeak{i}", load(wav), sentence))
    session = join_audio(items, folder / "session.wav")
    return session.path, [asdict(u) for u in session.utterances]


def run_one(config: dict, models: Path, wav: Path, utterances: list[dict], silence: Path) -> dict:
    """One configuration, in this process: live replay, silence CPU, fast path, offline reference."""
    from voicedesk.engine.events import FinalSegment, Lag, Partial, Settled
    from voicedesk.engine.settings import EngineSettings

    cfg = dict(config)
    cfg["model"] = str(models / cfg["model"])
    settings = EngineSettings(cpu_threads=2, language="en").with_values(**cfg)
    events: list = []
    with loaded_engine(settings, events.append) as engine:
        live_cpu = timed_run(engine, wav, paced=True).cpu_share       # live replay
        finals = [e for e in events if isinstance(e, FinalSegment)]
        partials = [e for e in events if isinstance(e, Partial)]
        settled = [e for e in events if isinstance(e, Settled)]
        lags = [e.seconds for e in events if isinstance(e, Lag)]
        # silence: what listening costs when nobody speaks
        silence_cpu = timed_run(engine, silence, paced=True).cpu_share

    final_lat, first_lat, settled_lat = [], [], []
    for u in utterances:
        done = [s for s in settled if u["start"] - 0.3 <= (s.start + s.end) / 2 <= u["end"] + 0.3]
        if done:    # the end of the sentence's last word to its settled text
            settled_lat.append(max(s.emitted_at for s in done) - u["speech_end"])
        mine = [f for f in finals if u["start"] - 0.3 <= (f.start + f.end) / 2 <= u["end"] + 0.3]
        if mine:
            final_lat.append(max(f.emitted_at for f in mine) - u["speech_end"])
        early = [e for e in partials + finals if e.emitted_at >= u["speech_start"] and u["start"] - 0.3 <= e.start <= u["end"]]
        if early:
            first_lat.append(min(e.emitted_at for e in early) - u["speech_start"])
    reference = " ".join(u["reference"] for u in utterances)
    streaming_wer = wer(reference, " ".join(f.text for f in finals))
    settled_wer = wer(reference, " ".join(s.text for s in settled))
    provisional_words = sum(len(f.text.split()) for f in finals)
    changed = _changed_words(" ".join(f.text for f in finals), " ".join(s.text for s in settled))

    # peak memory of the live engine alone, before the comparison models below are loaded
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the fast path (the CLI without --live): real-time factor
    fast: list = []
    with loaded_engine(settings, fast.append) as engine2:
        rtf = timed_run(engine2, wav, paced=False).wall / _duration(wav)
    fast_wer = wer(reference, " ".join(e.text for e in fast if isinstance(e, FinalSegment)))

    # offline reference: faster-whisper on each clip alone, beam 5, full 30 s window
    from faster_whisper import WhisperModel

    offline = WhisperModel(cfg["model"], device="cpu", compute_type="int8", cpu_threads=2)
    audio = load(wav)
    texts = []
    for u in utterances:
        clip = audio[int(u["start"] * 16000): int(u["end"] * 16000)]
        segs, _ = offline.transcribe(clip, language="en", beam_size=5)
        texts.append(" ".join(s.text for s in segs))
    offline_wer = wer(reference, " ".join(texts))
    return {
        "final_latency_median": statistics.median(final_lat) if final_lat else None,
        "final_latency_p90": _p90(final_lat),
        "first_partial_median": statistics.median(first_lat) if first_lat else None,
        "first_partial_p90": _p90(first_lat),
        "streaming_wer": streaming_wer,
        "settled_wer": settled_wer,
        "settled_latency_median": statistics.median(settled_lat) if settled_lat else None,
        "settled_latency_p90": _p90(settled_lat),
        "settle_changed_share": changed / provisional_words if provisional_words else 0.0,
        "fast_wer": fast_wer,
        "offline_wer": offline_wer,
        "rtf_fast": rtf,
        "live_cpu_pct": 100 * live_cpu,
        "silence_cpu_pct": 100 * silence_cpu,
        "lag_max": max(lags) if lags else 0.0,
        "peak_rss_mb": peak_rss_mb,
        "utterances": len(utterances),
        "measured": len(final_lat),
    }


def _fmt(value, pct=False, digits=2) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if pct else f"{value:.{digits}f}"


def _changed_words(provisional: str, settled: str) -> int:
    """Words of the provisional text that the settled text replaced or dropped (a word-level diff)."""
    import difflib

    a, b = provisional.lower().split(), settled.lower().split()
    same = sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks())
    return len(a) - same


def print_table(rows: list[tuple[str, dict]]) -> None:
    head = ("config", "final lat. med", "final lat. p90", "settled lat. med", "settled lat. p90", "1st partial med",
            "1st partial p90", "WER stream", "WER settled", "settle changed", "WER fast", "WER offline", "RTF fast",
            "CPU live", "CPU silence", "max lag", "peak RSS")
    lines = [head]
    for name, r in rows:
        lines.append((name, _fmt(r["final_latency_median"]) + " s", _fmt(r["final_latency_p90"]) + " s",
                      _fmt(r["settled_latency_median"]) + " s", _fmt(r["settled_latency_p90"]) + " s",
                      _fmt(r["first_partial_median"]) + " s", _fmt(r["first_partial_p90"]) + " s",
                      _fmt(r["streaming_wer"], pct=True), _fmt(r["settled_wer"], pct=True),
                      _fmt(r["settle_changed_share"], pct=True),
                      _fmt(r["fast_wer"], pct=True), _fmt(r["offline_wer"], pct=True),
                      _fmt(r["rtf_fast"], digits=3), f"{r['live_cpu_pct']:.0f}%", f"{r['silence_cpu_pct']:.1f}%",
                      _fmt(r["lag_max"]) + " s", f"{r['peak_rss_mb']:.0f} MB"))
    _print_table(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache/voicedesk/test-models")))
    parser.add_argument("--levers", action="store_true", help="also measure base with each lever changed")
    parser.add_argument("--only", help="run only configurations whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", help=argparse.SUPPRESS)       # internal: run one configuration
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        spec = json.loads(args.one)
        meta = json.loads((args.work / "corpus.json").read_text())
        result = run_one(spec, args.models, args.work / "session.wav", meta["utterances"], args.work / "silence.wav")
        print("RESULT " + json.dumps(result))
        return 0

    configs = dict(CONFIGS)
    if args.levers:
        configs.update(LEVERS)
    if args.only:
        configs = {k: v for k, v in configs.items() if args.only in k}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wav, utterances = build_corpus(work)
        import numpy as np

        write_wav(work / "silence.wav", np.zeros(30 * 16000, np.float32))
        (work / "corpus.json").write_text(json.dumps({"utterances": utterances}))
        duration = _duration(wav)
        print(f"corpus: {len(utterances)} utterances, {duration:.1f} s of audio (2 real recordings + "
              f"{len(utterances) - 2} espeak-ng sentences, 3 s silences); silence test 30 s", flush=True)
        rows = run_each(configs, lambda name, spec: [__file__, "--models", str(args.models), "--work", str(work),
                                                     "--one", json.dumps(spec)])
    report(rows, print_table, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
