"""`voicedesk models ...` and `voicedesk languages ...`: get, list and remove Whisper models and Argos packs.

Wired into `voicedesk.cli` with two lines: `add_subcommands(sub)` in build_parser and
`if args.command in COMMANDS: return run(args)` in main. Progress goes to stderr, results to stdout,
errors are one line (`voicedesk: error: ...`) with exit code 1 (2 for usage).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Optional, TextIO

from voicedesk.models.progress import DownloadCancelled, DownloadError, Progress, human_size

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
COMMANDS = ("models", "languages")


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Add `models` and `languages` to the top-level parser's subparsers."""
    m = subparsers.add_parser("models", help="list, download, delete or add Whisper models and the speaker model",
                              description="Whisper speech models: list, download, delete, add a local folder; "
                                          "the speaker model: download or add a file.")
    msub = m.add_subparsers(dest="models_command", metavar="ACTION")
    msub.add_parser("list", help="every model size, its disk size, and whether it is installed")
    d = msub.add_parser("download", help="download a model (resumes an interrupted download)")
    d.add_argument("name", help="model size name, e.g. base, small, large-v3, turbo, tiny.en")
    r = msub.add_parser("delete", help="delete a downloaded model")
    r.add_argument("name")
    a = msub.add_parser("add-folder", help="use a CTranslate2 Whisper model folder you already have")
    a.add_argument("path")
    f = msub.add_parser("remove-folder", help="forget a folder added with add-folder (its files stay)")
    f.add_argument("path")
    msub.add_parser("recommend", help="the model size recommended for this computer")
    sp = msub.add_parser("add-speaker", help="install the CAM++ speaker model (campplus.onnx) that tells speakers apart")
    sp.add_argument("file", metavar="FILE")
    ds = msub.add_parser("download-speaker", help="download the CAM++ speaker model that tells speakers apart "
                         "(once; it is kept for offline use)")
    ds.add_argument("--url", help="download from this address instead (a mirror); also $VOICEDESK_SPEAKER_MODEL_URL")

    lang = subparsers.add_parser("languages", help="list, install or remove Argos translation language packs",
                                 description="Argos Translate language packs.")
    lsub = lang.add_subparsers(dest="languages_command", metavar="ACTION")
    lsub.add_parser("list", help="installed packs and the language pairs they translate (also through English)")
    i = lsub.add_parser("install", help="install a .argosmodel file, or download a pair (e.g. es-en) from the package index")
    i.add_argument("source", metavar="FILE_OR_PAIR")
    rm = lsub.add_parser("remove", help="remove an installed pack, e.g. es-en")
    rm.add_argument("pair", metavar="PAIR")
    lsub.add_parser("available", help="packs in the Argos package index (a saved copy when offline)")


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run a `models` or `languages` command; returns the exit code."""
    from voicedesk.models.argos_files import TranslationError
    from voicedesk.models.resolve import ModelError

    action = getattr(args, f"{args.command}_command", None)
    handler = _HANDLERS.get((args.command, action))
    if handler is None:
        err.write(f"voicedesk {args.command}: choose an action (see voicedesk {args.command} --help)\n")
        return EXIT_USAGE
    try:
        return handler(args, out, err)
    except DownloadCancelled:
        _error(err, "cancelled; nothing was kept")
        return 130
    except KeyboardInterrupt:
        _error(err, "interrupted; run the same command again to resume")
        return 130
    except (DownloadError, ModelError, TranslationError) as exc:
        _error(err, str(exc))
        return EXIT_FAILED


def _error(err: TextIO, message: str) -> None:
    err.write(f"voicedesk: error: {message}\n")
    err.flush()


class _ProgressPrinter:
    """Progress lines on stderr: rewritten in place on a terminal, every 10 % otherwise."""

    def __init__(self, err: TextIO, label: str) -> None:
        self.err, self.label = err, label
        self.tty = err.isatty()
        self._last_step = -1
        self._last_time = 0.0
        self._lock = threading.Lock()

    def __call__(self, p: Progress) -> None:
        with self._lock:
            fraction = p.fraction
            if self.tty:
                now = time.monotonic()
                if now - self._last_time < 0.1 and fraction != 1.0:
                    return
                self._last_time = now
                pct = f"{fraction * 100:5.1f}%" if fraction is not None else "     "
                self.err.write(f"\r{self.label}: {pct} {human_size(p.done)} of {human_size(p.total)}\x1b[K")
            else:
                step = int(fraction * 10) if fraction is not None else -1
                if step <= self._last_step:
                    return
                self._last_step = step
                self.err.write(f"{self.label}: {step * 10}% ({human_size(p.done)} of {human_size(p.total)})\n")
            self.err.flush()

    def done(self) -> None:
        if self.tty:
            self.err.write("\n")
            self.err.flush()


def _cancel_on_interrupt(work: Callable[[threading.Event], object]):
    """Run `work(cancel)` on a worker thread so Ctrl+C can cancel it cleanly (the worker cleans up first).

    The main thread waits on an Event, not on `Thread.join`: a KeyboardInterrupt inside `join` makes
    CPython 3.11 mark the thread as stopped while it still runs (its `_wait_for_tstate_lock` releases
    the worker's own lock), so a second `join` returned at once and the process exited before the worker
    had deleted its partial download.
    """
    cancel = threading.Event()
    finished = threading.Event()
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = work(cancel)
        except BaseException as exc:  # handed to the main thread below
            result["error"] = exc
        finally:
            finished.set()

    thread = threading.Thread(target=target, name="voicedesk-download", daemon=True)
    thread.start()
    try:
        while not finished.wait(0.2):
            pass
    except KeyboardInterrupt:
        cancel.set()
        finished.wait(30)
        raise DownloadCancelled() from None
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")


# -- models ------------------------------------------------------------------------------------
def _store():
    from voicedesk.models.whisper_store import WhisperModelStore

    return WhisperModelStore()


def _models_list(args, out, err) -> int:
    from voicedesk.models.machine import recommended_model

    store = _store()
    recommended = recommended_model().name
    out.write(f"{'MODEL':<18} {'SIZE':>9}  {'STATUS':<12} HINT\n")
    for row in store.status():
        status = "installed" if row.installed else (f"partial {human_size(row.partial_bytes)}" if row.partial_bytes else "-")
        star = " (recommended)" if row.info.name == recommended else ""
        out.write(f"{row.info.name:<18} {human_size(row.info.disk_mb * 1e6):>9}  {status:<12} {row.info.hint}{star}\n")
    out.write(_speaker_row())
    folders = store.local_folders()
    if folders:
        from voicedesk.models.resolve import local_model_problem

        out.write("\nLocal folders:\n")
        for folder in folders:
            problem = local_model_problem(folder)
            out.write(f"  {folder}{'  (' + problem + ')' if problem else ''}\n")
    return EXIT_OK


def _speaker_row() -> str:
    """The speaker model's line in `models list` (installed or not, and how to get it)."""
    from voicedesk.models.speaker_model import DESCRIPTION, installed_speaker_model

    path = installed_speaker_model()
    size = human_size(path.stat().st_size) if path else "-"
    status = "installed" if path else "not installed"
    hint = DESCRIPTION if path else (f"{DESCRIPTION}; get it with: voicedesk models download-speaker "
                                     f"(or add-speaker FILE)")
    return f"{'speaker (CAM++)':<18} {size:>9}  {status:<12} {hint}\n"


def _models_add_speaker(args, out, err) -> int:
    from voicedesk.models.speaker_model import install_speaker_model

    target = install_speaker_model(Path(args.file))
    out.write(f"Installed the speaker model: {target}\n")
    return EXIT_OK


def _models_download_speaker(args, out, err) -> int:
    from voicedesk.models.speaker_download import download_speaker_model

    printer = _ProgressPrinter(err, "Downloading the speaker model")
    try:
        target = _cancel_on_interrupt(lambda cancel: download_speaker_model(printer, cancel, url=args.url))
    finally:
        printer.done()
    out.write(f"Installed the speaker model: {target}\n")
    return EXIT_OK


def _models_download(args, out, err) -> int:
    store = _store()
    printer = _ProgressPrinter(err, f"Downloading {args.name}")
    try:
        installed = _cancel_on_interrupt(lambda cancel: store.download(args.name, printer, cancel))
    finally:
        printer.done()
    out.write(f"{args.name} is ready: {installed.path}\n")
    return EXIT_OK


def _models_delete(args, out, err) -> int:
    if _store().delete(args.name):
        out.write(f"Deleted {args.name}\n")
        return EXIT_OK
    _error(err, f"{args.name} is not downloaded")
    return EXIT_FAILED


def _models_add_folder(args, out, err) -> int:
    installed = _store().add_local_folder(args.path)
    out.write(f"Added {installed.path} (use it with --model {installed.path})\n")
    return EXIT_OK


def _models_remove_folder(args, out, err) -> int:
    if _store().remove_local_folder(args.path):
        out.write(f"Forgot {Path(args.path).expanduser().resolve()}\n")
        return EXIT_OK
    _error(err, f"{args.path} was not added")
    return EXIT_FAILED


def _models_recommend(args, out, err) -> int:
    from voicedesk.models.machine import recommended_model

    rec = recommended_model()
    installed = _store().installed_path(rec.name)
    out.write(f"{rec.name}\n")
    err.write(f"Why: {rec.reason}. " + ("It is installed.\n" if installed else f"Get it with: voicedesk models download {rec.name}\n"))
    return EXIT_OK


# -- languages ---------------------------------------------------------------------------------
def _languages_list(args, out, err) -> int:
    from voicedesk.models.argos_packs import installed_packs, reachable_pairs

    packs = installed_packs()
    if not packs:
        out.write("No language packs installed. Get one with: voicedesk languages install es-en (or a .argosmodel file)\n")
        return EXIT_OK
    out.write("Installed language packs:\n")
    for p in packs:
        out.write(f"  {p.pair:<8} {p.label}  (version {p.version or '?'})\n")
    out.write("Translates:\n")
    for pair in reachable_pairs():
        out.write(f"  {pair.label}\n")
    return EXIT_OK


def _languages_install(args, out, err) -> int:
    from voicedesk.models import argos_packs
    from voicedesk.models.argos_index import fetch_index

    source = Path(args.source).expanduser()
    if source.exists() or source.suffix == ".argosmodel":
        src, dst = argos_packs.install_file(source)
        out.write(f"Installed {src}→{dst} from {source.name}\n")
        return EXIT_OK
    src, dst = argos_packs.parse_pair(args.source)
    listing = fetch_index()
    if listing.from_cache:
        err.write(f"{listing.problem}; using the package list saved on this computer\n")
    entry = listing.find(src, dst)
    if entry is None:
        _error(err, f"The package index has no {src}→{dst} pack (see: voicedesk languages available)")
        return EXIT_FAILED
    printer = _ProgressPrinter(err, f"Downloading {entry.pair}")
    try:
        _cancel_on_interrupt(lambda cancel: argos_packs.install_from_index(entry, printer, cancel))
    finally:
        printer.done()
    out.write(f"Installed {src}→{dst} (version {entry.version or '?'})\n")
    return EXIT_OK


def _languages_remove(args, out, err) -> int:
    from voicedesk.models.argos_packs import uninstall

    pack = uninstall(args.pair)
    out.write(f"Removed {pack.from_code}→{pack.to_code}\n")
    return EXIT_OK


def _languages_available(args, out, err) -> int:
    from voicedesk.models.argos_index import fetch_index
    from voicedesk.models.argos_packs import installed_packs

    listing = fetch_index()
    if listing.from_cache:
        when = time.strftime("%Y-%m-%d", time.localtime(listing.fetched_at))
        err.write(f"{listing.problem}; showing the package list saved on {when}\n")
    installed = {(p.from_code, p.to_code) for p in installed_packs()}
    for e in listing.entries:
        mark = "installed" if (e.from_code, e.to_code) in installed else ""
        out.write(f"{e.pair:<8} {e.label:<36} {e.version:<8} {mark}\n")
    return EXIT_OK


_HANDLERS: dict[tuple[str, Optional[str]], Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    ("models", "list"): _models_list,
    ("models", "download"): _models_download,
    ("models", "delete"): _models_delete,
    ("models", "add-folder"): _models_add_folder,
    ("models", "remove-folder"): _models_remove_folder,
    ("models", "recommend"): _models_recommend,
    ("models", "add-speaker"): _models_add_speaker,
    ("models", "download-speaker"): _models_download_speaker,
    ("languages", "list"): _languages_list,
    ("languages", "install"): _languages_install,
    ("languages", "remove"): _languages_remove,
    ("languages", "available"): _languages_available,
}


def main(argv: Optional[list[str]] = None) -> int:
    """Stand-alone entry (`python -m voicedesk.models_cli models list`) until cli.py dispatches here."""
    parser = argparse.ArgumentParser(prog="voicedesk")
    add_subcommands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    if args.command not in COMMANDS:
        parser.print_help()
        return EXIT_USAGE
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
