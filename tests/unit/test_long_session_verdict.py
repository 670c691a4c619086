"""The long-session benchmark's memory verdict, on synthetic RSS series sampled every 10 s.

What a real run looks like (benchmarks/long_session.py): a one-time allocation in the warm-up, then
RSS jumping ±20 MB as the allocator takes and returns Whisper's full-window buffers, plus a little
jitter. Such a series must pass; the same series with a 200 MB/h leak under it must fail, on the
10-minute run the e2e test makes.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("long_session_benchmark", ROOT / "benchmarks" / "long_session.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module            # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()
SEEDS = range(40)


def series(seed: int, leak_mb_per_hour: float = 0.0, minutes: float = 10, interval: float = 10.0,
           excursion_mb: float = 20.0, one_time_step: tuple[float, float] = (170.0, 35.0),
           persistent_step: tuple[float, float] | None = None, transient_mb: float = 65.0,
           peak_growth_mb_per_hour: float = 0.0) -> list:
    """RSS samples: 400 MB base, a one-time step, ±excursion_mb jumps that come back, jitter, a leak.

    Each interval's peak is its RSS plus, in most intervals, the encoder's transient buffers.
    """
    rng = random.Random(seed)
    level = 0.0
    out = []
    t = interval
    while t <= minutes * 60 + 1e-6:
        if rng.random() < 0.35:                               # the allocator takes or returns a buffer
            level = rng.choice([-excursion_mb, 0.0, 0.0, excursion_mb])
        rss = 400.0 + level + rng.uniform(-1.0, 1.0) + leak_mb_per_hour * t / 3600.0
        if t >= one_time_step[0]:
            rss += one_time_step[1]
        if persistent_step and t >= persistent_step[0]:
            rss += persistent_step[1]
        peak = rss + (transient_mb if rng.random() < 0.8 else 0.0) + peak_growth_mb_per_hour * t / 3600.0
        out.append(bench.Sample(t=t, rss_mb=rss, peak_mb=peak, cpu_percent=50.0, lag_s=0.3, lag_max_s=0.5, finals=int(t // 5),
                                partials=int(t // 2)))
        t += interval
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_a_flat_series_with_allocator_steps_passes(seed):
    result = bench.verdict(series(seed))
    assert result["memory_flat"], result


@pytest.mark.parametrize("seed", SEEDS)
def test_a_200_mb_per_hour_leak_fails_a_ten_minute_run(seed):
    result = bench.verdict(series(seed, leak_mb_per_hour=200.0))
    assert not result["memory_flat"], result
    assert result["rss_drift_mb_per_hour"] > bench.MAX_DRIFT_MB_PER_HOUR


def test_the_leak_fails_without_any_allocator_noise_too():
    result = bench.verdict(series(0, leak_mb_per_hour=200.0, excursion_mb=0.0))
    assert not result["memory_flat"], result


def test_a_single_step_after_the_warm_up_is_not_a_leak():
    # one more buffer kept for good (e.g. the first long sentence after the warm-up): grows once, then flat.
    # Its size is the thirds bound's business (MAX_THIRDS_GROWTH_MB), not the drift's.
    for seed in SEEDS:
        assert bench.verdict(series(seed, persistent_step=(420.0, 20.0)))["rss_drift_mb_per_hour"] \
            <= bench.MAX_DRIFT_MB_PER_HOUR, seed
        assert bench.verdict(series(seed, persistent_step=(420.0, 10.0)))["memory_flat"], seed


def test_a_slow_drift_passes():
    assert bench.verdict(series(0, leak_mb_per_hour=30.0, excursion_mb=0.0))["memory_flat"]


def test_drift_ignores_steps_and_measures_the_rise_between_them():
    times = [10.0 * i for i in range(40)]
    steps = [400.0 + (20.0 if 10 <= i < 20 else 0.0) + (30.0 if i >= 30 else 0.0) for i in range(40)]
    assert bench.drift_per_hour(times, steps) == pytest.approx(0.0, abs=1e-6)
    ramp = [v + 0.1 * t for t, v in zip(times, steps)]            # 360 MB/h under the same steps
    assert bench.drift_per_hour(times, ramp) == pytest.approx(360.0, rel=1e-6)
    assert bench.drift_per_hour(times[:3], ramp[:3]) == 0.0        # too short to tell


@pytest.mark.parametrize("seed", SEEDS)
def test_the_encoders_transient_peaks_are_flat(seed):
    result = bench.verdict(series(seed))
    assert result["peaks_flat"], result


def test_peaks_that_grow_with_the_session_fail():
    # a buffer decoded at once that widens by 20 MB a minute: the RSS between its uses stays flat
    for seed in SEEDS:
        result = bench.verdict(series(seed, peak_growth_mb_per_hour=1200.0))
        assert result["memory_flat"], result
        assert not result["peaks_flat"], result


@pytest.mark.skipif(sys.platform != "linux", reason="VmHWM and clear_refs are Linux's; elsewhere the peak is the RSS")
def test_the_interval_peak_is_the_high_water_mark_since_the_last_call():
    """In a process of its own. In the test run's process (12 GB by the time this ran in CI, shared with every test
    before it: their leftover threads, mapped model files the kernel may reclaim) the 200 MB buffer raised the peak
    by only 110 MB over the interval before: about 90 MB of the process went away meanwhile."""
    measure = textwrap.dedent(f"""
        import sys
        import numpy as np
        sys.path.insert(0, {str(ROOT / "benchmarks")!r})
        import long_session as bench
        bench.interval_peak_mb(0.0)
        before = bench.interval_peak_mb(0.0)
        buffer = np.ones(200 * 2**20 // 8)             # 200 MB, touched, then given back
        del buffer
        print(before, bench.interval_peak_mb(0.0), bench.interval_peak_mb(0.0))
    """)
    out = subprocess.run([sys.executable, "-c", measure], check=True, capture_output=True, text=True, timeout=120)
    before, peak, after = (float(v) for v in out.stdout.split())
    assert peak >= before + 150
    assert after < before + 50     # reset: the next interval does not see it
