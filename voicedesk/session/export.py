"""Export a session to SRT, WebVTT, plain text or JSON, written atomically.

SRT is composed with the `srt` library and WebVTT with `webvtt-py`, both from the same
readable cues (`cues.py`). Translations belong to whole sentences (a sentence said with pauses
is several segments), so translated and bilingual output is aligned by sentence: one block per
sentence, its source text with its translation. Source-only subtitles stay one block per segment,
so cue times follow each utterance and nothing is shown during a pause inside a sentence. TXT
has one sentence per line. JSON is the structured format documented in `JSON_FORMAT` below,
re-loadable with `segments_from_json`.
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

from voicedesk.i18n import translate
from voicedesk.session.atomicfile import write_atomic, write_failure_reason
from voicedesk.session.cues import CueBlock, CueRules, layout_cues, normalize_text
from voicedesk.session.transcript import Segment, Sentence, Session, SessionSnapshot, group_sentences

SOURCE_CUE_JOIN_GAP_S = 0.4      # segments further apart than this keep cues of their own (nothing shown in a pause)

FORMATS = ("srt", "vtt", "txt", "json")
CONTENTS = ("source", "translation", "both")

JSON_FORMAT = "voicedesk-transcript"
JSON_VERSION = 2
"""JSON layout, version 2 (times in seconds, rounded to milliseconds)::

    {"format": "voicedesk-transcript", "version": 2, "content": "source|translation|both",
     "segments": [{"id": 0, "sentence_id": 0, "start": 0.0, "end": 2.5, "text": "...",
                   "language": "en", "translation": "..." | null,
                   "translation_language": "es" | null, "translation_engine": "argos" | null}, ...],
     "sentences": [{"id": 0, "segment_ids": [0, 1], "start": 0.0, "end": 4.1, "text": "...",
                    "language": "en", "translation": "..." | null,
                    "translation_language": "es" | null, "translation_engine": "argos" | null}, ...]}

A segment is one utterance; `sentence_id` is the id of its sentence's first segment (the anchor).
A sentence's translation is written on the sentence and on its anchor segment only; the other
segments of the sentence have null translation fields. `sentences` is derived from `segments`
(their texts joined with single spaces) for readers that want whole lines; `segments_from_json`
reads `segments` alone. `translation_engine` is "whisper", "argos", "whisper+argos" or
"identity" (null when unknown).

Segments and sentences also say `"edited": true` when the reader changed them, `"typed": true` for
a line typed rather than heard, and `"translation_outdated": true` when the translation was made
from text since edited (additive fields within version 2: absent means false). In SRT, VTT and TXT
a typed line reads "[typed] ..." and an outdated translation "[outdated] ...".

`content` "source" writes everything with translation fields null; "translation" writes only
translated sentences (and their segments); "both" writes everything with whatever translation
it has.

Version 1 had `segments` only, without `sentence_id` and `translation_engine`: every segment
was its own sentence. `segments_from_json` reads both versions.
"""
READABLE_JSON_VERSIONS = (1, 2)

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
    """Segments read back from this module's JSON export, version 1 or 2 (for `Session.from_segments`)."""
    try:
        data = json.loads(text)
        if data.get("format") != JSON_FORMAT:
            raise ValueError("not a voicedesk transcript")
        if data.get("version") not in READABLE_JSON_VERSIONS:
            raise ValueError(f"unsupported version {data.get('version')!r}")
        return [_segment_from_json(item) for item in data["segments"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(translate("Export", "Not a readable voicedesk transcript: {reason}.").format(
            reason=exc)) from exc


def _segment_from_json(item: dict[str, Any]) -> Segment:
    # Version 1 items have no sentence_id (each its own sentence) and no translation_engine.
    return Segment(
        segment_id=int(item["id"]),
        start=float(item["start"]),
        end=float(item["end"]),
        text=str(item["text"]),
        language=str(item["language"]),
        translation=item.get("translation"),
        translation_language=item.get("translation_language"),
        sentence_id=int(item.get("sentence_id", -1)),
        translation_engine=item.get("translation_engine"),
        edited=bool(item.get("edited", False)),
        typed=bool(item.get("typed", False)),
        translation_outdated=bool(item.get("translation_outdated", False)) and item.get("translation") is not None,
    )


def _segments_of(source: SessionLike) -> list[Segment]:
    if isinstance(source, Session):
        return source.segments()
    if isinstance(source, SessionSnapshot):
        return list(source.segments)
    return sorted(source, key=lambda s: (s.start, s.segment_id))


TYPED_MARK = "[typed] "
OUTDATED_MARK = "[outdated] "


def _texts(text: str, translation: Optional[str], content: str, line: Union[Segment, Sentence, None] = None
           ) -> tuple[str, ...]:
    """What a line shows for `content`; empty when it shows nothing (no translation yet).

    `line` marks a typed line and an outdated translation (see JSON_FORMAT)."""
    source = normalize_text(text)
    translated = normalize_text(translation or "")
    if line is not None and line.typed and source:
        source = TYPED_MARK + source
    if line is not None and line.translation_outdated and translated:
        translated = OUTDATED_MARK + translated
    if content == "source":
        return (source,) if source else ()
    if content == "translation":
        return (translated,) if translated else ()
    return tuple(t for t in (source, translated) if t)


def _blocks(segments: list[Segment], content: str, rules: CueRules = CueRules()) -> list[CueBlock]:
    """One cue block per sentence, or per segment for source-only subtitles (see the module doc)."""
    if content == "source":
        spans = _source_spans(segments, rules)
    else:
        spans = [(s.start, s.end, _texts(s.text, s.translation, content, s)) for s in group_sentences(segments)]
    return [CueBlock(start, end, texts) for start, end, texts in spans if texts]


def _source_spans(segments: list[Segment], rules: CueRules) -> list[tuple[float, float, tuple[str, ...]]]:
    """Source-only cue spans: one per segment, with the short segments of one sentence joined.

    In continuous speech a segment is a phrase (the words committed at once), too short for a cue of
    its own; consecutive segments of a sentence share a cue while they fit in one and follow without
    a pause, so cue times still fall on segment boundaries.
    """
    spans: list[tuple[float, float, tuple[str, ...]]] = []
    last_sentence: Optional[int] = None
    for segment in segments:
        texts = _texts(segment.text, None, "source", segment)
        if not texts:
            continue
        if spans and segment.sentence_id == last_sentence:
            start, end, (text,) = spans[-1]
            joined = f"{text} {texts[0]}"
            if (len(joined) <= rules.max_chars_per_line * rules.max_lines and segment.end - start <= rules.max_duration
                    and segment.start - end <= SOURCE_CUE_JOIN_GAP_S):
                spans[-1] = (start, segment.end, (joined,))
                continue
        spans.append((segment.start, segment.end, texts))
        last_sentence = segment.sentence_id
    return spans


def _render_srt(segments: list[Segment], content: str, rules: CueRules) -> str:
    cues = layout_cues(_blocks(segments, content, rules), rules)
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
    cues = layout_cues(_blocks(segments, content, rules), rules)
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
    for sentence in group_sentences(segments):
        texts = _texts(sentence.text, sentence.translation, content, sentence)
        if not texts:
            continue
        if timestamps:
            stamp = f"[{_clock(sentence.start)}] "
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
    sentences = group_sentences(segments)
    if content == "translation":
        sentences = [s for s in sentences if s.translation]
    kept = {i for sentence in sentences for i in sentence.segment_ids}
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "content": content,
        "segments": [_segment_json(s, content) for s in segments if s.segment_id in kept],
        "sentences": [_sentence_json(s, content) for s in sentences],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _segment_json(segment: Segment, content: str) -> dict[str, Any]:
    return {
        "id": segment.segment_id,
        "sentence_id": segment.sentence_id,
        "start": round(segment.start, 3),
        "end": round(segment.end, 3),
        "text": segment.text.strip(),
        "language": segment.language,
        **_translation_json(segment.translation, segment.translation_language, segment.translation_engine, content),
        **_marks_json(segment, content),
    }


def _sentence_json(sentence: Sentence, content: str) -> dict[str, Any]:
    return {
        "id": sentence.sentence_id,
        "segment_ids": list(sentence.segment_ids),
        "start": round(sentence.start, 3),
        "end": round(sentence.end, 3),
        "text": sentence.text,
        "language": sentence.language,
        **_translation_json(sentence.translation, sentence.translation_language, sentence.translation_engine,
                            content),
        **_marks_json(sentence, content),
    }


def _marks_json(line: Union[Segment, Sentence], content: str) -> dict[str, Any]:
    """The edit marks that are set (absent ones read as false, so untouched transcripts stay as they were)."""
    marks = {"edited": line.edited, "typed": line.typed,
             "translation_outdated": line.translation_outdated and content != "source" and bool(line.translation)}
    return {name: True for name, value in marks.items() if value}


def _translation_json(text: Optional[str], language: Optional[str], engine: Optional[str],
                      content: str) -> dict[str, Any]:
    keep = content != "source" and bool(text)
    return {
        "translation": (text or "").strip() if keep else None,
        "translation_language": language if keep else None,
        "translation_engine": engine if keep else None,
    }


def _check_target(path: Path) -> None:
    """Catch the common mistakes up front, with messages clearer than the OS's."""
    if path.is_dir():
        raise ExportError(translate("Export", "Cannot export to '{path}': it is a folder, not a file.").format(
            path=path))
    if not path.parent.is_dir():
        raise ExportError(translate("Export", "Cannot export to '{path}': the folder '{folder}' does not "
                                    "exist.").format(
            path=path, folder=path.parent))


def _describe_os_error(path: Path, exc: OSError) -> str:
    return translate("Export", "Cannot export to '{path}': {reason}.").format(
        path=path, reason=write_failure_reason(exc))
