"""Command line: `voicedesk` opens the window; `voicedesk transcribe ...` runs the same engine headless."""

from __future__ import annotations

import argparse
import codecs
import json
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, TextIO

from voicedesk import __version__

if TYPE_CHECKING:
    from voicedesk.session.speakers import SpeakerBook

EXIT_OK = 0
EXIT_FAILED = 1          # at least one input could not be transcribed
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130   # Ctrl+C (128 + SIGINT), after writing what was transcribed so far


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voicedesk", description="Live, offline speech transcription and translation.")
    parser.add_argument("--version", action="version", version=f"voicedesk {__version__}")
    parser.add_argument("--print-paths", action="store_true",
                        help="print where this copy finds its resources and keeps models, logs and journals (JSON)")
    sub = parser.add_subparsers(dest="command")
    from voicedesk.models_cli import add_subcommands

    add_subcommands(sub)                      # `voicedesk models ...` and `voicedesk languages ...`
    from voicedesk.server.cli import add_subcommand as add_serve

    add_serve(sub)                            # `voicedesk serve`: the local speech server
    t = sub.add_parser("transcribe", help="transcribe (and translate) audio or video files without a window",
                       description="Transcribe audio/video files with the live engine, headless.")
    t.add_argument("inputs", nargs="+", metavar="INPUT", help="audio or video files (wav, flac, mp3, ogg, m4a, mp4, ...)")
    t.add_argument("--model", default="base", help="model size name (tiny, base, small, ..., large-v3, turbo, *.en) or a local CTranslate2 model folder (default: base)")
    t.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    t.add_argument("--compute-type", default="default", help="CTranslate2 compute type (default: int8 on CPU, float16 on CUDA)")
    t.add_argument("--threads", type=int, default=0, help="CPU threads for Whisper (0: automatic)")
    t.add_argument("--language", default="auto", help="spoken language code, or auto (default)")
    t.add_argument("--translate-to", metavar="CODE", help="translate each sentence into this language: English needs "
                   "only a multilingual Whisper model; others an Argos language pack (voicedesk languages install en-CODE)")
    t.add_argument("--translation-engine", choices=("auto", "whisper", "argos"), default="auto",
                   help="auto (default): Whisper into English, an installed pack source→target, else Whisper's "
                        "English then the en→target pack; whisper: Whisper's speech→English first; argos: text packs only")
    t.add_argument("--format", choices=("txt", "srt", "vtt", "json", "rttm"), default=None,
                   help="output format (default: from --output's suffix, else txt); rttm: speaker turns, needs --speakers")
    t.add_argument("--speakers", nargs="?", const="auto", default=None, metavar="auto|N", type=_speaker_count,
                   help="label who is speaking (Speaker 1, Speaker 2, ...), found over the whole input: auto "
                        "(default) or the number of speakers; needs the speaker model (voicedesk models download-speaker, or add-speaker FILE)")
    t.add_argument("--speaker-names", metavar="NAMES", type=_speaker_names,
                   help="with --speakers: names for Speaker 1, Speaker 2, ... in the output, comma-separated "
                        "(\"Ana,Ben\"); an empty name keeps \"Speaker N\"")
    t.add_argument("--content", choices=("source", "translation", "both"), default=None, help="what to write with --translate-to (default: both)")
    t.add_argument("--output", "-o", default="-", help="output file, or - for stdout (default). With several inputs, a folder or a pattern with {stem}")
    t.add_argument("--live", action="store_true", help="feed the input at real-time pace, as a microphone would, and print partial and final lines as they happen")
    t.add_argument("--settled", action="store_true", help="with --live: print each sentence once it is settled (decoded again whole), never text that may still change")
    t.add_argument("--events", action="store_true", help="print every engine event as one JSON object per line on stdout")
    _add_setting_flags(t)
    t.add_argument("--vocabulary", metavar="FILE", help="names and terms to spell right, one per line (# starts a "
                   "comment; the first ones that fit Whisper's prompt are used)")
    t.add_argument("--verbose", "-v", action="store_true", help="log details on stderr")
    return parser


def _add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """A flag for each setting offered on the command line, with the range and help of its definition."""
    from voicedesk.engine.settings import offered_on
    from voicedesk.setting import Surface

    for name, user in offered_on(Surface.CLI).items():
        seconds = name.endswith("_s")
        flag = "--" + (name[:-2] if seconds else name).replace("_", "-")
        help_text = f"{user.spec.help[:1].lower()}{user.spec.help[1:].rstrip('.')} (default {user.default:g}{' s' if seconds else ''})"
        if name == "end_silence_s":
            help_text += "; without --live, the shortest pause where a file's ~30 s decoding window may be cut"
        parser.add_argument(flag, dest=name, type=_checked(user), default=None, metavar="N", help=help_text)


def _speaker_names(text: str) -> "SpeakerBook":
    """--speaker-names: "Ana,Ben" names Speaker 1 Ana and Speaker 2 Ben."""
    from voicedesk.session.speakers import SpeakerBook

    book = SpeakerBook()
    for number, name in enumerate(text.split(","), start=1):
        book = book.renamed(number, name)
    if book.is_empty:
        raise argparse.ArgumentTypeError("give at least one name, e.g. --speaker-names \"Ana,Ben\"")
    return book


def _speaker_count(text: str) -> int:
    """--speakers: "auto" (0) or a number of speakers from 1 to 20."""
    if text.strip().lower() == "auto":
        return 0
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither auto nor a number of speakers") from None
    if not 1 <= count <= 20:
        raise argparse.ArgumentTypeError("the number of speakers must be between 1 and 20")
    return count


def _checked(user):
    """An argparse type that reads a number and checks it against the setting's definition."""
    def parse(text: str):
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        try:
            return user.check(int(number) if user.kind is int and number == int(number) else number)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def main(argv: Optional[Sequence[str]] = None) -> int:
    _write_utf8()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or _only_files(argv):
        from voicedesk.ui.app import run_app

        # `voicedesk talk.mp3`: the window opens and transcribes the files
        return run_app(sys.argv[:1], files=argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.print_paths:
        from voicedesk.paths import describe

        print(json.dumps(describe(), indent=2))
        return EXIT_OK
    if args.command == "serve":
        from voicedesk.server.cli import run as serve

        return serve(args)
    if args.command in ("models", "languages"):
        from voicedesk.models_cli import run

        return run(args)
    if args.command != "transcribe":
        parser.print_help()
        return EXIT_USAGE
    level = logging.DEBUG if args.verbose else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)     # argostranslate raises its own logger to INFO when imported
    try:
        return transcribe_command(args)
    except KeyboardInterrupt:
        # Ctrl+C before or after a run (while a run goes on, transcribe_command stops it and writes the output)
        _error("interrupted")
        return EXIT_INTERRUPTED


def _write_utf8() -> None:
    """Make stdout and stderr UTF-8 when the platform chose another encoding.

    Windows gives a redirected stdout its ANSI code page (cp1252 ...), so `voicedesk transcribe x.mp3 > out.txt`
    would raise UnicodeEncodeError at the first Cyrillic or Chinese word. A Windows console is UTF-8 already
    (PEP 528) and is left alone. Reconfigured in place: objects that captured sys.stdout keep working.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if codecs.lookup(stream.encoding or "ascii").name != "utf-8":
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, LookupError, OSError, ValueError):
            pass   # not a text stream of ours (None, a test's capture): leave it as it is


def _only_files(argv: Sequence[str]) -> bool:
    """True when every argument names an existing file (and none is a subcommand or an option)."""
    commands = {"transcribe", "models", "languages", "serve"}
    return all(a not in commands and not a.startswith("-") and Path(a).is_file() for a in argv)


def _error(message: str) -> None:
    print(f"voicedesk: error: {message}", file=sys.stderr, flush=True)


def _settings_from(args: argparse.Namespace):
    from voicedesk.engine.settings import EngineSettings, offered_on, run_settings
    from voicedesk.setting import Surface

    language = None if args.language in (None, "", "auto") else args.language.lower()
    choices = EngineSettings(
        model=args.model, device=args.device, compute_type=args.compute_type, cpu_threads=args.threads,
        language=language).with_values(
        translate_to=(args.translate_to.strip().lower() if args.translate_to else None),
        translation_engine=args.translation_engine, vocabulary=_vocabulary_from(args.vocabulary),
        speaker_labels=args.speakers is not None, speaker_count=args.speakers or 0)
    values = {name: getattr(args, name) for name in offered_on(Surface.CLI) if getattr(args, name) is not None}
    settings = run_settings(choices, values)
    if "end_silence_s" in values:
        # a file takes the file route (engine/settings.py: its own gate values), --live the live one
        settings = settings.with_values(file_end_silence_s=values["end_silence_s"])
    return settings


def _vocabulary_from(path: Optional[str]) -> tuple[str, ...]:
    """The terms of --vocabulary FILE (what was left out is said on stderr); raises VocabularyError."""
    if not path:
        return ()
    from voicedesk.engine.vocabulary import read_vocabulary

    listed = read_vocabulary(path)
    for note in listed.notes:
        print(f"voicedesk: vocabulary: {note}", file=sys.stderr)
    return listed.terms


def _warn_vocabulary_budget(settings) -> None:
    """Say which terms do not fit Whisper's prompt, counted with the loaded model's own tokenizer."""
    if not settings.vocabulary.terms:
        return
    from voicedesk.engine.vocabulary import estimate_tokens, fit_hint, model_token_counter
    from voicedesk.models.resolve import resolve_model

    hint = fit_hint(settings.vocabulary.terms, model_token_counter(resolve_model(settings.model)) or estimate_tokens)
    if hint.dropped:
        print(f"voicedesk: vocabulary: {hint.dropped_message}", file=sys.stderr)


def _check_translation(settings, multilingual: bool) -> Optional[str]:
    """A one-line problem with the requested translation, or None when it can run (known once the model is loaded)."""
    from voicedesk.engine.translation.plan import translation_problem
    from voicedesk.engine.translation.routes import installed_pairs

    return translation_problem(settings.translation.target, settings.language, settings.translation.engine,
                               multilingual=multilingual, model_name=settings.model, load_pairs=installed_pairs)


def _fetch_model_if_missing(spec: str) -> Optional[str]:
    """A catalogue model that is not installed is downloaded once (progress on stderr); returns a problem line."""
    from voicedesk.models.resolve import cached_model_path, known_model_names

    if spec not in known_model_names() or cached_model_path(spec) is not None:
        return None
    from voicedesk.models.messages import missing_model_message
    from voicedesk.models.whisper_store import WhisperModelStore
    from voicedesk.models_cli import _cancel_on_interrupt, _ProgressPrinter

    print(f"voicedesk: downloading Whisper model '{spec}' (once; it is cached for offline use)", file=sys.stderr)
    printer = _ProgressPrinter(sys.stderr, f"Downloading {spec}")
    store = WhisperModelStore()
    try:
        _cancel_on_interrupt(lambda cancel: store.download(spec, printer, cancel))
    except Exception as exc:  # DownloadError, NetworkUnavailable, DownloadCancelled, OS errors: all one line
        return f"{exc} — {missing_model_message(spec)}" if str(exc) else missing_model_message(spec)
    finally:
        printer.done()
    return None


def _output_for(args: argparse.Namespace, path: Path, many: bool, fmt: str) -> Optional[Path]:
    if args.output in (None, "-"):
        return None
    out = args.output
    if many:
        if "{stem}" in out:
            return Path(out.format(stem=path.stem))
        return Path(out) / f"{path.stem}.{fmt}"
    return Path(out)


def transcribe_command(args: argparse.Namespace) -> int:
    from voicedesk.models.resolve import ModelError
    from voicedesk.session.export import ExportError, export, format_from_path, render

    from voicedesk.engine.vocabulary import VocabularyError

    try:
        settings = _settings_from(args)
    except VocabularyError as exc:
        _error(str(exc))
        return EXIT_USAGE
    fmt = args.format
    if fmt is None:
        fmt = "txt"
        if args.output not in (None, "-") and len(args.inputs) == 1:
            try:
                fmt = format_from_path(args.output)
            except ExportError:
                fmt = "txt"
    content = args.content or ("both" if settings.translation.target else "source")
    problem = _speakers_problem(settings, fmt, args.speaker_names is not None)
    if problem is not None:
        return problem

    printer = _EventPrinter(sys.stdout, events=args.events, live=args.live, settled=args.settled)
    from voicedesk.engine.engine import Engine

    problem = _fetch_model_if_missing(settings.model)
    if problem:
        _error(problem)
        return EXIT_FAILED
    engine = Engine(settings, printer)
    try:
        engine.load_model_blocking()
    except ModelError as exc:
        _error(str(exc))
        engine.close()
        return EXIT_FAILED
    _warn_vocabulary_budget(settings)
    problem = _check_translation(settings, engine.multilingual)
    if problem:
        _error(problem)
        engine.close()
        return EXIT_FAILED

    failures = 0
    many = len(args.inputs) > 1
    interrupted: Optional[str] = None         # the input Ctrl+C stopped; later ones are not started
    written: list[str] = []
    for name in args.inputs:
        if interrupted is not None:
            break
        path = Path(name)
        try:
            session, error = _run_one(engine, printer, path, live=args.live)
        except _Interrupted as stop:
            interrupted, (session, error) = name, stop.result
        if error is not None:
            _error(f"{name}: {error}")
            failures += 1
            continue
        if args.speaker_names is not None:
            session.set_speakers(args.speaker_names)
        target = _output_for(args, path, many, fmt)
        if args.events:
            if target is None:
                continue              # the events were the output
        if target is None:
            if args.live and not args.events:
                continue              # live mode already printed the lines
            if many and fmt == "txt":
                sys.stdout.write(f"==> {name} <==\n")
            sys.stdout.write(render(session, fmt, content))
            sys.stdout.flush()
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            export(session, target, fmt, content)
            written.append(str(target))
        except (ExportError, OSError) as exc:
            _error(f"{name}: {exc}")
            failures += 1
    engine.close()
    if interrupted is not None:
        where = f"; what was transcribed so far is in {', '.join(written)}" if written else ""
        print(f"voicedesk: interrupted during {interrupted}{where}", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failures else EXIT_OK


def _speakers_problem(settings, fmt: str, speaker_names: bool = False) -> Optional[int]:
    """The exit code when speaker labels are asked for and cannot be had (said on stderr), else None."""
    if fmt == "rttm" and not settings.speakers.enabled:
        _error("--format rttm writes speaker turns: add --speakers")
        return EXIT_USAGE
    if speaker_names and not settings.speakers.enabled:
        _error("--speaker-names names the speakers --speakers finds: add --speakers")
        return EXIT_USAGE
    if settings.speakers.enabled:
        from voicedesk.engine.speaker_labels import speaker_model_file
        from voicedesk.models.resolve import ModelError

        try:
            speaker_model_file(settings.speakers)
        except ModelError as exc:
            _error(str(exc))
            return EXIT_FAILED
    return None


class _Interrupted(Exception):
    """Ctrl+C during a run: the run was stopped and has ended; `result` is _run_one's (session, error)."""

    def __init__(self, result) -> None:
        super().__init__("interrupted")
        self.result = result


def _stop_run(engine) -> None:
    """Stop the engine and wait until its run has ended; a second Ctrl+C meanwhile quits at once.

    The engine's threads are daemon threads inside CTranslate2: an interpreter that exits while one of
    their calls runs aborts ("terminate called without an active exception"), and the output is lost.
    Once the run has ended, further Ctrl+C are ignored: writing the output and closing take moments.
    """
    import os
    import signal

    def quit_now(signum, frame) -> None:
        _error("interrupted again: quitting without writing the output")
        sys.stdout.flush()
        os._exit(EXIT_INTERRUPTED)    # no interpreter teardown: nothing aborts under a running decode

    signal.signal(signal.SIGINT, quit_now)
    engine.stop()
    engine.wait()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_one(engine, printer: "_EventPrinter", path: Path, live: bool):
    """Transcribe one file; returns (session, None) or (None, one-line error)."""
    from voicedesk.audio.source import AudioSourceError
    from voicedesk.engine.file_run import open_file, run_file
    from voicedesk.session.transcript import Session

    try:
        source = open_file(path, paced=live)
    except AudioSourceError as exc:
        return None, str(exc)
    session = Session()
    printer.begin(session)
    try:
        run_file(engine, source)
    except KeyboardInterrupt:
        _stop_run(engine)             # the utterance in progress is finished as a final
        fatal = printer.end()
        raise _Interrupted((None, fatal) if fatal is not None else (session, None)) from None
    fatal = printer.end()
    if fatal is not None:
        return None, fatal
    return session, None


class _EventPrinter:
    """The CLI's subscriber: feeds the session, prints events (--events) or live lines (--live)."""

    def __init__(self, out: TextIO, events: bool, live: bool, settled: bool = False) -> None:
        self.out = out
        self.events = events
        self.live = live
        self.settled = settled
        self.tty = out.isatty()
        from voicedesk.engine.file_run import RunOutcome

        self.session = None
        self.outcome = RunOutcome()          # the current run's errors (its fatal one ends it)
        self._partial_shown = False
        self._lock = threading.Lock()

    def begin(self, session) -> None:
        from voicedesk.engine.file_run import RunOutcome

        self.session = session
        self.outcome = RunOutcome()

    def end(self) -> Optional[str]:
        """The run's fatal error message, or None when it did not fail."""
        if self._partial_shown and self.tty:
            self.out.write("\n")
        self._partial_shown = False
        return self.outcome.fatal_message

    def __call__(self, event) -> None:
        from voicedesk.engine.events import (
            EngineError, FinalSegment, Partial, Settled, SilentInput, Translation, event_to_dict,
        )

        with self._lock:
            if self.session is not None:
                self.session.apply(event)
            self.outcome.record(event)
            if isinstance(event, EngineError):
                if not event.fatal:
                    _error(event.message)
            elif isinstance(event, SilentInput):
                # a blocked microphone: where the setting is, then that sound is back
                message = event.message if event.silent else "sound arrives from the input again"
                print(f"voicedesk: {message}", file=sys.stderr, flush=True)
            if self.events:
                self.out.write(json.dumps(event_to_dict(event), ensure_ascii=False) + "\n")
                self.out.flush()
                return
            if not self.live:
                return
            if isinstance(event, Partial):
                if self.settled:
                    return
                self._show(f"… [{_clock(event.start)}] {event.text}", partial=True)
            elif isinstance(event, FinalSegment) and not self.settled:
                self._show(f"[{_clock(event.start)} → {_clock(event.end)}] {event.text}", partial=False)
            elif isinstance(event, Settled) and self.settled:
                self._show(f"[{_clock(event.start)} → {_clock(event.end)}] {event.text}", partial=False)
            elif isinstance(event, Translation):
                self._show(f"    ({event.target_language}) {event.text}", partial=False)

    def _show(self, line: str, partial: bool) -> None:
        if self.tty:
            # on a terminal a partial line is rewritten in place until its final replaces it
            self.out.write("\r\x1b[2K" + line + ("" if partial else "\n"))
        else:
            self.out.write(line + "\n")
        self._partial_shown = partial
        self.out.flush()


def _clock(seconds: float) -> str:
    m, s = divmod(max(seconds, 0.0), 60)
    h, m = divmod(int(m), 60)
    return f"{h:02d}:{m:02d}:{s:05.2f}" if h else f"{m:02d}:{s:05.2f}"


if __name__ == "__main__":
    raise SystemExit(main())
