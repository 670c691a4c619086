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
from voicedesk.session.edits import speaker_number, speech_stretches
from voicedesk.session.cues import Cue, CueBlock, CueRules, layout_cues, normalize_text
from voicedesk.session.speakers import SpeakerBook, SpeakerNames, default_name, speaker_name
from voicedesk.session.transcript import Segment, Sentence, Session, SessionSnapshot, group_sentences

SOURCE_CUE_JOIN_GAP_S = 0.4      # segments further apart than this keep cues of their own (nothing shown in a pause)

FORMATS = ("srt", "vtt", "txt", "json", "rttm")
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

With speaker labels, segments and sentences also carry `"speaker": 2` (the speaker's number) and
`"speaker_name": "Ana"` (additive within version 2). TXT and SRT start a line with "Ana: " where the
speaker changes, WebVTT marks every cue with a voice span (`<v Ana>`), and RTTM (the format diarization
tools exchange) writes one SPEAKER line per turn. A segment that holds a pause also says where it was spoken,
`"speech": [[start, end], ...]` (additive within version 2; absent means speech throughout), so the turns of a
transcript read back leave its pauses out as the live session's do.

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
    speakers: Optional[SpeakerNames] = None,
) -> Path:
    """Write the session to `path` in `fmt` (default: from the file's suffix); returns the path.

    The file is replaced atomically: on any failure an existing file keeps its old contents.
    """
    path = Path(path)
    fmt = fmt if fmt is not None else format_from_path(path)
    text = render(source, fmt, content, timestamps=timestamps, rules=rules, speakers=speakers,
                  name=path.stem)
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
    speakers: Optional[SpeakerNames] = None,
    name: str = "session",
) -> str:
    """The exported text, without writing it (`timestamps` applies to TXT only).

    Segments with a speaker number are labelled with the speaker's name (`speakers`: names to use instead of
    the session's own; "Speaker N" for the others); `name` is the recording's name in RTTM."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}': choose one of {', '.join(FORMATS)}.")
    if content not in CONTENTS:
        raise ExportError(
            f"Unknown export content '{content}': choose one of {', '.join(CONTENTS)}."
        )
    segments = _segments_of(source)
    names = dict(speakers) if speakers is not None else _speaker_names_of(source)
    if fmt == "srt":
        return _render_srt(segments, content, rules, names)
    if fmt == "vtt":
        return _render_vtt(segments, content, rules, names)
    if fmt == "txt":
        return _render_txt(segments, content, timestamps, names)
    if fmt == "rttm":
        return _render_rttm(segments, name, names)
    return _render_json(segments, content, names)


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


def speaker_book_from_json(text: str) -> SpeakerBook:
    """The speaker names a JSON export carries (those other than the default "Speaker N"); empty when none."""
    try:
        items = json.loads(text).get("segments") or []
    except (ValueError, AttributeError):
        return SpeakerBook()
    book = SpeakerBook()
    for item in items if isinstance(items, list) else []:
        number = speaker_number(item.get("speaker")) if isinstance(item, dict) else None
        name = str(item.get("speaker_name") or "").strip() if number is not None else ""
        if number is not None and name and name not in (default_name(number), f"Speaker {number}"):
            book = book.renamed(number, name)
    return book


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
        speaker=speaker_number(item.get("speaker")),
        speech=speech_stretches(item.get("speech")),
    )


def _speaker_names_of(source: SessionLike) -> dict[int, str]:
    """The names the user gave speakers in the session (none for plain segments)."""
    if isinstance(source, (Session, SessionSnapshot)):
        return source.speakers.name_map
    return {}


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


def _blocks(segments: list[Segment], content: str, rules: CueRules, names: SpeakerNames) -> list[CueBlock]:
    """One cue block per sentence, or per segment for source-only subtitles (see the module doc)."""
    if content == "source":
        spans = _source_spans(segments, rules)
    else:
        spans = [(s.start, s.end, _texts(s.text, s.translation, content, s), s.speaker)
                 for s in group_sentences(segments)]
    return [CueBlock(start, end, texts, speaker_name(speaker, names)) for start, end, texts, speaker in spans if texts]


def _source_spans(segments: list[Segment], rules: CueRules
                  ) -> list[tuple[float, float, tuple[str, ...], Optional[int]]]:
    """Source-only cue spans: one per segment, with the short segments of one sentence joined.

    In continuous speech a segment is a phrase (the words committed at once), too short for a cue of
    its own; consecutive segments of a sentence share a cue while they fit in one and follow without
    a pause, so cue times still fall on segment boundaries.
    """
    spans: list[tuple[float, float, tuple[str, ...], Optional[int]]] = []
    last_sentence: Optional[int] = None
    for segment in segments:
        texts = _texts(segment.text, None, "source", segment)
        if not texts:
            continue
        if spans and segment.sentence_id == last_sentence and segment.speaker == spans[-1][3]:
            start, end, (text,), speaker = spans[-1]
            joined = f"{text} {texts[0]}"
            if (len(joined) <= rules.max_chars_per_line * rules.max_lines and segment.end - start <= rules.max_duration
                    and segment.start - end <= SOURCE_CUE_JOIN_GAP_S):
                spans[-1] = (start, segment.end, (joined,), speaker)
                continue
        spans.append((segment.start, segment.end, texts, segment.speaker))
        last_sentence = segment.sentence_id
    return spans


def _render_srt(segments: list[Segment], content: str, rules: CueRules, names: SpeakerNames) -> str:
    cues = layout_cues(_blocks(segments, content, rules, names), rules)
    subtitles = [
        srt.Subtitle(
            index=i,
            start=datetime.timedelta(milliseconds=cue.start_ms),
            end=datetime.timedelta(milliseconds=cue.end_ms),
            content=_said_by(cue.speaker, cue.text, _new_speaker(cues, i - 1)),
        )
        for i, cue in enumerate(cues, start=1)
    ]
    return srt.compose(subtitles, reindex=True, start_index=1)


def _render_vtt(segments: list[Segment], content: str, rules: CueRules, names: SpeakerNames) -> str:
    cues = layout_cues(_blocks(segments, content, rules, names), rules)
    captions = [
        webvtt.Caption(
            start=_vtt_time(cue.start_ms),
            end=_vtt_time(cue.end_ms),
            # Cue text is markup: a literal "<" or "&" must be escaped, which also defuses "-->".
            text=_voice_span(cue.speaker, [html.escape(line, quote=False) for line in cue.lines]),
            identifier=str(i),
        )
        for i, cue in enumerate(cues, start=1)
    ]
    return webvtt.WebVTT(captions=captions).content


def _new_speaker(cues: list[Cue], index: int) -> bool:
    """Whether cue `index` starts another speaker's turn (the first labelled cue does)."""
    return index == 0 or cues[index - 1].speaker != cues[index].speaker


def _said_by(name: Optional[str], text: str, changed: bool) -> str:
    """`text` with "Name: " before it where the speaker changes (TXT, SRT)."""
    return f"{name}: {text}" if name and changed else text


def _voice_span(name: Optional[str], lines: list[str]) -> list[str]:
    """WebVTT's voice span on every line of a cue: `<v Ana>` (the name cannot hold markup)."""
    if not name or not lines:
        return lines
    voice = html.escape(name.replace(">", " "), quote=False)
    return [f"<v {voice}>{line}" for line in lines]


def _vtt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _render_txt(segments: list[Segment], content: str, timestamps: bool, names: SpeakerNames) -> str:
    entries = []
    last_speaker: Optional[str] = None
    for sentence in group_sentences(segments):
        texts = _texts(sentence.text, sentence.translation, content, sentence)
        if not texts:
            continue
        speaker = speaker_name(sentence.speaker, names)
        texts = (_said_by(speaker, texts[0], speaker != last_speaker),) + texts[1:]
        last_speaker = speaker
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


def _render_rttm(segments: list[Segment], name: str, names: SpeakerNames) -> str:
    """RTTM: one SPEAKER line per turn (consecutive speech of one speaker), times in seconds.

    A line's pauses are left out where the engine heard them (`Segment.speech`), as diarization references do."""
    turns: list[list] = []
    for segment in segments:
        if segment.speaker is None or not segment.text.strip():
            continue
        for start, end in _speech_of(segment):
            if turns and turns[-1][2] == segment.speaker and start - turns[-1][1] <= SOURCE_CUE_JOIN_GAP_S:
                turns[-1][1] = max(turns[-1][1], end)
            else:
                turns.append([start, end, segment.speaker])
    if not turns:
        raise ExportError(translate("Export", "RTTM needs speaker labels, and this transcript has none: "
                                              "transcribe with speaker labels on (--speakers)."))
    recording = "_".join(name.split()) or "session"
    return "".join(
        f"SPEAKER {recording} 1 {start:.3f} {max(end - start, 0.0):.3f} <NA> <NA> "
        f"{'_'.join(str(speaker_name(speaker, names)).split())} <NA> <NA>\n"
        for start, end, speaker in turns)


def _speech_of(segment: Segment) -> list[tuple[float, float]]:
    """Where in its span a line was spoken: its stretches of speech (within its span: an edit may have cut it), or
    the whole span when none are known."""
    inside = [(max(a, segment.start), min(b, segment.end)) for a, b in segment.speech
              if a < segment.end and b > segment.start]
    return inside or [(segment.start, segment.end)]


def _render_json(segments: list[Segment], content: str, names: SpeakerNames) -> str:
    sentences = group_sentences(segments)
    if content == "translation":
        sentences = [s for s in sentences if s.translation]
    kept = {i for sentence in sentences for i in sentence.segment_ids}
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "content": content,
        "segments": [_segment_json(s, content, names) for s in segments if s.segment_id in kept],
        "sentences": [_sentence_json(s, content, names) for s in sentences],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _segment_json(segment: Segment, content: str, names: SpeakerNames) -> dict[str, Any]:
    return {
        "id": segment.segment_id,
        "sentence_id": segment.sentence_id,
        "start": round(segment.start, 3),
        "end": round(segment.end, 3),
        "text": segment.text.strip(),
        "language": segment.language,
        **_translation_json(segment.translation, segment.translation_language, segment.translation_engine, content),
        **_marks_json(segment, content),
        **_speaker_json(segment.speaker, names),
        **({"speech": [[round(a, 3), round(b, 3)] for a, b in segment.speech]} if segment.speech else {}),
    }


def _sentence_json(sentence: Sentence, content: str, names: SpeakerNames) -> dict[str, Any]:
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
        **_speaker_json(sentence.speaker, names),
    }


def _speaker_json(speaker: Optional[int], names: SpeakerNames) -> dict[str, Any]:
    """The speaker fields when there is a speaker (absent otherwise, so transcripts without labels stay as they were)."""
    return {} if speaker is None else {"speaker": speaker, "speaker_name": str(speaker_name(speaker, names))}


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
