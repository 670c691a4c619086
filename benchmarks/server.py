"""Server benchmark: `voicedesk serve` measured from outside, next to the same engine in-process.

1. Latency: a paced corpus (2 real recordings + espeak-ng sentences, 3 s pauses) streamed at real-time pace
   over WS /v1/stream (a `websockets` client, the server in its own process) against the same audio through
   the engine in this process (`Engine` + `FileSource(paced=True)`). Final latency = arrival of the last
   final of an utterance minus the end of its speech (median / p90), and WER of the finals.
2. Capacity: N clients stream a 22 s clip (jfk + quilter, 2 s pauses) at once, their starts spread over 4 s;
   N doubles (1, 2, 4, 8, 16) until the lag grows, then one step halfway back narrows the limit. A step
   "holds" when no stream's engine lag (its `lag` events) passed 2 s and the finals' p90 latency stayed
   under 4 s. Reported for tiny.en and base. The clients run in this process, on the same 2 cores.
3. REST: the corpus uploaded with the official `openai` client (POST /v1/audio/transcriptions): wall time
   and real-time factor, next to the in-process fast path (`FileSource(paced=False)`).

Everything on this machine's cores, int8, cpu_threads=2; one run takes ~7.5 minutes on 2 cores.

    python benchmarks/server.py                         # tiny.en and base
    python benchmarks/server.py --models DIR            # where tiny.en/ and base/ are
    python benchmarks/server.py --only tiny.en --max-streams 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))          # testkit: the shared clips, espeak, WER, the stream client
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))     # _common: the run loop and the tables

from _common import markdown_table as table, median, p90, timed_run, wav_duration as duration  # noqa: E402
from testkit.engine_run import loaded_engine  # noqa: E402
from testkit.speech import SYNTHETIC_SENTENCES, clips, espeak_clip, join_audio, load, wer  # noqa: E402
from testkit.speech_server import stream_audio  # noqa: E402

HOLD_MAX_LAG_S = 2.0
HOLD_P90_S = 4.0
START_SPREAD_S = 4.0


# --- corpus ---------------------------------------------------------------------------------------------


def build_corpus(folder: Path) -> tuple[Path, list[dict], Path, list[dict]]:
    """(latency corpus, its utterances, capacity clip, its utterances)."""
    table = clips()
    real = [(n, load(table[n].path), table[n].reference) for n in ("jfk_en", "quilter_en")]
    items = list(real)
    for i, sentence in enumerate(SYNTHETIC_SENTENCES[:2]):
        wav = espeak_clip(sentence, folder / f"espeak{i}.wav", voice="en-us" if i % 2 else "en-gb")
        items.append((f"espeak{i}", load(wav), sentence))
    corpus = join_audio(items, folder / "corpus.wav", gap_s=3.0, lead_s=2.0)
    capacity = join_audio(real, folder / "capacity.wav", gap_s=2.0, lead_s=1.0)
    return (corpus.path, [asdict(u) for u in corpus.utterances],
            capacity.path, [asdict(u) for u in capacity.utterances])


def final_latencies(finals: list[tuple[float, float, float, str]], utterances: list[dict]) -> list[float]:
    """finals: (start, end, arrival, text). Per utterance: arrival of its last final minus its speech end."""
    out = []
    for u in utterances:
        mine = [f for f in finals if u["start"] - 0.3 <= (f[0] + f[1]) / 2 <= u["end"] + 0.3]
        if mine:
            out.append(max(f[2] for f in mine) - u["speech_end"])
    return out


# --- in-process ------------------------------------------------------------------------------------------


def in_process(model: str, wav: Path, utterances: list[dict]) -> dict:
    from voicedesk.engine.events import FinalSegment
    from voicedesk.engine.file_run import run_file
    from voicedesk.engine.settings import EngineSettings

    settings = EngineSettings(model=model, cpu_threads=2, language="en")
    events: list = []
    with loaded_engine(settings, events.append) as engine:
        run_file(engine, wav, paced=True)
        finals = [(e.start, e.end, e.emitted_at, e.text) for e in events if isinstance(e, FinalSegment)]
        lat = final_latencies(finals, utterances)
        reference = " ".join(u["reference"] for u in utterances)
        live = {"median": median(lat), "p90": p90(lat), "wer": wer(reference, " ".join(f[3] for f in finals))}
        events.clear()
        fast_wall = timed_run(engine, wav, paced=False).wall
    return {"live": live, "fast_wall": fast_wall}


# --- the server, in its own process ----------------------------------------------------------------------


class ServerProcess:
    def __init__(self, model: str, max_streams: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "voicedesk", "serve", "--port", "0", "--model", model, "--threads", "2",
             "--max-streams", str(max_streams)], stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stderr], daemon=True).start()
        self.url = None
        deadline = time.monotonic() + 120
        while self.url is None:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the server did not start")
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            match = re.search(r" on (http://127\.0\.0\.1:\d+)", line)
            self.url = match.group(1) if match else None

    @property
    def ws(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/v1/stream"

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def over_websocket(server: ServerProcess, wav: Path, utterances: list[dict]) -> dict:
    result = asyncio.run(stream_audio(server.ws, load(wav), {"language": "en"}))
    finals = [(e["start"], e["end"], e["_t"], e["text"]) for e in result.of("final")]
    lat = final_latencies(finals, utterances)
    reference = " ".join(u["reference"] for u in utterances)
    return {"median": median(lat), "p90": p90(lat), "wer": wer(reference, result.text)}


def capacity_step(server: ServerProcess, wav: Path, utterances: list[dict], n: int) -> dict:
    audio = load(wav)

    async def one(i: int):
        await asyncio.sleep(i * START_SPREAD_S / n)
        return await stream_audio(server.ws, audio, {"language": "en"}, timeout=300)

    async def all_of():
        return await asyncio.gather(*(one(i) for i in range(n)))

    results = asyncio.run(all_of())
    latencies, lags, wers, closed, partials = [], [], [], [], []
    reference = " ".join(u["reference"] for u in utterances)
    for r in results:
        finals = [(e["start"], e["end"], e["_t"], e["text"]) for e in r.of("final")]
        latencies += final_latencies(finals, utterances)
        lags.append(max([e["seconds"] for e in r.of("lag")] or [0.0]))
        wers.append(wer(reference, r.text))
        closed.append(r.close_code)
        partials.append(len(r.of("partial")))
    holds = (max(lags) <= HOLD_MAX_LAG_S and (p90(latencies) or 99) <= HOLD_P90_S
             and all(c == 1000 for c in closed))
    return {"streams": n, "median": median(latencies), "p90": p90(latencies), "max_lag": max(lags),
            "wer": statistics.mean(wers), "holds": holds, "closed": closed, "partials": statistics.mean(partials)}


def capacity(server: ServerProcess, wav: Path, utterances: list[dict], most: int, name: str) -> list[dict]:
    """Double N until a step does not hold, then try once halfway between the last that held and it."""
    steps: dict[int, dict] = {}

    def run(n: int) -> bool:
        step = steps[n] = capacity_step(server, wav, utterances, n)
        print(f"{name}: {n} streams: max lag {step['max_lag']:.2f} s, p90 {_s(step['p90'])}, holds={step['holds']}",
              file=sys.stderr, flush=True)
        return step["holds"]

    n, held, failed = 1, 0, None
    while n <= most:
        if not run(n):
            failed = n
            break
        held = n
        n = n * 2 if n * 2 <= most or n == most else most
    if failed is not None and failed - held > 1:
        middle = (held + failed) // 2
        if middle > held:
            run(middle)
    return [steps[k] for k in sorted(steps)]


def over_rest(server: ServerProcess, wav: Path) -> float:
    import openai

    client = openai.OpenAI(base_url=server.url + "/v1", api_key="local", max_retries=0, timeout=600)
    t0 = time.monotonic()
    with open(wav, "rb") as f:
        client.audio.transcriptions.create(model="whisper-1", file=f, language="en")
    return time.monotonic() - t0


# --- report ----------------------------------------------------------------------------------------------


def _s(value, digits: int = 2, unit: str = " s") -> str:
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path,
                        default=Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache/voicedesk/test-models")))
    parser.add_argument("--only", help="run only the model whose name contains this (tiny.en, base)")
    parser.add_argument("--max-streams", type=int, default=16, help="largest number of concurrent streams tried")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    models = [m for m in ("tiny.en", "base") if not args.only or args.only in m]

    started = time.monotonic()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, utterances, capacity_wav, cap_utts = build_corpus(Path(tmp))
        corpus_s, capacity_s = duration(corpus), duration(capacity_wav)
        print(f"corpus: {len(utterances)} utterances, {corpus_s:.1f} s (2 recordings + {len(utterances) - 2} "
              f"espeak-ng sentences, 3 s pauses); capacity clip: {capacity_s:.1f} s, starts spread over {START_SPREAD_S:g} s",
              file=sys.stderr, flush=True)
        for name in models:
            model = str(args.models / name)
            r: dict = {}
            r["in_process"] = in_process(model, corpus, utterances)
            print(f"{name}: in-process done", file=sys.stderr, flush=True)
            server = ServerProcess(model, max_streams=args.max_streams)
            try:
                r["websocket"] = over_websocket(server, corpus, utterances)
                print(f"{name}: websocket done", file=sys.stderr, flush=True)
                r["rest_wall"] = over_rest(server, corpus)
                r["capacity"] = capacity(server, capacity_wav, cap_utts, args.max_streams, name)
            finally:
                server.stop()
            results[name] = r

    from benchmarks.streaming import machine

    print(f"\nmachine: {machine()}; one run took {(time.monotonic() - started) / 60:.1f} min\n")
    print("Final latency, same corpus streamed at real-time pace (end of speech → last final of the utterance):\n")
    rows = []
    for name, r in results.items():
        ip, ws = r["in_process"]["live"], r["websocket"]
        rows.append((name, "in-process (Engine + paced FileSource)", _s(ip["median"]), _s(ip["p90"]), f"{ip['wer']:.1%}"))
        rows.append((name, "WS /v1/stream (websockets client)", _s(ws["median"]), _s(ws["p90"]), f"{ws['wer']:.1%}"))
    print(table(("model", "path", "final lat. median", "final lat. p90", "WER"), rows))
    print(f"\nConcurrent real-time streams on {os.cpu_count()} cores ({capacity_s:.0f} s clip each, starts spread over "
          f"{START_SPREAD_S:g} s; holds = max lag ≤ {HOLD_MAX_LAG_S:g} s and final p90 ≤ {HOLD_P90_S:g} s):\n")
    rows = []
    for name, r in results.items():
        for step in r["capacity"]:
            rows.append((name, step["streams"], _s(step["median"]), _s(step["p90"]), _s(step["max_lag"]),
                         f"{step['partials']:.0f}", f"{step['wer']:.1%}", "yes" if step["holds"] else "**no**"))
    print(table(("model", "streams", "final lat. median", "final lat. p90", "max lag", "partials/stream", "WER",
                 "holds"), rows))
    summary = []
    for name, r in results.items():
        held = [s["streams"] for s in r["capacity"] if s["holds"]]
        failed = [s["streams"] for s in r["capacity"] if not s["holds"]]
        most = max(held) if held else 0
        summary.append(f"{name} {most}" + (f" (not {min(failed)})" if failed else f" (or more: {most} was the most tried)"))
    print(f"\nStreams held in real time: {', '.join(summary)}.\n")
    print(f"REST, the {corpus_s:.0f} s corpus uploaded with the openai client:\n")
    rows = []
    for name, r in results.items():
        rows.append((name, _s(r["rest_wall"]), f"{r['rest_wall'] / corpus_s:.3f}",
                     f"{r['in_process']['fast_wall'] / corpus_s:.3f}"))
    print(table(("model", "wall", "RTF (REST)", "RTF (in-process fast path)"), rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
