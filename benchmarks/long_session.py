"""Long-session benchmark: N minutes of speech and silence replayed at real-time pace through the engine.

Real recordings and espeak-ng sentences (tests/testkit/speech_mix.py), joined with 1-4 s silences
and a 20 s pause every eighth utterance, go through the live engine (base model by default) with
the session journal chained in front of an in-memory Session, as in the app. Every `--interval`
seconds it samples the process's RSS (now, and its peak since the last sample), CPU use since the
last sample, the decoding lag (from Lag events: the latest value and the worst in the interval) and
the finals so far. It prints a table
and a verdict: memory is flat when, after a warm-up of the first third of the run (at least two
minutes), (1) the growth from the first to the last third stays under a bound, (2) RSS does not
drift upwards between the allocator's steps (`drift_per_hour`), and (3) on runs of 30 minutes or more,
the least-squares slope stays under a bound; the peaks are flat when the highest interval peak grows
by under 40 MB from the first to the last third (after the warm-up); lag does not creep when the last third's mean lag is
within 0.5 s of the first third's.

Why between steps: RSS jumps by ±20 MB as the allocator takes and returns Whisper's full-window
buffers, so over ten minutes a few jumps weigh as much as a leak of 200 MB/h (about 20 MB after the
warm-up). A jump is one big difference between two samples; a leak is a small rise between every two.

    python benchmarks/long_session.py                    # 60 minutes, base
    python benchmarks/long_session.py --minutes 7        # the CI-sized run (tests/e2e/test_long_session.py)
    python benchmarks/long_session.py --json out.json    # also write every sample and the verdict
    python benchmarks/long_session.py --speakers         # with live speaker labels (the test CAM++ model)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))          # testkit: the shared clips, espeak, WER

DEFAULT_MODELS = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models"))

# Verdict bounds. Generous against noise on a shared 2-core machine, tight against a leak or a queue
# that grows with the session (either would show as tens of MB per ten minutes or seconds of lag).
MAX_SLOPE_MB_PER_HOUR = 60.0
MAX_THIRDS_GROWTH_MB = 40.0
MIN_SLOPE_RUN_S = 30 * 60
# A leak of 200 MB/h must fail a 10-minute run; the allocator's ±20 MB steps must not. The drift is
# measured between steps (samples that differ by more than JUMP_MB start a new stretch).
MAX_DRIFT_MB_PER_HOUR = 100.0
JUMP_MB = 5.0
MAX_LAG_CREEP_S = 0.5
# The highest interval peak (most hold the encoder's transient buffers) of the first third after the
# warm-up against the last third's: a flat process stays near 0; a buffer that grows with the session (a
# queue decoded at once, a window that keeps widening) does not, even when RSS between uses is flat.
MAX_PEAK_GROWTH_MB = 40.0


@dataclass
class Sample:
    t: float                  # seconds since the replay started
    rss_mb: float             # at the sampling instant
    peak_mb: float            # the highest RSS since the previous sample (see interval_peak_mb)
    cpu_percent: float        # of one core, since the previous sample
    lag_s: float              # the latest Lag event
    lag_max_s: float          # the worst Lag value reported in this interval
    finals: int
    partials: int


@dataclass
class Monitor:
    """The engine's subscriber's side: counts and lag, shared with the sampling thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    lag: float = 0.0
    lag_window_max: float = 0.0
    finals: int = 0
    partials: int = 0
    errors: list = field(default_factory=list)
    final_events: list = field(default_factory=list)
    settled_events: list = field(default_factory=list)

    def __call__(self, event) -> None:
        from voicedesk.engine.events import EngineError, FinalSegment, Lag, Partial, Settled

        with self.lock:
            if isinstance(event, Lag):
                self.lag = event.seconds
                self.lag_window_max = max(self.lag_window_max, event.seconds)
            elif isinstance(event, FinalSegment):
                self.finals += 1
                self.final_events.append(event)
            elif isinstance(event, Partial):
                self.partials += 1
            elif isinstance(event, Settled):
                self.settled_events.append(event)
            elif isinstance(event, EngineError):
                self.errors.append(event.message)

    def take_window(self) -> tuple[float, float, int, int]:
        with self.lock:
            worst = max(self.lag_window_max, self.lag)
            self.lag_window_max = self.lag
            return self.lag, worst, self.finals, self.partials


def interval_peak_mb(current_mb: float) -> float:
    """The process's highest RSS since the last call (MB); where the kernel cannot tell, `current_mb`.

    Why not the RSS at the sampling instant alone: each 30 s encoder pass (the settle pass decodes in the
    full window) holds ~65 MB of attention buffers for a few tenths of a second and gives them back, so a
    sample every 10 s caught that peak at random, in about one interval in twenty. Linux keeps the
    high-water mark (VmHWM) and resets it when "5" is written to /proc/self/clear_refs, which makes each
    interval's peak an exact figure instead of a lottery.
    """
    try:
        with open("/proc/self/status") as status:
            peak_kb = next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), None)
        if peak_kb is None:
            return current_mb
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except (OSError, ValueError):
        return current_mb
    return max(peak_kb / 1024, current_mb)


def sample_loop(monitor: Monitor, interval: float, t0: float, stop: threading.Event, out: list[Sample]) -> None:
    import psutil

    proc = psutil.Process()
    proc.cpu_percent(None)
    interval_peak_mb(0.0)                       # the peaks are the replay's, not the model loading's
    while not stop.wait(interval):
        lag, worst, finals, partials = monitor.take_window()
        rss = proc.memory_info().rss / 2**20
        out.append(Sample(round(time.monotonic() - t0, 1), rss, interval_peak_mb(rss),
                          proc.cpu_percent(None), lag, worst, finals, partials))


def slope_per_hour(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3:
        return 0.0
    return statistics.linear_regression(xs, ys).slope * 3600.0


def thirds(values: list[float]) -> tuple[float, float]:
    """Mean of the first and of the last third."""
    n = max(1, len(values) // 3)
    return statistics.fmean(values[:n]), statistics.fmean(values[-n:])


def drift_per_hour(times: list[float], rss: list[float], jump_mb: float = JUMP_MB) -> float:
    """How fast RSS rises between the allocator's steps (MB/h): a leak's signature.

    The series is cut wherever one sample differs from the previous by more than `jump_mb` (the
    allocator taking or returning a buffer, up or down, once or for good); the least-squares slope is
    then fitted to all stretches at once, each with a level of its own. Steps thus move no estimate,
    while a leak, which grows a little between every two samples, shows whole. 0.0 when the stretches
    hold too few samples to tell.
    """
    stretches: list[list[tuple[float, float]]] = []
    for i, (t, v) in enumerate(zip(times, rss)):
        if i == 0 or abs(v - rss[i - 1]) > jump_mb:
            stretches.append([])
        stretches[-1].append((t, v))
    num = den = 0.0
    steps = 0
    for stretch in stretches:
        if len(stretch) < 2:
            continue
        steps += len(stretch) - 1
        t_mean = statistics.fmean(t for t, _ in stretch)
        v_mean = statistics.fmean(v for _, v in stretch)
        num += sum((t - t_mean) * (v - v_mean) for t, v in stretch)
        den += sum((t - t_mean) ** 2 for t, _ in stretch)
    if steps < 5 or den <= 0:
        return 0.0
    return num / den * 3600.0


def verdict(samples: list[Sample], warmup_s: Optional[float] = None) -> dict:
    # Warm-up: the first third of the run (at least 2 min). The process makes one-time allocations
    # in it (e.g. the 30 s encoder buffers the first time a final needs the full window: a step of
    # ~35 MB seen at 2:50 in a 10-minute run) which a leak does not look like: a leak keeps growing.
    if warmup_s is None:
        warmup_s = max(120.0, (samples[-1].t if samples else 0.0) / 3)
    steady = [s for s in samples if s.t >= warmup_s] or samples
    rss = [s.rss_mb for s in steady]
    lag = [s.lag_max_s for s in steady]
    rss_first, rss_last = thirds(rss)
    lag_first, lag_last = thirds(lag)
    slope = slope_per_hour([s.t for s in steady], rss)
    drift = drift_per_hour([s.t for s in steady], rss)
    # RSS moves by ±20 MB as the allocator takes and returns the full-window buffers; over a few
    # minutes that reads as a steep slope, so the slope only counts on runs long enough to average it.
    long_run = len(samples) > 1 and samples[-1].t >= MIN_SLOPE_RUN_S
    memory_flat = (rss_last - rss_first <= MAX_THIRDS_GROWTH_MB
                   and drift <= MAX_DRIFT_MB_PER_HOUR
                   and (not long_run or slope <= MAX_SLOPE_MB_PER_HOUR))
    lag_flat = lag_last - lag_first <= MAX_LAG_CREEP_S
    peaks = [s.peak_mb for s in steady]
    third = max(1, len(peaks) // 3)
    # the highest of each third: an interval of silence has no encoder pass, and its peak is only the RSS
    peak_first, peak_last = max(peaks[:third], default=0.0), max(peaks[-third:], default=0.0)
    return {
        "rss_start_mb": round(samples[0].rss_mb, 1) if samples else 0.0,
        "rss_max_mb": round(max((s.rss_mb for s in samples), default=0.0), 1),
        "peak_max_mb": round(max((s.peak_mb for s in samples), default=0.0), 1),
        "peak_first_third_mb": round(peak_first, 1),
        "peak_last_third_mb": round(peak_last, 1),
        "rss_slope_mb_per_hour": round(slope, 1),
        "rss_drift_mb_per_hour": round(drift, 1),
        "rss_first_third_mb": round(rss_first, 1),
        "rss_last_third_mb": round(rss_last, 1),
        "lag_max_s": round(max((s.lag_max_s for s in samples), default=0.0), 2),
        "lag_first_third_s": round(lag_first, 2),
        "lag_last_third_s": round(lag_last, 2),
        "cpu_mean_percent": round(statistics.fmean(s.cpu_percent for s in steady), 1) if steady else 0.0,
        "memory_flat": memory_flat,
        "peaks_flat": peak_last - peak_first <= MAX_PEAK_GROWTH_MB,
        "lag_flat": lag_flat,
    }


def replay(wav: Path, settings, interval: float, journal_dir: Optional[Path]) -> tuple[list[Sample], Monitor, float]:
    """Run the live engine over `wav` at real-time pace; returns samples, the monitor and the wall time."""
    from testkit.engine_run import loaded_engine
    from voicedesk.engine.file_run import run_file
    from voicedesk.session.journal import Journal, JournalSink
    from voicedesk.session.transcript import Session

    monitor = Monitor()
    session = Session()

    def screen(event) -> None:
        session.apply(event)
        monitor(event)

    journal = Journal.open_new(settings, folder=journal_dir) if journal_dir else None
    sink = JournalSink(journal, screen) if journal else screen
    with loaded_engine(settings, sink) as engine:
        samples: list[Sample] = []
        stop = threading.Event()
        t0 = time.monotonic()
        sampler = threading.Thread(target=sample_loop, args=(monitor, interval, t0, stop, samples), daemon=True)
        sampler.start()
        run_file(engine, wav, paced=True)
        wall = time.monotonic() - t0
        stop.set()
        sampler.join()
    if journal:
        journal.close(clean=True)
    return samples, monitor, wall


def print_table(samples: list[Sample], every: int = 1) -> None:
    print(f"{'time':>7} {'RSS MB':>8} {'peak MB':>8} {'CPU %':>6} {'lag s':>6} {'lag max':>7} {'finals':>7} {'partials':>8}")
    for i, s in enumerate(samples):
        if i % every == 0 or i == len(samples) - 1:
            m, sec = divmod(int(s.t), 60)
            print(f"{m:4d}:{sec:02d} {s.rss_mb:8.1f} {s.peak_mb:8.1f} {s.cpu_percent:6.0f} {s.lag_s:6.2f} {s.lag_max_s:7.2f} "
                  f"{s.finals:7d} {s.partials:8d}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--model", default=str(DEFAULT_MODELS / "base"), help="model folder or name (default: test base)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-journal", action="store_true", help="leave the session journal out")
    parser.add_argument("--json", type=Path, help="write samples and verdict here")
    parser.add_argument("--speakers", type=Path, metavar="CAMPPLUS_ONNX", nargs="?", const=DEFAULT_MODELS / "speaker" / "campplus.onnx",
                        help="live speaker labels on, with this CAM++ model (default: the test model)")
    args = parser.parse_args(argv)

    from testkit.speech import wer
    from testkit.speech_mix import write_session
    from voicedesk.engine.settings import EngineSettings

    with tempfile.TemporaryDirectory(prefix="voicedesk-long-") as tmp:
        wav = Path(tmp) / "session.wav"
        utterances = write_session(wav, args.minutes * 60, seed=args.seed)
        settings = EngineSettings(model=args.model, cpu_threads=args.threads, language="en")
        if args.speakers:
            settings = settings.with_values(speaker_labels=True, speaker_model=str(args.speakers))
        print(f"long session: {args.minutes:g} min, {len(utterances)} utterances, model {Path(args.model).name}, "
              f"{args.threads} threads, {os.cpu_count()} cores, {platform.processor() or platform.machine()}",
              flush=True)
        samples, monitor, wall = replay(wav, settings, args.interval, None if args.no_journal else Path(tmp) / "journal")

    said = " ".join(f.text for f in monitor.final_events)
    settled = " ".join(s.text for s in monitor.settled_events)
    result = verdict(samples)
    result.update({
        "minutes": args.minutes, "wall_s": round(wall, 1), "utterances": len(utterances), "finals": monitor.finals,
        "partials": monitor.partials, "errors": monitor.errors,
        "wer": round(wer(" ".join(u.reference for u in utterances), said), 3),
        "settled": len(monitor.settled_events),
        "settled_wer": round(wer(" ".join(u.reference for u in utterances), settled), 3),
    })
    if args.speakers:
        result["speakers"] = len({s.speaker for s in monitor.settled_events} - {None})
    print_table(samples, every=max(1, len(samples) // 60))
    print()
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    print(f"\nverdict: memory {'FLAT' if result['memory_flat'] else 'GROWS'} "
          f"({result['rss_slope_mb_per_hour']:+.1f} MB/h, between steps {result['rss_drift_mb_per_hour']:+.1f} MB/h, "
          f"{result['rss_first_third_mb']:.0f} -> "
          f"{result['rss_last_third_mb']:.0f} MB by thirds); peaks {'FLAT' if result['peaks_flat'] else 'GROW'} "
          f"({result['peak_first_third_mb']:.0f} -> {result['peak_last_third_mb']:.0f} MB, the thirds' highest, "
          f"{result['peak_max_mb']:.0f} MB at most); lag {'DOES NOT CREEP' if result['lag_flat'] else 'CREEPS'} "
          f"({result['lag_first_third_s']:.2f} -> {result['lag_last_third_s']:.2f} s by thirds, max {result['lag_max_s']:.2f} s)")
    if args.json:
        args.json.write_text(json.dumps({"result": result, "samples": [asdict(s) for s in samples]}, indent=1))
    return 0 if result["memory_flat"] and result["peaks_flat"] and result["lag_flat"] and not result["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
