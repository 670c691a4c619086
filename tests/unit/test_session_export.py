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


def test_txt_has_one_segment_per_line(session):
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
    assert document["version"] == 1
    assert set(document["segments"][0]) == {
        "id", "start", "end", "text", "language", "translation", "translation_language"
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
