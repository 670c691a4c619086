"""OpenAI-compatible audio endpoints: POST /v1/audio/transcriptions and /v1/audio/translations, GET /v1/models.

An upload (taken in as `uploads` describes: queue place first, then the body, one copy) is run through the
live engine (`Engine` + `FileSource(paced=False)` over the spooled file) on the shared model, exactly as
`voicedesk transcribe` does; text, SRT and WebVTT come from the session exporter
(`voicedesk.session.export.render`), JSON and verbose_json from the same session. Translations are
Whisper's speech→English (`translate_to="en"`, `translation_engine="whisper"`).

Multipart fields as OpenAI takes them: file, model, language, prompt, response_format
(json | text | srt | vtt | verbose_json | diarized_json), temperature (accepted, ignored: decoding is
deterministic), timestamp_granularities[] (segment, word). Word times are the decoder's own word timestamps.
`diarized_json` (the name OpenAI's diarizing models use) labels who speaks each segment, "A", "B", ... in order
of appearance, from clustering the whole upload (engine/speaker_labels.py); it needs the speaker model on the
server. A `speakers` field (auto, or the number of speakers; not in OpenAI's API) gives the count;
`known_speaker_names[]` is accepted and ignored (no reference clips are matched).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from voicedesk.audio.file_source import AudioTooLongError
from voicedesk.audio.source import AudioSource
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis
from voicedesk.engine.events import ErrorKind, Event, RunEnded
from voicedesk.engine.file_run import RunOutcome, start_file
from voicedesk.engine.commit_rule import Word, join_words
from voicedesk.server.errors import ApiError
from voicedesk.server.languages import language_code, language_name
from voicedesk.server.limits import JobQueue
from voicedesk.server.security import Security
from voicedesk.server.shared_model import SharedModel
from voicedesk.server.uploads import check_head, open_audio, read_form, too_long
from voicedesk.session.transcript import Segment, Sentence, Session

log = logging.getLogger(__name__)

RESPONSE_FORMATS = ("json", "text", "srt", "vtt", "verbose_json", "diarized_json")
MEDIA_TYPES = {"text": "text/plain; charset=utf-8", "srt": "application/x-subrip; charset=utf-8",
               "vtt": "text/vtt; charset=utf-8"}
DISCONNECT_POLL_S = 0.5


class RecordingDecoder:
    """The shared decoder as one request sees it: it remembers the words of every final decode (for word
    timestamps) and hands the client's prompt to decodes that carry no context of their own."""

    def __init__(self, inner: Decoder, prompt: Optional[str] = None) -> None:
        self._inner = inner
        self._prompt = (prompt or "").strip()[-800:] or None
        self.finals: list[tuple[Word, ...]] = []
        self._lock = threading.Lock()

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        if self._prompt and not options.prompt:
            options = dataclasses.replace(options, prompt=self._prompt)
        hyp = self._inner.decode(audio, offset, options)
        if options.final:
            with self._lock:
                self.finals.append(tuple(hyp.words))
        return hyp

    def __getattr__(self, name: str):          # multilingual, translate, model, ...: the shared model's
        return getattr(self._inner, name)

    def words_of(self, segment: Segment) -> list[dict[str, Any]]:
        """The decoder's words of a final segment; evenly spread over it if they cannot be found."""
        with self._lock:
            finals = list(self.finals)
        for words in reversed(finals):
            for i, first in enumerate(words):
                if abs(round(first.start, 3) - segment.start) > 0.002:
                    continue
                run: list[Word] = []
                for word in words[i:]:
                    run.append(word)
                    text = join_words(run)
                    if text == segment.text:
                        return [_word(w.text, w.start, w.end) for w in run]
                    if len(text) > len(segment.text):
                        break
        return _spread_words(segment)


def _word(text: str, start: float, end: float) -> dict[str, Any]:
    return {"word": text.strip(), "start": round(start, 3), "end": round(end, 3)}


def _spread_words(segment: Segment) -> list[dict[str, Any]]:
    words = segment.text.split()
    if not words:
        return []
    total = sum(len(w) for w in words)
    span = max(0.0, segment.end - segment.start)
    out, t = [], segment.start
    for w in words:
        d = span * len(w) / total
        out.append(_word(w, t, t + d))
        t += d
    return out


@dataclass
class Outcome(RunOutcome):
    """What one run of the engine over an upload produced: the run's outcome and its transcript."""

    session: Session = field(default_factory=Session)


async def run_engine_on_file(shared: SharedModel, settings, source: AudioSource, decoder: Decoder,
                             disconnected=None) -> Outcome:
    """Run a file's `source` through a new engine on the shared model; `disconnected()` (async) stops it early.

    The engine's own file run (`voicedesk.engine.file_run`) starts it; the wait is this event loop's, so that
    the loop is never blocked and a client that went away stops the run."""
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    outcome = Outcome()

    def sink(event: Event) -> None:          # the engine's dispatcher thread
        outcome.session.apply(event)
        outcome.record(event)
        if isinstance(event, RunEnded):
            loop.call_soon_threadsafe(done.set)

    engine = shared.open_engine(settings, sink, decoder=decoder)
    finished = False
    try:
        start_file(engine, source)
        while True:
            try:
                await asyncio.wait_for(done.wait(), DISCONNECT_POLL_S)
                break
            except asyncio.TimeoutError:
                if disconnected is not None and await disconnected():
                    log.info("client went away: stopping its transcription")
                    engine.stop()
                    await done.wait()
                    break
        finished = True
    finally:
        if finished:
            await asyncio.to_thread(shared.close_engine, engine)
        else:   # cancelled (the server is stopping): never block the loop, never leave the engine running
            engine.stop()
            threading.Thread(target=shared.close_engine, args=(engine,), daemon=True).start()
    return outcome


def router(shared: SharedModel, security: Security, jobs: JobQueue) -> APIRouter:
    # FastAPI reads the routes' annotations (Request) from this module's globals: imported at the top
    api = APIRouter(dependencies=[Depends(security.require_http)])
    limit = shared.config.max_upload_bytes
    max_audio_s = shared.config.max_audio_s

    @api.get("/v1/models")
    async def list_models():
        return {"object": "list", "data": [_model_object(m) for m in shared.model_ids()]}

    @api.get("/v1/models/{model_id}")
    async def get_model(model_id: str):
        if not shared.accepts(model_id):
            raise ApiError(404, f"The model '{model_id}' does not exist on this server", "model_not_found", "model")
        return _model_object(model_id)

    @api.post("/v1/audio/transcriptions")
    async def transcriptions(request: Request):
        return await _audio(request, translate=False)

    @api.post("/v1/audio/translations")
    async def translations(request: Request):
        return await _audio(request, translate=True)

    async def _audio(request, translate: bool):
        check_head(request, limit)
        with jobs.admit():                       # 503 here: before a byte of the body is read
            form = await read_form(request, limit)
            try:
                params = _params(form, translate)
                if not shared.accepts(params.model):
                    raise ApiError(404, f"The model '{params.model}' does not exist on this server; it has "
                                        f"{', '.join(shared.model_ids())}", "model_not_found", "model")
                overrides: dict[str, Any] = {"language": params.language}
                if translate:
                    overrides.update(translate_to="en", translation_engine="whisper")
                if params.response_format == "diarized_json":
                    overrides.update(_speaker_overrides(shared, translate, _field(form, "speakers")))
                settings = shared.base_settings(**overrides)
                if translate:
                    problem = shared.translation_problem(settings)
                    if problem:
                        raise ApiError(400, problem, "translation_unavailable", "model")
                source = await open_audio(params.file, max_audio_s)     # 400 / 413 before any decoding
                decoder = RecordingDecoder(shared.decoder, params.prompt)
                async with jobs.turn():
                    outcome = await run_engine_on_file(shared, settings, source, decoder, request.is_disconnected)
            finally:
                await form.close()
        if isinstance(source.error, AudioTooLongError):     # the header understated it: found while decoding
            raise ApiError(413, too_long(max_audio_s), "audio_too_long", "file")
        if outcome.fatal is not None:
            if outcome.fatal.kind is ErrorKind.INPUT:
                raise ApiError(400, f"Could not read the audio: {outcome.fatal.message}", "invalid_file", "file")
            raise ApiError(500, outcome.fatal.message, "transcription_failed")
        unlabelled = next((e for e in outcome.errors if e.kind is ErrorKind.SPEAKER_MODEL), None)
        if params.response_format == "diarized_json" and unlabelled is not None:
            # the speaker model would not load (a corrupt file): the speakers asked for cannot be had on this server
            raise ApiError(500, unlabelled.message, "speaker_model_unusable", "response_format")
        body, media = _render(outcome, params, translate, decoder)
        if media is None:
            return JSONResponse(body)
        return Response(body, media_type=media)

    return api


def _speaker_overrides(shared: SharedModel, translate: bool, speakers: Optional[str]) -> dict[str, Any]:
    """The settings that turn speaker labels on for one upload; ApiError 400 when they cannot be had."""
    if translate:
        raise ApiError(400, "diarized_json is a transcription format: use /v1/audio/transcriptions",
                       "invalid_request", "response_format")
    count = 0
    if speakers not in (None, "", "auto"):
        try:
            count = int(str(speakers))
        except ValueError:
            count = -1
        if not 1 <= count <= 20:
            raise ApiError(400, "speakers must be auto or a number from 1 to 20", "invalid_request", "speakers")
    from voicedesk.engine.settings import Speakers
    from voicedesk.engine.speaker_labels import speaker_model_file
    from voicedesk.models.resolve import ModelError

    try:
        model = speaker_model_file(Speakers(enabled=True, model=shared.config.speaker_model))
    except ModelError as exc:
        raise ApiError(400, str(exc), "speaker_model_missing", "response_format") from None
    return {"speaker_labels": True, "speaker_model": str(model), "speaker_count": count}


def _model_object(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "voicedesk"}


@dataclass(frozen=True)
class _Params:
    file: Any
    model: Optional[str]
    language: Optional[str]
    prompt: Optional[str]
    response_format: str
    granularities: tuple[str, ...]


def _field(form, name: str) -> Optional[str]:
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be a text field", "invalid_request", name)
    return value


def _params(form, translate: bool) -> _Params:
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not hasattr(upload, "file"):
        raise ApiError(400, "No audio: send the recording in a multipart field named 'file'", "invalid_request", "file")
    response_format = (_field(form, "response_format") or "json").strip().lower()
    if response_format not in RESPONSE_FORMATS:
        raise ApiError(400, f"response_format must be one of {', '.join(RESPONSE_FORMATS)}, got '{response_format}'",
                       "invalid_request", "response_format")
    try:
        language = language_code(_field(form, "language"))
    except ValueError as exc:
        raise ApiError(400, str(exc), "invalid_language", "language") from None
    temperature = _field(form, "temperature")
    if temperature not in (None, ""):
        try:
            float(temperature)
        except ValueError:
            raise ApiError(400, "temperature must be a number", "invalid_request", "temperature") from None
    granularities: list[str] = []
    for key in ("timestamp_granularities[]", "timestamp_granularities"):
        for value in form.getlist(key):
            if not isinstance(value, str):
                continue
            for item in value.split(","):
                item = item.strip().lower()
                if item not in ("word", "segment"):
                    raise ApiError(400, f"timestamp_granularities takes word and segment, got '{item}'",
                                   "invalid_request", "timestamp_granularities")
                granularities.append(item)
    if str(_field(form, "stream") or "").strip().lower() == "true":
        raise ApiError(400, "stream=true is not supported here; use the WebSocket /v1/stream for live results",
                       "unsupported_parameter", "stream")
    return _Params(upload, _field(form, "model"), language, _field(form, "prompt"), response_format,
                   tuple(dict.fromkeys(granularities)))


# --- rendering -----------------------------------------------------------------------------------------


def _render(outcome: Outcome, params: _Params, translate: bool, decoder: RecordingDecoder):
    """(body, media type); media type None for a JSON body."""
    from voicedesk.session.export import render

    session = outcome.session
    fmt = params.response_format
    content = "translation" if translate else "source"
    if fmt in ("text", "srt", "vtt"):
        return render(session, "txt" if fmt == "text" else fmt, content), MEDIA_TYPES[fmt]
    sentences = session.sentences()
    text = _text(sentences, translate)
    usage = {"type": "duration", "seconds": round(outcome.duration, 3)}
    if fmt == "json":
        return {"text": text, "usage": usage}, None
    if fmt == "diarized_json":
        return _diarized(session.segments(), text, outcome.duration, usage), None
    body: dict[str, Any] = {
        "task": "translate" if translate else "transcribe",
        "language": "english" if translate else language_name(_main_language(session.segments())),
        "duration": round(outcome.duration, 3),
        "text": text,
    }
    wanted = params.granularities or ("segment",)
    if "segment" in wanted:
        if translate:
            spans = [(s.start, s.end, s.translation) for s in sentences if s.translation and s.translation.strip()]
        else:
            spans = [(s.start, s.end, s.text) for s in session.segments() if s.text.strip()]
        body["segments"] = [_segment(i, start, end, t) for i, (start, end, t) in enumerate(spans)]
    if "word" in wanted and not translate:
        body["words"] = [w for s in session.segments() for w in decoder.words_of(s)]
    body["usage"] = usage
    return body, None


def _diarized(segments: Sequence[Segment], text: str, duration: float, usage: dict[str, Any]) -> dict[str, Any]:
    """OpenAI's diarized transcription: each segment with its speaker, "A", "B", ... by first appearance."""
    letters: dict[Optional[int], str] = {}
    out: list[dict[str, Any]] = []
    for s in segments:
        if not s.text.strip():
            continue
        speaker = letters.setdefault(s.speaker, _speaker_letter(len(letters)))
        out.append({"type": "transcript.text.segment", "id": f"seg_{len(out):03d}", "start": round(s.start, 3),
                    "end": round(s.end, 3), "text": s.text.strip(), "speaker": speaker})
    return {"task": "transcribe", "duration": round(duration, 3), "text": text, "segments": out, "usage": usage}


def _speaker_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (OpenAI's labels for speakers it has no names for)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text(sentences: Sequence[Sentence], translate: bool) -> str:
    if translate:
        return " ".join(s.translation.strip() for s in sentences if s.translation and s.translation.strip())
    return " ".join(s.text for s in sentences if s.text)


def _main_language(segments: Sequence[Segment]) -> str:
    """The language most of the speech was in (by duration)."""
    spoken: dict[str, float] = {}
    for s in segments:
        if s.language:
            spoken[s.language] = spoken.get(s.language, 0.0) + max(0.0, s.end - s.start)
    return max(spoken, key=lambda code: spoken[code]) if spoken else ""


def _segment(index: int, start: float, end: float, text: str) -> dict[str, Any]:
    # Whisper's own fields; the engine keeps no token ids or probabilities per segment
    return {"id": index, "seek": 0, "start": round(start, 3), "end": round(end, 3), "text": " " + text.strip(),
            "tokens": [], "temperature": 0.0, "avg_logprob": 0.0, "compression_ratio": 0.0, "no_speech_prob": 0.0}
