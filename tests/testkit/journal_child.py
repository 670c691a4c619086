"""A stand-in for the app that a test can SIGKILL: the real engine on a paced file, journal chained in front.

Run as `python -m testkit.journal_child AUDIO --model DIR [--translate-to de --argos-home HOME]`
with `tests/` on PYTHONPATH and VOICEDESK_DATA_DIR set. It prints one JSON object per line on
stdout, flushed: `{"journal": path}` once the journal exists, then `{"final": id, "text": ...}` and
`{"translation": id, "text": ...}` as each event reaches the (would-be) screen, i.e. after the
JournalSink has written it. `{"done": true}` at the end of a run that was not killed.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("audio")
    parser.add_argument("--model", required=True)
    parser.add_argument("--translate-to")
    parser.add_argument("--argos-home", help="an Argos home prepared by testkit.argos_package (isolated packages)")
    args = parser.parse_args()

    if args.argos_home:
        from testkit.argos_package import isolate_argos

        isolate_argos(Path(args.argos_home))
        from argostranslate import settings as argos_settings

        argos_settings.intra_threads = 1

    from testkit.engine_run import loaded_engine
    from testkit.killed_child import line_printer
    from voicedesk.engine.events import EngineError, FinalSegment, Translation
    from voicedesk.engine.file_run import run_file
    from voicedesk.engine.settings import EngineSettings
    from voicedesk.session.journal import Journal, JournalSink

    say = line_printer()

    def screen(event) -> None:
        if isinstance(event, FinalSegment):
            say({"final": event.segment_id, "text": event.text})
        elif isinstance(event, Translation):
            say({"translation": event.segment_id, "text": event.text})
        elif isinstance(event, EngineError):
            say({"error": event.message, "fatal": event.fatal})

    settings = EngineSettings(model=args.model, device="cpu", cpu_threads=1, language="en").with_values(
        translate_to=args.translate_to, beam_size=1)
    journal = Journal.open_new(settings)
    say({"journal": str(journal.path)})
    with loaded_engine(settings, JournalSink(journal, screen)) as engine:
        run_file(engine, args.audio, paced=True)
    journal.close(clean=True)
    say({"done": True})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
