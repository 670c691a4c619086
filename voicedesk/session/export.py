"""Export a session to SRT, WebVTT, plain text or JSON, written atomically.

SRT is composed with the `srt` library and WebVTT with `webvtt-py`, both from the same
readable cues (`cues.py`). TXT has one segment per line. JSON is the structured format
documented in `JSON_FORMAT` below, re-loadable with `segments_from_json`.
"""

from __future__ import annotations

import datetime
import html
import json
import os
from pathlib import Path
from typing import Any, Iterable, Optional, Union

import srt
import webvtt

from voicedesk.session.atomicfile import write_atomic, write_failure_reason
from voicedesk.session.cues import CueBlock, CueRules, layout_cues, normalize_text
from voicedesk.session.transcript import Segment, Session, SessionSnapshot

FORMATS = ("srt", "vtt", "txt", "json")
CONTENTS = ("source", "translation", "both")

JSON_FORMAT = "voicedesk-transcript"
JSON_VERSION = 1
"""JSON layout, version 1 (times in seconds, rounded to milliseconds)::

    {"format": "voicedesk-transcript", "version": 1, "content": "source|translation|both",
     "segments": [{"id": 0, "start": 0.0, "end": 2.5, "text": "...", "language": "en",
                   "translation": "..." | null, "translation_language": "es" | null}, ...]}

`content` "source" writes every segment with translation fields null; "translation" writes
only translated segments; "both" writes every segment with whatever translation it has.
"""

SessionLike = Union[Session, SessionSnapshot, Iterable[Segment]]


class ExportError(Exception):
    """An export failed; the message is one line meant for the user."""


def export(
    source: SessionLike,
    path: Union[str, os.PathLike[str]],
    fmt: Optional[str] = None,
    content: str = "source",
    *,
    timestamps: bool = False,
    rules: CueRules = CueRules(),
) -> Path:
    """Write the session to `path` in `fmt` (default: from the file's suffix); returns the path.

    The file is replaced atomically: on any failure an existing file keeps its old contents.
    """
    path = Path(path)
    fmt = fmt if fmt is not None else format_from_path(path)
    text = render(source, fmt, content, timestamps=timestamps, rules=rules)
    _check_target(path)
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise ExportError(_describe_os_error(path, exc)) from exc
    return path


def render(
    source: SessionLike,
    fmt: str,
    content: str = "source",
    *,
    timestamps: bool = False,
    rules: CueRules = CueRules(),
) -> str:
    """The exported text, without writing it (`timestamps` applies to TXT only)."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}': choose one of {', '.join(FORMATS)}.")
    if content not in CONTENTS:
        raise ExportError(
            f"Unknown export content '{content}': choose one of {', '.join(CONTENTS)}."
        )
    segments = _segments_of(source)
    if fmt == "srt":
        return _render_srt(segments, content, rules)
    if fmt == "vtt":
        return _render_vtt(segments, content, rules)
    if fmt == "txt":
        return _render_txt(segments, content, timestamps)
    return _render_json(segments, content)


def format_from_path(path: Union[str, os.PathLike[str]]) -> str:
    """The export format named by a file's suffix (".srt" -> "srt")."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportError(
            f"Cannot tell the export format from '{Path(path).name}': "
            f"use a name ending in {', '.join('.' + f for f in FORMATS)}."
        )
    return suffix


def segments_from_json(text: str) -> list[Segment]:
    """Segments read back from this module's JSON export (for `Session.from_segments`)."""
    try:
        data = json.loads(text)
        if data.get("format") != JSON_FORMAT:
            raise ValueError("not a voicedesk transcript")
        if data.get("version") != JSON_VERSION:
            raise ValueError(f"unsupported version {data.get('version')!r}")
        return [
            Segment(
                segment_id=int(item["id"]),
                start=float(item["start"]),
                end=float(item["end"]),
                text=str(item["text"]),
                language=str(item["language"]),
                translation=item.get("translation"),
                translation_language=item.get("translation_language"),
            )
            for item in data["segments"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"Not a readable voicedesk transcript: {exc}.") from exc


def _segments_of(source: SessionLike) -> list[Segment]:
    if isinstance(source, Session):
        return source.segments()
    if isinstance(source, SessionSnapshot):
        return list(source.segments)
    return sorted(source, key=lambda s: (s.start, s.segment_id))


def _texts(segment: Segment, content: str) -> tuple[str, ...]:
    """What a segment shows for `content`; empty when it shows nothing (no translation yet)."""
    source = normalize_text(segment.text)
    translation = normalize_text(segment.translation or "")
    if content == "source":
        return (source,) if source else ()
    if content == "translation":
        return (translation,) if translation else ()
    return tuple(t for t in (source, translation) if t)


def _blocks(segments: list[Segment], content: str) -> list[CueBlock]:
    blocks = []
    for segment in segments:
        texts = _texts(segment, content)
        if texts:
            blocks.append(CueBlock(segment.start, segment.end, texts))
    return blocks


def _render_srt(segments: list[Segment], content: str, rules: CueRules) -> str:
    cues = layout_cues(_blocks(segments, content), rules)
    subtitles = [
        srt.Subtitle(
            index=i,
            start=datetime.timedelta(milliseconds=cue.start_ms),
            end=datetime.timedelta(milliseconds=cue.end_ms),
            content=cue.text,
        )
        for i, cue in enumerate(cues, start=1)
    ]
    return srt.compose(subtitles, reindex=True, start_index=1)


def _render_vtt(segments: list[Segment], content: str, rules: CueRules) -> str:
    cues = layout_cues(_blocks(segments, content), rules)
    captions = [
        webvtt.Caption(
            start=_vtt_time(cue.start_ms),
            end=_vtt_time(cue.end_ms),
            # Cue text is markup: a literal "<" or "&" must be escaped, which also defuses "-->".
            text=[html.escape(line, quote=False) for line in cue.lines],
            identifier=str(i),
        )
        for i, cue in enumerate(cues, start=1)
    ]
    return webvtt.WebVTT(captions=captions).content


def _vtt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _render_txt(segments: list[Segment], content: str, timestamps: bool) -> str:
    entries = []
    for segment in segments:
        texts = _texts(segment, content)
        if not texts:
            continue
        if timestamps:
            stamp = f"[{_clock(segment.start)}] "
            # The translation line lines up under the source text, not under the stamp.
            texts = (stamp + texts[0],) + tuple(" " * len(stamp) + t for t in texts[1:])
        entries.append("\n".join(texts))
    # Bilingual pairs read better with a blank line between them.
    separator = "\n\n" if content == "both" else "\n"
    return separator.join(entries) + "\n" if entries else ""


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _render_json(segments: list[Segment], content: str) -> str:
    items: list[dict[str, Any]] = []
    for segment in segments:
        has_translation = bool(segment.translation)
        if content == "translation" and not has_translation:
            continue
        keep = content != "source" and has_translation
        items.append(
            {
                "id": segment.segment_id,
                "start": round(segment.start, 3),
                "end": round(segment.end, 3),
                "text": segment.text.strip(),
                "language": segment.language,
                "translation": segment.translation.strip() if keep else None,
                "translation_language": segment.translation_language if keep else None,
            }
        )
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "content": content,
        "segments": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _check_target(path: Path) -> None:
    """Catch the common mistakes up front, with messages clearer than the OS's."""
    if path.is_dir():
        raise ExportError(f"Cannot export to '{path}': it is a folder, not a file.")
    if not path.parent.is_dir():
        raise ExportError(f"Cannot export to '{path}': the folder '{path.parent}' does not exist.")


def _describe_os_error(path: Path, exc: OSError) -> str:
    reason = write_failure_reason(exc)
    return f"Cannot export to '{path}': {reason}."
