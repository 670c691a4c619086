"""Who is speaking: diarization error, speaker count and cost of voicedesk's speaker labels on real speech.

    python benchmarks/speakers.py                   # needs the CAM++ model (tests/fetch_test_models.py)
    python benchmarks/speakers.py --speaker-model campplus.onnx --whisper-model base --no-live

The product's own path: the engine (base, int8, 2 threads) transcribes each recording with speaker labels on,
and the session's RTTM export (consecutive lines of one speaker less than 0.4 s apart make one turn) is scored
against the reference turns. Files: "file Auto" and "file N" (the reference's count given) cluster the whole recording at the end
of the run; "live Auto" replays it at real-time pace, each final labelled as it is sent (online clustering).

Recordings: the real two-party telephone call (conversation_en, reference RTTM), conversations joined from
different single-speaker recordings in ../shared/data/speech, and a "meeting" of four real voices (the file-accuracy
corpus's phone prompts, sonnet and LibriVox readers, and the multilingual clip's reader) taking 18 turns of 2-5 s,
0.3 s apart, each voice taking 2-6 of them. The joined recordings' reference: each clip's stretches of speech by
Silero VAD, pauses of 0.3 s and more left out, as diarization references such as DIHARD's mark speech; until
2026-12-05 evening it was each clip's whole span from first to last word, which counted a speaker's pauses, up to a
quarter of a reference, as their speech). DER "fair" (collar 0.25 s, overlap skipped) and "full" (collar 0, overlap scored) with
pyannote.metrics (the `bench` extra; testkit's own scorer when it is missing, said under the table). Cost: the
CPU seconds the run spent with labels and without, per audio second, and the peak RSS the speaker model adds.
Live labels go out inside the final itself, so a label's delay is what embedding adds before the final is sent:
its median and p90 per final are printed. "no labels" is the same run with speaker labels off, in the same process;
"labeller's own" is the CPU the labeller itself spends (embedding, clustering; see `_LabellerCpu`), per audio
second. "miss / FA / conf" are the fair DER's parts in seconds: speech no label covers, labels where the
reference has no speech, and speech given to the wrong speaker.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from _common import machine, print_table  # noqa: E402
from testkit.diarization import der as own_der, read_rttm  # noqa: E402
from testkit.speech import SAMPLE_RATE, clips, join_audio, load, speech_dir, speech_stretches  # noqa: E402

Reference = list[tuple[float, float, str]]

# The meeting: four real voices from the file-accuracy corpus, each coming back several times, 0.3 s between turns
MEETING_VOICES = {"prompts": "prompts_en.wav", "sonnet": "sonnet_en.wav", "librivox": "librivox_en.wav"}
MEETING_ORDER = ("prompts", "sonnet", "prompts", "librivox", "prompts", "reader", "librivox", "sonnet", "librivox",
                 "reader", "prompts", "sonnet", "prompts", "librivox", "sonnet", "librivox", "sonnet", "prompts")
TURN_S = (2.0, 5.0)         # a meeting turn: the voice's stretches of speech joined up to 5 s, kept from 2 s


def _recordings(tmp: Path) -> list[tuple[str, np.ndarray, Reference]]:
    out = [("conversation_en (real call)", load(speech_dir() / "conversation_en.wav"),
            read_rttm(speech_dir() / "conversation_en.rttm"))]
    table = clips()
    audio = {name: load(table[name].path) for name in ("jfk_en", "quilter_en", "arenas_es", "multilingual")}
    audio["reader_en"] = audio.pop("multilingual")[: 29 * SAMPLE_RATE]        # the English reading only
    halves = {name: (a[: len(a) // 2], a[len(a) // 2:]) for name, a in audio.items()}
    mixes = {
        "jfk+quilter": [("quilter_en", 0), ("jfk_en", 0), ("quilter_en", 1), ("jfk_en", 1)],
        "quilter+reader": [("reader_en", 0), ("quilter_en", 0), ("reader_en", 1), ("quilter_en", 1)],
        "jfk+quilter+arenas": [("jfk_en", 0), ("arenas_es", 0), ("quilter_en", 0), ("jfk_en", 1),
                               ("arenas_es", 1), ("quilter_en", 1)],
    }
    for label, parts in mixes.items():
        items = [(name, halves[name][half], "") for name, half in parts]
        session = join_audio(items, tmp / f"{label}.wav", gap_s=0.7, lead_s=0.5)
        out.append((f"{label} (joined)", load(session.path), session.speaker_turns()))
    meeting = _meeting(tmp, audio["reader_en"])
    if meeting is not None:
        out.append(meeting)
    return out


def _turn_pieces(audio: np.ndarray) -> list[np.ndarray]:
    """A recording cut into turns: its stretches of speech joined while they fit in TURN_S's upper bound."""
    spans: list[list[float]] = []
    for start, end in speech_stretches(audio):
        if spans and end - spans[-1][0] <= TURN_S[1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [audio[int(max(0.0, a - 0.1) * SAMPLE_RATE): int((b + 0.15) * SAMPLE_RATE)]
            for a, b in spans if b - a >= TURN_S[0]]


def _meeting(tmp: Path, reader: np.ndarray) -> Optional[tuple[str, np.ndarray, Reference]]:
    """Four real voices taking 18 short turns, each voice 2-6 of them (a meeting's pattern, which the
    joined pairs above lack); None, said on stderr, when the file-accuracy corpus is not built."""
    from file_accuracy import CACHE, CORPUS_VERSION

    folder = CACHE / CORPUS_VERSION
    if not all((folder / name).is_file() for name in MEETING_VOICES.values()):
        print(f"meeting left out: its voices come from the file-accuracy corpus, not built in {folder} "
              "(python benchmarks/file_accuracy.py --setup)", file=sys.stderr)
        return None
    pieces = {voice: _turn_pieces(load(folder / name)) for voice, name in MEETING_VOICES.items()}
    pieces["reader"] = _turn_pieces(reader)
    used = {voice: 0 for voice in pieces}
    items = []
    for voice in MEETING_ORDER:
        items.append((voice, pieces[voice][used[voice]], ""))
        used[voice] += 1
    session = join_audio(items, tmp / "meeting.wav", gap_s=0.3, lead_s=0.5)
    return "meeting (4 voices, joined)", load(session.path), session.speaker_turns()


def _scorer():
    try:
        from pyannote.core import Annotation, Segment, Timeline
        from pyannote.metrics.diarization import DiarizationErrorRate
    except ImportError:
        return None

    def score(reference, hypothesis, duration, collar, skip_overlap) -> tuple[float, str]:
        """(DER, its parts: seconds missed / falsely called speech / given to the wrong speaker)."""
        def annotation(turns):
            a = Annotation()
            for i, (s, e, who) in enumerate(turns):
                a[Segment(s, e), i] = str(who)
            return a
        metric = DiarizationErrorRate(collar=collar, skip_overlap=skip_overlap)
        parts = metric(annotation(reference), annotation(hypothesis), uem=Timeline([Segment(0, duration)]),
                       detailed=True)
        return (parts["diarization error rate"],
                f"{parts['missed detection']:.1f} / {parts['false alarm']:.1f} / {parts['confusion']:.1f}")
    return score


def _engine_run(settings, path: Path, paced: bool) -> tuple[list, float, float]:
    """(events, wall seconds, CPU seconds) of one run of a loaded engine over `path`."""
    from _common import timed_run
    from testkit.engine_run import loaded_engine

    events: list = []
    with loaded_engine(settings, events.append) as engine:
        timing = timed_run(engine, path, paced=paced, timeout=600)
    return events, timing.wall, timing.cpu


def _turns(events: list) -> list[tuple[float, float, str]]:
    """The run's speaker turns as the user gets them: the session's RTTM export, read back."""
    from voicedesk.session.export import ExportError, render
    from voicedesk.session.transcript import Session

    session = Session()
    for event in events:
        session.apply(event)
    try:
        rttm = render(session, "rttm")
    except ExportError:         # no speaker labels at all
        return []
    return [(float(p[3]), float(p[3]) + float(p[4]), p[7]) for p in (line.split() for line in rttm.splitlines())
            if p and p[0] == "SPEAKER"]


class _LabellerCpu:
    """The CPU seconds the speaker labeller itself spends (embedding, clustering) in the runs inside `with`.

    Its methods run on the engine's thread, so that thread's CPU time across each call is the labeller's own
    cost; the whole run's CPU, in the other columns, also moves with how the labels split sentences, and with
    the machine's noise (the same run's decodes vary by 20% here)."""

    METHODS = ("hear", "label_final", "label_settled", "labels", "voice_changes_at")

    def __enter__(self) -> "_LabellerCpu":
        from voicedesk.engine.speaker_labels import SpeakerLabeller

        self.seconds = 0.0
        self._originals = {name: getattr(SpeakerLabeller, name) for name in self.METHODS}
        for name, method in self._originals.items():
            setattr(SpeakerLabeller, name, self._timed(method))
        return self

    def _timed(self, method):
        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.thread_time() - started
        return timed

    def __exit__(self, *exc) -> None:
        from voicedesk.engine.speaker_labels import SpeakerLabeller

        for name, method in self._originals.items():
            setattr(SpeakerLabeller, name, method)


def _embed_delays(settings, path: Path) -> list[float]:
    """Per final of a live run: the seconds embedding its audio took (what the label adds before the final)."""
    from voicedesk.engine import speaker_labels

    delays: list[float] = []
    label_final = speaker_labels.SpeakerLabeller.label_final

    def timed(self, event):
        t0 = time.perf_counter()
        out = label_final(self, event)
        delays.append(time.perf_counter() - t0)
        return out

    speaker_labels.SpeakerLabeller.label_final = timed
    try:
        _engine_run(settings, path, paced=True)
    finally:
        speaker_labels.SpeakerLabeller.label_final = label_final
    return delays


def _speaker_model_mib(speaker_model: Path, audio: np.ndarray) -> float:
    """The memory the speaker model and labelling one recording add, in MiB (measured before Whisper loads)."""
    import psutil

    from voicedesk.engine.speakers.diarizer import Diarizer
    from voicedesk.engine.speakers.embedder import SpeakerEmbedder

    process = psutil.Process()
    before = process.memory_info().rss
    diarizer = Diarizer(SpeakerEmbedder(speaker_model))
    diarizer.add_speech(0.0, audio)
    diarizer.turns()
    return (process.memory_info().rss - before) / 2**20


def run(speaker_model: Path, whisper_model: Path, live: bool) -> None:
    from _common import median, p90
    from testkit.speech import write_wav
    from voicedesk.engine.settings import EngineSettings

    score = _scorer()
    base = EngineSettings(model=str(whisper_model), compute_type="int8", cpu_threads=2)
    labelled = base.with_values(speaker_labels=True, speaker_model=str(speaker_model))
    rows = [["recording", "s", "ref spk", "mode", "found", "DER fair", "miss / FA / conf s", "DER full",
             "CPU s / audio s", "no labels", "labeller's own"]]
    delays: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        recordings = _recordings(Path(tmp))
        model_mib = _speaker_model_mib(speaker_model, recordings[0][1])
        for name, audio, reference in recordings:
            path = Path(tmp) / "recording.wav"
            write_wav(path, audio)
            duration = len(audio) / SAMPLE_RATE
            n_ref = len({who for _, _, who in reference})
            _, _, plain_cpu = _engine_run(base, path, paced=False)
            modes = [("file Auto", labelled, False), ("file N", labelled.with_values(speaker_count=n_ref), False)]
            if live:
                modes.append(("live Auto", labelled, True))
            for mode, settings, paced in modes:
                with _LabellerCpu() as labeller:
                    events, _, cpu = _engine_run(settings, path, paced)
                if paced:
                    _, _, plain_live = _engine_run(base, path, paced=True)
                hyp = _turns(events)
                found = len({who for _, _, who in hyp})
                (fair, parts), (full, _) = ((score(reference, hyp, duration, collar, skip) if score
                                             else (own_der(reference, hyp, duration, collar, skip), "-"))
                                            for collar, skip in ((0.25, True), (0.0, False)))
                rows.append([name, f"{duration:.0f}", n_ref, mode, f"{found}{'✓' if found == n_ref else '✗'}",
                             f"{fair:.1%}", parts, f"{full:.1%}", f"{cpu / duration:.3f}",
                             f"{(plain_live if paced else plain_cpu) / duration:.3f}",
                             f"{labeller.seconds / duration:.3f}"])
            if live:
                delays += _embed_delays(labelled, path)
    print(f"Machine: {machine()}; speaker model on onnxruntime, 1 thread")
    print_table(rows)
    if delays:
        print(f"\nLive label delay (embedding before the final is sent): median {median(delays):.3f} s, "
              f"p90 {p90(delays):.3f} s over {len(delays)} finals.")
    print(f"Memory the speaker model adds (loaded, one recording labelled, before Whisper loads): {model_mib:.0f} MiB. "
          f"DER by {'pyannote.metrics' if score else 'testkit.diarization (pyannote.metrics not installed)'}.")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    models = Path.home() / ".cache" / "voicedesk" / "test-models"
    parser.add_argument("--speaker-model", type=Path, default=models / "speaker" / "campplus.onnx",
                        help="the CAM++ ONNX file (default: the test model)")
    parser.add_argument("--whisper-model", type=Path, default=models / "base", help="the Whisper model folder")
    parser.add_argument("--no-live", action="store_true", help="files only (the live replays take real time)")
    args = parser.parse_args(argv)
    run(args.speaker_model, args.whisper_model, live=not args.no_live)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
