"""Evidence for benchmarks/file_accuracy.py `--trace`: what the engine did with the audio around lost words."""

from __future__ import annotations

import contextlib
import threading

from testkit.speech import SAMPLE_RATE


class Trace:
    """Records what the file route did with the audio: gate utterances, decodes, guard drops, cuts."""

    def __init__(self) -> None:
        self.utterances: list[dict] = []
        self.decodes: list[dict] = []
        self.dropped: list[dict] = []      # segments a hallucination guard dropped
        self.cut_words: list[dict] = []    # words a loop / squeezed-tail guard removed
        self.cuts: list[float] = []        # where the buffer was cut inside an utterance
        self.segments: list[dict] = []     # every segment Whisper returned, dropped or kept
        self._local = threading.local()

    @contextlib.contextmanager
    def installed(self):
        import voicedesk.engine.asr as asr
        import voicedesk.engine.file_transcriber as ftr
        import voicedesk.engine.live_transcriber as tr

        T, A = tr.UtteranceTranscriber, asr.WhisperAsr
        classes = [T, ftr.FileTranscriber]
        saved = {(T, "_trim_buffer"): T._trim_buffer,
                 (A, "_decode"): A._decode, (asr, "_is_hallucination"): asr._is_hallucination,
                 (asr, "remove_repetition_loops"): asr.remove_repetition_loops,
                 (asr, "drop_squeezed_tail"): asr.drop_squeezed_tail}
        for cls in classes:
            saved[(cls, "begin")], saved[(cls, "end")] = cls.__dict__["begin"], cls.__dict__["end"]
        trace = self

        def tracing(cls):
            def begin(self, t):
                trace.utterances.append({"start": round(t, 3)})
                return saved[(cls, "begin")](self, t)

            def end(self, t, discarded):
                if trace.utterances and "end" not in trace.utterances[-1] and self.active:
                    trace.utterances[-1].update(end=round(t, 3), discarded=bool(discarded))
                return saved[(cls, "end")](self, t, discarded)
            return begin, end

        def trim(self, until):
            if until > self._buffer_start + 0.01:
                trace.cuts.append(round(until, 3))
            return saved[(T, "_trim_buffer")](self, until)

        def decode(self, audio, offset, options, fit, min_window=None):
            trace._local.offset = offset
            trace._local.transcribing = True            # not a translation (its words have no times)
            try:
                hyp, suspicious = saved[(A, "_decode")](self, audio, offset, options, fit, min_window)
            finally:
                trace._local.transcribing = False
            frames = asr.whisper_internals.encoder_frames()
            trace.decodes.append({"start": round(offset, 3), "end": round(offset + len(audio) / SAMPLE_RATE, 3),
                                  "window_s": frames / 100 if frames else 30.0, "final": options.final,
                                  "beam": options.beam_size, "language_asked": options.language,
                                  "language": hyp.language, "p": round(hyp.language_probability, 3),
                                  "prompt": options.prompt, "suspicious": suspicious,
                                  "text": "".join(w.text for w in hyp.words).strip()})
            return hyp, suspicious

        def hallucination(seg, duration):
            dropped = saved[(asr, "_is_hallucination")](seg, duration)
            offset = getattr(trace._local, "offset", 0.0)
            trace.segments.append({"start": round(offset + seg.start, 3), "end": round(offset + seg.end, 3),
                                   "text": seg.text, "no_speech_prob": round(seg.no_speech_prob, 3),
                                   "avg_logprob": round(seg.avg_logprob, 3),
                                   "compression_ratio": round(seg.compression_ratio, 2), "dropped": dropped})
            if dropped:
                offset = getattr(trace._local, "offset", 0.0)
                trace.dropped.append({"start": round(offset + seg.start, 3), "end": round(offset + seg.end, 3),
                                      "text": seg.text, "no_speech_prob": round(seg.no_speech_prob, 3),
                                      "avg_logprob": round(seg.avg_logprob, 3)})
            return dropped

        def guarded(name):
            original = saved[(asr, name)]

            def run(words, *args, **kwargs):
                kept = original(words, *args, **kwargs)
                if not getattr(trace._local, "transcribing", False):
                    return kept
                ids = {id(w) for w in kept}
                trace.cut_words += [{"guard": name, "start": w.start, "end": w.end, "text": w.text}
                                    for w in words if id(w) not in ids]
                return kept
            return run

        for cls in classes:
            cls.begin, cls.end = tracing(cls)
        T._trim_buffer, A._decode = trim, decode
        asr._is_hallucination = hallucination
        asr.remove_repetition_loops = guarded("remove_repetition_loops")
        asr.drop_squeezed_tail = guarded("drop_squeezed_tail")
        try:
            yield self
        finally:
            for (owner, name), value in saved.items():
                setattr(owner, name, value)

    def explain(self, unit) -> list[str]:
        """What the engine did around one reference unit (a `Unit`: start, end, text)."""
        a, b = unit.start, unit.end
        span = max(b - a, 1e-6)
        notes = []
        covered = 0.0
        for u in self.utterances:
            if "end" not in u:
                continue
            lo, hi = max(a, u["start"]), min(b, u["end"])
            if hi > lo:
                covered += hi - lo
                if u["discarded"]:
                    notes.append(f"gate: utterance {u['start']:.2f}-{u['end']:.2f} discarded as too short")
        if covered / span < 0.8:
            notes.append(f"gate: only {100 * covered / span:.0f}% of {a:.2f}-{b:.2f} inside an utterance")
        for d in self.dropped:
            if d["end"] > a and d["start"] < b:
                notes.append(f"guard: segment dropped as hallucination {d['text']!r} nsp={d['no_speech_prob']} "
                             f"lp={d['avg_logprob']}")
        cut = [w for w in self.cut_words if w["end"] > a and w["start"] < b]
        if cut:
            notes.append(f"guard: {len(cut)} words cut ({', '.join(sorted({w['guard'] for w in cut}))}): "
                         + " ".join(w["text"].strip() for w in cut))
        for c in self.cuts:
            if a - 0.3 < c < b + 0.3:
                notes.append(f"cut: buffer cut at {c:.2f}")
        for d in self.decodes:
            if d["final"] and d["end"] > a and d["start"] < b:
                notes.append(f"decode {d['start']:.2f}-{d['end']:.2f} window {d['window_s']:.1f} s "
                             f"lang {d['language_asked'] or '?'}->{d['language']} ({d['p']}): {d['text'][:160]!r}")
        return notes

    def to_dict(self) -> dict:
        return {"utterances": self.utterances, "decodes": self.decodes, "segments": self.segments,
                "dropped": self.dropped,
                "cut_words": self.cut_words, "cuts": self.cuts}
