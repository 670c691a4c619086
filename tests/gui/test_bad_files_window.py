"""File -> Open on hostile and odd files in the real window: a clear message, the transcript kept, the app usable.

The corpus is the one the CLI test builds (tests/e2e/test_bad_files.py) from a real recording; the
only stand-in is the file dialog's answer (a native dialog cannot be clicked offscreen): the test
picks each file as the user would, then the real window and engine (tiny.en) handle it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from e2e.test_bad_files import build_corpus

RUN_TIMEOUT_MS = 120_000


def _truncated_flac(folder: Path) -> Path:
    whole = (folder / "speech.flac").read_bytes()
    out = folder / "truncated.flac"
    out.write_bytes(whole[: len(whole) // 3])
    return out


def test_hostile_files_give_a_clear_message_keep_the_transcript_and_a_good_file_still_transcribes(
    make_window, tiny_model, tmp_path, qtbot, monkeypatch, capsys
):
    folder = tmp_path / "corpus"
    cases = build_corpus(folder)
    window = make_window(model=tiny_model)

    def pick(path: Path) -> None:
        """File -> Open, the user choosing `path`."""
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.menus.open_file_action.trigger()

    pick(folder / "good.wav")
    qtbot.waitUntil(lambda: window.is_running, timeout=10_000)
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    before = window.widgets.panes.source_text()
    assert "country" in before.lower()

    hostile = [folder / c.name for c in cases if c.expect in ("error", "empty")] + [_truncated_flac(folder)]
    must_fail = {c.name for c in cases if c.expect == "error"} | {"truncated.flac"}
    results: dict[str, str] = {}
    for path in hostile:
        window.widgets.banner.dismiss()
        if path.exists() and not path.is_dir():
            pick(path)
        else:
            assert window.open_file(str(path))  # a folder or a vanished file, as `voicedesk PATH` passes it
        if path.name in must_fail:
            # the message comes from the engine's thread: wait for it, not just for the run to end (on a
            # busy machine the run may not even have started when we first look)
            qtbot.waitUntil(lambda: bool(window.widgets.banner.text) and not window.is_running, timeout=RUN_TIMEOUT_MS)
        else:
            qtbot.wait(500)
            qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
        message = window.widgets.banner.text
        results[path.name] = message
        assert "Traceback" not in message and "\n" not in message
        if message:
            assert path.name in message or Path(path).stem in message or "file" in message.lower(), message
            assert "kept" in message, "the user is told the transcript stays"
        assert window.widgets.panes.source_text().startswith(before.rstrip()), "the transcript before is intact"
        assert window.widgets.start_button.isEnabled() and window.menus.open_file_action.isEnabled()

    errors = {name: m for name, m in results.items() if m}
    expected_errors = {c.name for c in cases if c.expect == "error"}
    assert expected_errors <= set(errors), f"no message for {sorted(expected_errors - set(errors))}"
    print(f"\n{len(hostile)} hostile files through File -> Open: {len(errors)} clear messages, "
          f"{len(hostile) - len(errors)} transcribed or empty, 0 crashes, 0 hangs")
    for name, message in sorted(results.items()):
        print(f"  {name}: {message or '(no error)'}")

    finals = len(window.session.segments())
    pick(folder / "speech.mp3")
    qtbot.waitUntil(lambda: not window.is_running and len(window.session.segments()) > finals, timeout=RUN_TIMEOUT_MS)
    assert window.widgets.banner.level != "error" or not window.widgets.banner.text
