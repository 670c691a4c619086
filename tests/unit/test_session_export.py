"""Export to SRT/VTT/TXT/JSON, read back with the real parsers, and the failures a user can meet.

The disk failures are real: a read-only tmpfs mount, a 64 KiB tmpfs that fills up, and a
folder that an unprivileged user may not write (root ignores permission bits, so that case
runs the export in a child process that has dropped to the `nobody` user).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import srt
import webvtt
from testkit.speech import speech_dir
from testkit.subtitles import assert_valid_cues, parse_srt, parse_subtitle_file, parse_vtt

from voicedesk.engine.events import FinalSegment, Translation
from voicedesk.session.export import (
    ExportError,
    export,
    format_from_path,
    render,
    segments_from_json,
)
from voicedesk.session.transcript import Segment, Session

SPEECH_DIR = speech_dir()


def reference_texts() -> dict[str, str]:
    clips = json.loads((SPEECH_DIR / "manifest.json").read_text(encoding="utf-8"))["clips"]
    return {clip["file"]: clip["reference"] for clip in clips}


@pytest.fixture(scope="module")
def session() -> Session:
    """A session as the engine would fill it: real reference transcripts, some translated."""
    refs = reference_texts()
    session = Session()
    events = [
        Translation(1, "Así que, compatriotas: no preguntéis qué puede hacer vuestro país por vosotros.",
                    "en", "es"),  # overtakes its segment
        FinalSegment(0, refs["quilter_en.wav"], 0.0, 5.8, "en"),
        FinalSegment(1, refs["jfk_en.flac"], 6.2, 11.0, "en"),
        FinalSegment(2, refs["arenas_es.wav"], 11.5, 15.0, "es"),
        FinalSegment(3, refs["multilingual.mp3"], 15.0, 55.0, "en"),  # a 40 s monologue
        Translation(0, "El señor Quilter es el apóstol de las clases medias.", "en", "es"),
        Translation(3, "Hiermit wird unentgeltlich jeder Person, die eine Kopie der Software erhält, "
                       "die Erlaubnis erteilt, uneingeschränkt mit der Software zu handeln.", "en", "de"),
    ]
    for event in events:
        session.apply(event)
    return session


def words_of(cues) -> list[str]:
    return " ".join(line for cue in cues for line in cue.lines).split()


def source_words(session: Session) -> list[str]:
    return " ".join(s.text for s in session.segments()).split()


def parse_subtitle_file_text(text: str, fmt: str):
    return parse_srt(text) if fmt == "srt" else parse_vtt(text)


@pytest.mark.parametrize("fmt, parse", [("srt", parse_srt), ("vtt", parse_vtt)])
def test_subtitles_round_trip_through_their_parser_with_every_word(session, fmt, parse):
    cues = parse(render(session, fmt, "source"))

    assert_valid_cues(cues)
    assert words_of(cues) == source_words(session)
    assert cues[0].start == 0.0
    assert cues[-1].end == 55.0
    assert len(cues) > len(session)  # the monologue had to be split


def test_srt_file_is_read_back_by_the_srt_library(session, tmp_path):
    path = export(session, tmp_path / "talk.srt", "srt", "source")

    subtitles = list(srt.parse(path.read_text(encoding="utf-8")))
    assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1))
    assert " ".join(s.content for s in subtitles).split() == source_words(session)


def test_vtt_file_is_read_back_by_webvtt(session, tmp_path):
    path = export(session, tmp_path / "talk.vtt", None, "source")  # format from the suffix

    captions = webvtt.read(str(path)).captions
    assert len(captions) == len(parse_vtt(path.read_text(encoding="utf-8")))
    assert " ".join(c.text for c in captions).split() == source_words(session)


def test_vtt_escapes_markup_characters_in_the_text():
    segments = [Segment(0, 0.0, 2.0, "a < b & c --> d", "en")]
    text = render(segments, "vtt")

    assert [line for line in text.splitlines() if "-->" in line] == ["00:00:00.000 --> 00:00:02.000"]
    (cue,) = parse_vtt(text)
    assert cue.lines == ("a < b & c --> d",)


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_bilingual_cues_hold_the_source_line_then_the_translation_line(session, fmt):
    cues = parse_subtitle_file_text(render(session, fmt, "both"), fmt)
    assert_valid_cues(cues)

    jfk = session.segment(1)
    jfk_cues = [c for c in cues if jfk.start <= c.start < jfk.end]
    assert len(jfk_cues) >= 2  # 100 chars of source and 80 of translation: one line each
    assert all(len(c.lines) == 2 for c in jfk_cues)
    assert " ".join(c.lines[0] for c in jfk_cues).split() == jfk.text.split()
    assert " ".join(c.lines[1] for c in jfk_cues).split() == jfk.translation.split()

    # the Spanish clip has no translation yet: its source is shown alone
    arenas = session.segment(2)
    arenas_cues = [c for c in cues if arenas.start <= c.start < arenas.end]
    assert words_of(arenas_cues) == arenas.text.split()


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_translation_mode_skips_segments_not_translated_yet(session, fmt):
    cues = parse_subtitle_file_text(render(session, fmt, "translation"), fmt)

    assert_valid_cues(cues)
    translated = [s.translation for s in session.segments() if s.translation]
    assert words_of(cues) == " ".join(translated).split()


def test_txt_has_one_sentence_per_line(session):
    text = render(session, "txt", "source")

    assert text.splitlines() == [s.text for s in session.segments()]


def test_txt_timestamps_prefix_each_line_with_its_start(session):
    lines = render(session, "txt", "source", timestamps=True).splitlines()

    assert lines[1] == "[00:00:06] " + session.segment(1).text
    assert lines[3].startswith("[00:00:15] Permission is hereby granted")


def test_txt_both_puts_each_translation_under_its_source(session):
    blocks = render(session, "txt", "both").strip("\n").split("\n\n")

    assert blocks[0].splitlines() == [session.segment(0).text, session.segment(0).translation]
    assert blocks[2].splitlines() == [session.segment(2).text]  # untranslated: source alone


def test_json_round_trips_to_an_equal_session(session, tmp_path):
    path = export(session, tmp_path / "talk.json", "json", "both")
    document = json.loads(path.read_text(encoding="utf-8"))

    assert document["format"] == "voicedesk-transcript"
    assert document["version"] == 2
    assert set(document["segments"][0]) == {
        "id", "sentence_id", "start", "end", "text", "language",
        "translation", "translation_language", "translation_engine",
    }
    assert set(document["sentences"][0]) == {
        "id", "segment_ids", "start", "end", "text", "language",
        "translation", "translation_language", "translation_engine",
    }
    reloaded = Session.from_segments(segments_from_json(path.read_text(encoding="utf-8")))
    assert reloaded.segments() == session.segments()


def test_json_content_modes_filter_translations(session):
    source_only = json.loads(render(session, "json", "source"))["segments"]
    translated_only = json.loads(render(session, "json", "translation"))["segments"]

    assert len(source_only) == len(session)
    assert all(item["translation"] is None for item in source_only)
    assert [item["id"] for item in translated_only] == [0, 1, 3]


@pytest.mark.parametrize("fmt", ["srt", "vtt", "txt", "json"])
def test_an_empty_session_exports_a_valid_empty_file(tmp_path, fmt):
    path = export(Session(), tmp_path / f"empty.{fmt}", fmt, "both")
    text = path.read_text(encoding="utf-8")

    if fmt == "srt":
        assert list(srt.parse(text)) == []
    elif fmt == "vtt":
        assert webvtt.read(str(path)).captions == []
    elif fmt == "json":
        assert json.loads(text)["segments"] == []
    else:
        assert text == ""


def test_non_ascii_path_and_text_are_written_as_utf8(tmp_path):
    folder = tmp_path / "Übersetzung – 字幕"
    folder.mkdir()
    segments = [Segment(0, 0.0, 3.0, "日本語の字幕です。", "ja", "¿Qué tal? Ça va — ñandú 🎙", "es")]

    path = export(segments, folder / "sesión 🎙.srt", "srt", "both")

    assert path.exists()
    (cue,) = parse_subtitle_file(path)
    assert cue.lines == ("日本語の字幕です。", "¿Qué tal? Ça va — ñandú 🎙")


def test_export_replaces_an_existing_file_and_keeps_its_permissions(session, tmp_path):
    path = tmp_path / "talk.txt"
    path.write_text("old contents\n", encoding="utf-8")
    path.chmod(0o640)

    export(session, path, "txt")

    assert path.read_text(encoding="utf-8").splitlines()[0] == session.segment(0).text
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["talk.txt"]  # no temporary file left behind


def test_missing_folder_gives_a_clear_error(session, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export(session, tmp_path / "no such folder" / "talk.srt", "srt")


def test_a_folder_as_target_gives_a_clear_error(session, tmp_path):
    (tmp_path / "looks like a file.srt").mkdir()
    with pytest.raises(ExportError, match="it is a folder"):
        export(session, tmp_path / "looks like a file.srt", "srt")


def test_unknown_format_and_content_give_clear_errors(session, tmp_path):
    with pytest.raises(ExportError, match="Unknown export format 'docx'"):
        render(session, "docx")
    with pytest.raises(ExportError, match="Unknown export content 'subtitles'"):
        render(session, "srt", "subtitles")
    with pytest.raises(ExportError, match="Cannot tell the export format"):
        export(session, tmp_path / "talk.doc")
    assert not (tmp_path / "talk.doc").exists()


def test_format_is_taken_from_the_suffix():
    assert [format_from_path(p) for p in ("a.SRT", "b.vtt", "c.txt", "/x/d.json")] == [
        "srt", "vtt", "txt", "json"
    ]


# --- real disk failures ----------------------------------------------------------------


def mount_tmpfs(folder: Path, options: str) -> None:
    folder.mkdir(exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True
    )
    if result.returncode != 0:
        # Needs root with CAP_SYS_ADMIN (true on the dev machines and CI here); say why if not.
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 64 KiB file system that a long session cannot fit on."""
    folder = tmp_path / "tiny"
    mount_tmpfs(folder, "size=64k")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only_disk(tmp_path):
    """A real read-only file system holding one earlier export."""
    folder = tmp_path / "ro"
    mount_tmpfs(folder, "size=64k")
    (folder / "talk.srt").write_text("earlier export\n", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def big_session(size_bytes: int) -> list[Segment]:
    line = "Mr. Quilter is the apostle of the middle classes and we are glad to welcome his gospel."
    count = size_bytes // len(line) + 1
    return [Segment(i, i * 6.0, i * 6.0 + 5.0, line, "en") for i in range(count)]


def test_a_full_disk_fails_cleanly_and_keeps_the_earlier_file(tiny_disk):
    target = tiny_disk / "talk.txt"
    target.write_text("earlier export\n", encoding="utf-8")

    with pytest.raises(ExportError, match="the disk is full") as caught:
        export(big_session(128 * 1024), target, "txt")

    assert str(target) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert target.read_text(encoding="utf-8") == "earlier export\n"
    assert os.listdir(tiny_disk) == ["talk.txt"]  # the partial temporary file is gone


def test_a_read_only_disk_fails_cleanly_and_keeps_the_earlier_file(read_only_disk, session):
    target = read_only_disk / "talk.srt"

    with pytest.raises(ExportError, match="read-only"):
        export(session, target, "srt")

    assert target.read_text(encoding="utf-8") == "earlier export\n"


CHILD_EXPORT = """
import sys
from voicedesk.session.export import ExportError, export
from voicedesk.session.transcript import Segment
try:
    export([Segment(0, 0.0, 1.0, "hello", "en")], sys.argv[1], "srt")
except ExportError as exc:
    print("ExportError:", exc)
else:
    print("written")
"""


def test_a_folder_the_user_may_not_write_fails_with_permission_denied(tmp_path):
    folder = tmp_path / "not writable"
    folder.mkdir()
    (folder / "talk.srt").write_text("earlier export\n", encoding="utf-8")
    folder.chmod(0o555)  # readable and enterable, not writable
    command = [sys.executable, "-c", CHILD_EXPORT, str(folder / "talk.srt")]
    if os.geteuid() == 0:
        # Root's capability to override permission bits is what makes them bind nobody here;
        # the child drops it (util-linux setpriv) and so meets the bits as any user would.
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] + command
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ExportError:"), result.stdout
    assert "permission denied" in result.stdout
    assert (folder / "talk.srt").read_text(encoding="utf-8") == "earlier export\n"


# --- sentences said with pauses (schema 2) -----------------------------------------------


PARTS = [" Ask not", " what your country", " can do for you."]
SOURCE = "Ask not what your country can do for you."
TRANSLATED = "Frag nicht, was dein Land für dich tut."


def paused_session(parts: list[str], translated: str) -> Session:
    """A sentence said in three utterances (2 s to 7 s) and translated once, between two one-part sentences."""
    session = Session()
    times = [(2.0, 3.0), (3.8, 5.0), (5.6, 7.0)]
    events = [FinalSegment(0, " Good evening.", 0.0, 1.0, "en")]
    events += [FinalSegment(1 + i, text, start, end, "en", sentence_id=1)
               for i, (text, (start, end)) in enumerate(zip(parts, times))]
    events += [Translation(1, translated, "en", "de", 2.0, 7.0, segment_ids=(1, 2, 3), engine="argos"),
               FinalSegment(4, " Thank you.", 8.0, 9.0, "en")]
    for event in events:
        session.apply(event)
    return session


@pytest.fixture
def paused() -> Session:
    return paused_session(PARTS, TRANSLATED)


@pytest.mark.parametrize("content", ["source", "translation", "both"])
def test_txt_writes_a_sentence_said_with_pauses_on_one_line(paused, content):
    lines = render(paused, "txt", content).splitlines()

    if content == "source":
        assert lines == ["Good evening.", SOURCE, "Thank you."]
    elif content == "translation":
        assert lines == [TRANSLATED]
    else:
        assert lines == ["Good evening.", "", SOURCE, TRANSLATED, "", "Thank you."]


def test_txt_timestamps_stamp_each_sentence_with_its_start(paused):
    lines = render(paused, "txt", "source", timestamps=True).splitlines()

    assert lines[1] == "[00:00:02] " + SOURCE


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_a_bilingual_subtitle_shows_the_translation_with_the_whole_source_sentence(paused, fmt, tmp_path):
    path = export(paused, tmp_path / f"talk.{fmt}", fmt, "both")
    cues = parse_subtitle_file(path)

    assert_valid_cues(cues)
    assert [c.lines for c in cues] == [("Good evening.",), (SOURCE, TRANSLATED), ("Thank you.",)]
    assert (cues[1].start, cues[1].end) == (2.0, 7.0)


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_bilingual_cues_of_a_long_sentence_keep_its_translation_in_the_same_cues(fmt):
    parts = [" And so, my fellow Americans,", " ask not what your country can do for you,",
             " ask what you can do for your country."]
    translated = ("Und so, meine amerikanischen Mitbürger, fragt nicht, was euer Land für euch tun kann, "
                  "fragt, was ihr für euer Land tun könnt.")
    cues = parse_subtitle_file_text(render(paused_session(parts, translated), fmt, "both"), fmt)
    assert_valid_cues(cues)

    sentence = [c for c in cues if 2.0 <= c.start < 7.0]
    assert len(sentence) >= 2  # too long for one readable cue at 42 characters a line
    assert all(len(c.lines) == 2 for c in sentence)
    assert " ".join(c.lines[0] for c in sentence).split() == " ".join(parts).split()
    assert " ".join(c.lines[1] for c in sentence).split() == translated.split()


def test_translation_subtitles_span_the_whole_sentence(paused):
    [cue] = parse_srt(render(paused, "srt", "translation"))

    assert cue.lines == (TRANSLATED,)
    assert (cue.start, cue.end) == (2.0, 7.0)


def test_source_subtitles_follow_each_utterance_so_pauses_show_no_text(paused):
    cues = parse_srt(render(paused, "srt", "source"))

    assert [c.lines for c in cues] == [("Good evening.",)] + [(p.strip(),) for p in PARTS] + [("Thank you.",)]
    assert [(c.start, c.end) for c in cues[1:4]] == [(2.0, 3.0), (3.8, 5.0), (5.6, 7.0)]


def test_source_subtitles_join_the_phrases_of_continuous_speech_into_readable_cues():
    # continuous speech: a final per commit, a few words each, no pause between them
    phrases = [" The committee met", " on Thursday to discuss", " the budget for next year.", " Several members",
               " argued that the money", " for road repairs should be doubled."]
    session = Session()
    t = 0.0
    for i, text in enumerate(phrases):
        session.apply(FinalSegment(i, text, t, t + 1.0, "en", sentence_id=0 if i < 3 else 3))
        t += 1.05
    cues = parse_srt(render(session, "srt", "source"))

    assert_valid_cues(cues)
    assert [" ".join(c.lines) for c in cues] == [
        "The committee met on Thursday to discuss the budget for next year.",
        "Several members argued that the money for road repairs should be doubled."]
    assert (cues[0].start, cues[0].end) == (0.0, 3.1)      # from the first phrase's start to the third's end


def test_json_has_sentences_and_the_translation_only_on_the_sentence_first_segment(paused):
    document = json.loads(render(paused, "json", "both"))

    assert [(s["id"], s["sentence_id"], s["translation"]) for s in document["segments"]] == [
        (0, 0, None), (1, 1, TRANSLATED), (2, 1, None), (3, 1, None), (4, 4, None)]
    assert document["sentences"][1] == {
        "id": 1, "segment_ids": [1, 2, 3], "start": 2.0, "end": 7.0, "text": SOURCE, "language": "en",
        "translation": TRANSLATED, "translation_language": "de", "translation_engine": "argos",
    }
    assert [s["text"] for s in document["sentences"]] == ["Good evening.", SOURCE, "Thank you."]


def test_json_translation_content_keeps_whole_translated_sentences(paused):
    document = json.loads(render(paused, "json", "translation"))

    assert [s["id"] for s in document["segments"]] == [1, 2, 3]
    assert [s["id"] for s in document["sentences"]] == [1]
    source_only = json.loads(render(paused, "json", "source"))
    assert all(s["translation"] is None and s["translation_engine"] is None
               for s in source_only["segments"] + source_only["sentences"])


def test_json_version_2_reloads_the_sentences(paused, tmp_path):
    path = export(paused, tmp_path / "talk.json", "json", "both")

    reloaded = Session.from_segments(segments_from_json(path.read_text(encoding="utf-8")))

    assert reloaded.segments() == [replace(s, text=s.text.strip()) for s in paused.segments()]
    assert [s.segment_ids for s in reloaded.sentences()] == [(0,), (1, 2, 3), (4,)]
    assert reloaded.sentences()[1].translation_engine == "argos"


VERSION_1_JSON = """{
  "format": "voicedesk-transcript",
  "version": 1,
  "content": "both",
  "segments": [
    {"id": 0, "start": 0.0, "end": 3.0, "text": "Ask not what your country can do for you.", "language": "en",
     "translation": "No preguntes qué puede hacer tu país por ti.", "translation_language": "es"},
    {"id": 1, "start": 4.0, "end": 7.5, "text": "Mr. Quilter is the apostle of the middle classes.",
     "language": "en", "translation": null, "translation_language": null}
  ]
}
"""


def test_json_version_1_still_reloads_one_sentence_per_segment():
    segments = segments_from_json(VERSION_1_JSON)

    assert segments == [
        Segment(0, 0.0, 3.0, "Ask not what your country can do for you.", "en",
                "No preguntes qué puede hacer tu país por ti.", "es", sentence_id=0, translation_engine=None),
        Segment(1, 4.0, 7.5, "Mr. Quilter is the apostle of the middle classes.", "en"),
    ]
    assert [s.sentence_id for s in Session.from_segments(segments).sentences()] == [0, 1]


def test_json_of_an_unknown_version_is_refused_with_a_clear_error():
    with pytest.raises(ExportError, match="unsupported version 3"):
        segments_from_json(VERSION_1_JSON.replace('"version": 1', '"version": 3'))
