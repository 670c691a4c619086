"""Overload benchmark: a configuration too slow for real time, replayed live; are finals lost?

The slow configuration (default: base, beam 5, one CPU thread, a partial refresh every 0.2 s,
the full 30 s encoder window for every decode, the process pinned to one core) replays a speech-dense session (short silences, no long pauses) at real-time pace. The same audio
then runs through the same configuration without pacing, where nothing can be late. For every
utterance it measures word coverage (reference words found, by jiwer alignment, in the finals
that overlap the utterance) in both runs: an utterance covered offline but not live is a final
lost to overload. It also reports the lag over time (max, by thirds), memory (RSS) and how the
partials thinned out, and the real-time factor that shows the configuration is overloaded.

    python benchmarks/overload.py                      # 5 minutes
    python benchmarks/overload.py --minutes 2 --fit-window --cores 2   # a lighter load
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from _common import timed_run  # noqa: E402
from long_session import DEFAULT_MODELS, Monitor, print_table, replay, thirds  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402

COVERED = 0.5        # an utterance with less than half its words in the finals counts as lost


def coverage(utterances, finals) -> list[float]:
    """Per utterance, the fraction of its reference words found in the finals overlapping it."""
    import jiwer

    from testkit.speech import normalise

    texts = [[] for _ in utterances]
    for f in finals:
        best, best_overlap = None, 0.0
        for i, u in enumerate(utterances):
            overlap = min(f.end, u.end + 0.3) - max(f.start, u.start - 0.3)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is not None:
            texts[best].append(f.text)
    out = []
    for u, said in zip(utterances, texts):
        ref, hyp = normalise(u.reference), normalise(" ".join(said))
        if not hyp:
            out.append(0.0)
            continue
        words = jiwer.process_words(ref, hyp)
        out.append(words.hits / max(1, len(ref.split())))
    return out


def offline_finals(wav: Path, settings) -> tuple[list, float]:
    monitor = Monitor()
    with loaded_engine(settings, monitor) as engine:
        wall = timed_run(engine, wav, paced=False).wall
    return monitor.final_events, wall


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--model", default=str(DEFAULT_MODELS / "base"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--partial-interval", type=float, default=0.2)
    parser.add_argument("--fit-window", action="store_true", help="encode only the audio present (the engine's default)")
    parser.add_argument("--cores", type=int, default=1, help="pin the process to this many cores (a slower machine)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from testkit.speech_mix import write_session
    from voicedesk.engine.settings import EngineSettings

    if args.cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: args.cores])
    settings = EngineSettings(model=args.model, cpu_threads=args.threads, language="en").with_values(
        beam_size=args.beam, partial_interval_s=args.partial_interval, fit_encoder_window=args.fit_window)
    with tempfile.TemporaryDirectory(prefix="voicedesk-overload-") as tmp:
        wav = Path(tmp) / "session.wav"
        utterances = write_session(wav, args.minutes * 60, seed=args.seed, gap=(0.5, 1.5), long_pause_every=0)
        duration = args.minutes * 60
        print(f"overload: {args.minutes:g} min, {len(utterances)} utterances, model {Path(args.model).name}, "
              f"beam {args.beam}, {args.threads} thread(s), partial every {args.partial_interval} s, "
              f"{'fitted' if args.fit_window else 'full 30 s'} encoder window, "
              f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} core(s)",
              flush=True)
        samples, live, live_wall = replay(wav, settings, args.interval, Path(tmp) / "journal")
        print(f"live replay done in {live_wall:.0f} s; offline reference ...", flush=True)
        ref_finals, ref_wall = offline_finals(wav, settings)

    live_cov = coverage(utterances, live.final_events)
    ref_cov = coverage(utterances, ref_finals)
    lost_live = [i for i, c in enumerate(live_cov) if c < COVERED]
    lost_ref = [i for i, c in enumerate(ref_cov) if c < COVERED]
    lost_to_overload = [i for i in lost_live if i not in lost_ref]
    lags = [s.lag_max_s for s in samples]
    lag_first, lag_last = thirds(lags) if lags else (0.0, 0.0)
    partial_rate = [(b.partials - a.partials) / max(1e-9, b.t - a.t) * 60 for a, b in zip(samples, samples[1:])]
    pr_first, pr_last = thirds(partial_rate) if partial_rate else (0.0, 0.0)
    result = {
        "minutes": args.minutes,
        "utterances": len(utterances),
        "offline_rtf": round(ref_wall / duration, 2),
        "live_wall_s": round(live_wall, 1),
        "live_overrun_s": round(live_wall - duration, 1),
        "finals_live": len(live.final_events),
        "finals_offline": len(ref_finals),
        "coverage_live_mean": round(statistics.fmean(live_cov), 3),
        "coverage_offline_mean": round(statistics.fmean(ref_cov), 3),
        "utterances_lost_live": len(lost_live),
        "utterances_lost_offline": len(lost_ref),
        "finals_lost_to_overload": len(lost_to_overload),
        "lost_to_overload": [utterances[i].reference[:60] for i in lost_to_overload],
        "lag_max_s": round(max(lags, default=0.0), 2),
        "lag_first_third_s": round(lag_first, 2),
        "lag_last_third_s": round(lag_last, 2),
        "partials_per_min_first_third": round(pr_first, 1),
        "partials_per_min_last_third": round(pr_last, 1),
        "partials": live.partials,
        "rss_start_mb": round(samples[0].rss_mb, 1) if samples else 0.0,
        "rss_max_mb": round(max((s.rss_mb for s in samples), default=0.0), 1),
        "rss_end_mb": round(samples[-1].rss_mb, 1) if samples else 0.0,
        "cpu_mean_percent": round(statistics.fmean(s.cpu_percent for s in samples), 1) if samples else 0.0,
        "errors": live.errors,
    }
    print_table(samples, every=max(1, len(samples) // 60))
    print()
    for key, value in result.items():
        print(f"{key:>30}: {value}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # saturated: the decoder wants more CPU than there is, so partial refreshes must give way
    saturated = result["cpu_mean_percent"] >= 90.0 * cores
    finals_too_slow = result["offline_rtf"] > 1.0
    state = ("overloaded, even for finals" if finals_too_slow else
             "overloaded (CPU saturated; finals alone would keep up)" if saturated else
             "NOT overloaded (make the configuration slower)")
    print(f"\nverdict: {state}; "
          f"{result['finals_lost_to_overload']} final(s) lost to overload; lag max {result['lag_max_s']:.1f} s "
          f"({result['lag_first_third_s']:.1f} -> {result['lag_last_third_s']:.1f} s by thirds); "
          f"RSS {result['rss_start_mb']:.0f} -> max {result['rss_max_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0 if result["finals_lost_to_overload"] == 0 and not result["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
