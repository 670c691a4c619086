"""A stand-in for the app that edits as it listens, for a test to SIGKILL: the real engine, keeper and editor.

Run as `python -m testkit.edit_child AUDIO --model DIR` with `tests/` on PYTHONPATH and VOICEDESK_DATA_DIR
set. The real engine transcribes a paced file; every final goes through the app's JournalKeeper (as the
controller does) into a session core; the first final is edited by the real TranscriptEditor, whose
revision the keeper journals (as the controller's thread does), and speaker 1 is named "Ana" (a `speakers` line). It prints one JSON object per line,
flushed: `{"final": id, "text": ...}` once a final is journaled, `{"edited": id, "text": ...}` once the
edit is, `{"journal": path}` when it exists, and `{"done": true}` if nobody killed it.
"""

from __future__ import annotations

import argparse
import queue


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("audio")
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    from testkit.engine_run import loaded_engine
    from testkit.killed_child import line_printer
    from voicedesk.engine.events import FinalSegment
    from voicedesk.engine.file_run import start_file
    from voicedesk.engine.settings import EngineSettings
    from voicedesk.session.coordinator import SessionCoordinator
    from voicedesk.session.editor import TranscriptEditor
    from voicedesk.session.journal_keeper import JournalKeeper

    say = line_printer()

    settings = EngineSettings(model=args.model, device="cpu", cpu_threads=1, language="en").with_values(beam_size=1)
    keeper = JournalKeeper()
    finals: "queue.Queue[FinalSegment]" = queue.Queue()

    class Port:
        """The controller's side: journal the editor's revisions durably."""

        def journal_revision(self, revision) -> None:
            problem = keeper.revise(revision, settings)
            if problem is None:
                say({"edited": revision.segments[0].sentence_id, "text": revision.segments[0].text})

        def journal_speakers(self, book, restored=()) -> None:
            problem = keeper.name_speakers(book, settings, restored)
            if problem is None:
                say({"speakers": {str(n): name for n, name in book.names}})

        def translate_text(self, request) -> None:   # no translation in this run
            pass

        def start(self, *a) -> None: ...
        def stop(self) -> None: ...
        def close_journal(self, clean: bool) -> None: ...
        def discard_journal(self) -> None: ...
        def adopt_segments(self, segments, old_journal=None, speakers=None) -> None: ...

    port = Port()
    core = SessionCoordinator(port, lambda notice: None, lambda: settings)
    editor = TranscriptEditor(core, port, lambda notice: None)

    def sink(event) -> None:
        if isinstance(event, FinalSegment):
            event = core.numbering.to_session(event)
            keeper.record(event, settings)
            if keeper.path is not None:
                say({"journal": str(keeper.path)})
            say({"final": event.segment_id, "text": event.text})
            finals.put(event)     # the "GUI thread" below takes it into the session and edits

    with loaded_engine(settings, sink) as engine:
        start_file(engine, args.audio, paced=True)
        edited = False
        while engine.running or not finals.empty():
            try:
                event = finals.get(timeout=0.2)
            except queue.Empty:
                continue
            core.on_event(event)
            if not edited:
                edited = editor.edit(event.sentence_id, "EDITED " + event.text.strip())
                editor.rename_speaker(1, "Ana")      # the reader names a speaker too (this run labels none)
        engine.wait()
    keeper.close(clean=True)
    say({"done": True})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
