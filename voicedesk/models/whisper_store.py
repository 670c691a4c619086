"""Which Whisper models this computer has, and getting or removing them.

Places a model can be, searched in this order:
1. bundled with the app (`paths.bundled_models_dir()/<name>`),
2. the app's own models folder (`<user data>/models/<name>`),
3. the Hugging Face hub cache faster-whisper uses (`<HF cache>/models--Org--repo`),
4. folders the user added, remembered in `<user data>/local-models.json`.

A download never leaves a half model where a loader would find it: huggingface_hub fetches into a
staging cache (`<HF cache>/.voicedesk-incomplete/<name>`, same disk, same layout); only when every
file is there and the LFS files match their SHA-256 is the repository folder moved into the real
cache. An interrupted download stays in staging and the next `download()` resumes it (huggingface_hub
continues `.incomplete` files with HTTP Range); Cancel deletes the staging folder.

Deleting takes only a catalogue name or the name of a folder in the bundled or app models folder
(`_known_name`), checked before anything touches the disk; every folder it would remove must still lie
inside its base folder once resolved (`safe_paths.path_inside`), or nothing at all is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from voicedesk.i18n import translate
from voicedesk.models.folder import ModelError, local_model_problem
from voicedesk.models import hub
from voicedesk.models.catalogue import WhisperModelInfo, catalogue, model_info
from voicedesk.models.progress import (
    DownloadCancelled,
    DownloadError,
    Progress,
    ProgressCallback,
    no_progress,
)
from voicedesk.models.safe_paths import path_inside

# What faster-whisper itself downloads (faster_whisper.utils.download_model).
ALLOW_PATTERNS = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
STAGING_DIR = ".voicedesk-incomplete"
LOCAL_FOLDERS_FILE = "local-models.json"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class InstalledModel:
    name: str            # catalogue name, or the folder's name for a user folder
    path: Path           # the folder WhisperModel loads
    source: str          # "bundled" | "app" | "hub-cache" | "folder"


@dataclass(frozen=True)
class ModelStatus:
    """A catalogue row: the model and where it is installed (None when it is not)."""

    info: WhisperModelInfo
    installed: Optional[InstalledModel]
    partial_bytes: int = 0      # bytes of an interrupted download waiting to be resumed


class WhisperModelStore:
    """Lists, downloads, deletes and adds Whisper models. Every argument defaults to the standard place,
    read when used (so HF_HOME and friends set later still count)."""

    def __init__(self, hub_cache: Optional[Path] = None, data_dir: Optional[Path] = None,
                 bundled_dir: Optional[Path] = None) -> None:
        self._hub_cache = Path(hub_cache) if hub_cache else None
        self._data_dir = Path(data_dir) if data_dir else None
        self._bundled_dir = Path(bundled_dir) if bundled_dir else None

    # -- places ---------------------------------------------------------------------------------
    @property
    def hub_cache(self) -> Path:
        return self._hub_cache or hub.hub_cache_dir()

    @property
    def data_dir(self) -> Path:
        if self._data_dir:
            return self._data_dir
        from voicedesk.paths import user_data_dir

        return user_data_dir()

    @property
    def bundled_dir(self) -> Path:
        if self._bundled_dir:
            return self._bundled_dir
        from voicedesk.paths import bundled_models_dir

        return bundled_models_dir()

    @property
    def app_models_dir(self) -> Path:
        return self.data_dir / "models"

    def _staging(self, name: str) -> Optional[Path]:
        """Where catalogue model `name` downloads to; None for any other name, and when that folder would lie
        outside the hub cache (the staging folder, or the model's folder in it, is a symlink leading elsewhere)."""
        return path_inside(self.hub_cache, STAGING_DIR, name) if model_info(name) else None

    def _known_name(self, name: str) -> bool:
        """Whether `name` may become part of a path: a catalogue name, or the name of an entry of the bundled
        or app models folder (as listed, so never "", ".", ".." or anything with a separator)."""
        if model_info(name) is not None:
            return True
        names: set[str] = set()
        for base in (self.bundled_dir, self.app_models_dir):
            try:
                names.update(entry.name for entry in os.scandir(base))
            except OSError:
                continue        # the folder does not exist (yet): it names nothing
        return name in names

    # -- listing --------------------------------------------------------------------------------
    def installed_path(self, name: str) -> Optional[InstalledModel]:
        """Where catalogue model `name` is installed and complete, or None. Never touches the network."""
        if not self._known_name(name):
            return None         # "..", "/some/dir": joined onto a models folder, these would name other folders
        for source, base in (("bundled", self.bundled_dir), ("app", self.app_models_dir)):
            folder = base / name
            if local_model_problem(folder) is None:
                return InstalledModel(name, folder, source)
        info = model_info(name)
        if info is None:
            return None
        snapshot = _complete_snapshot(self.hub_cache / hub.repo_folder(info.repo_id))
        return InstalledModel(name, snapshot, "hub-cache") if snapshot else None

    def status(self) -> list[ModelStatus]:
        """Every catalogue model with its install state, smallest first."""
        return [ModelStatus(info, self.installed_path(info.name), self.partial_bytes(info.name)) for info in catalogue()]

    def installed(self) -> list[InstalledModel]:
        """Every usable model: installed catalogue models, then the user's folders that are still valid."""
        found = [s.installed for s in self.status() if s.installed]
        for folder in self.local_folders():
            if local_model_problem(folder) is None:
                found.append(InstalledModel(folder.name, folder, "folder"))
        return found

    def has_any_model(self) -> bool:
        return bool(self.installed())

    def partial_bytes(self, name: str) -> int:
        staging = self._staging(name)
        if staging is None or not staging.is_dir():
            return 0
        total = 0
        # a download in progress renames and removes its temporary files under our feet: skip what vanished
        for folder, _dirs, files in os.walk(staging, onerror=lambda _exc: None):
            for file_name in files:
                path = os.path.join(folder, file_name)
                try:
                    if not os.path.islink(path):
                        total += os.stat(path).st_size
                except OSError:
                    continue
        return total

    # -- user folders ---------------------------------------------------------------------------
    def _folders_file(self) -> Path:
        return self.data_dir / LOCAL_FOLDERS_FILE

    def local_folders(self) -> list[Path]:
        """Folders the user added (whether or not they are still valid)."""
        try:
            data = json.loads(self._folders_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [Path(p) for p in data.get("folders", []) if isinstance(p, str)]

    def _save_folders(self, folders: list[Path]) -> None:
        target = self._folders_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"folders": [str(p) for p in folders]}, indent=2), encoding="utf-8")
        os.replace(tmp, target)

    def add_local_folder(self, folder: Path | str) -> InstalledModel:
        """Remember a CTranslate2 Whisper folder the user has; raises ModelError saying what is wrong."""
        path = Path(folder).expanduser()
        problem = local_model_problem(path)
        if problem:
            raise ModelError(problem)
        path = path.resolve()
        folders = self.local_folders()
        if path not in folders:
            self._save_folders(folders + [path])
        return InstalledModel(path.name, path, "folder")

    def remove_local_folder(self, folder: Path | str) -> bool:
        """Forget a user folder (its files stay where they are)."""
        path = Path(folder).expanduser().resolve()
        folders = self.local_folders()
        if path not in folders:
            return False
        self._save_folders([p for p in folders if p != path])
        return True

    # -- download / delete ----------------------------------------------------------------------
    def download(self, name: str, progress_cb: ProgressCallback = no_progress,
                 cancel_event: Optional[threading.Event] = None) -> InstalledModel:
        """Download catalogue model `name` into the hub cache, blocking; run it on a worker thread.

        Raises ModelError (unknown name), DownloadCancelled, NetworkUnavailable or DownloadError.
        """
        info = model_info(name)
        if info is None:
            known = ", ".join(m.name for m in catalogue())
            raise ModelError(translate(
                "ModelDownload", "Unknown model '{name}'. Choose one of: {known}").format(name=name, known=known))
        cancel = cancel_event or threading.Event()
        staging = self._staging(name)
        if staging is None:
            raise DownloadError(translate(
                "ModelDownload", "Cannot download {name}: its download folder in {hub_cache} leads outside it "
                "(a symbolic link?)").format(name=name, hub_cache=self.hub_cache))
        last: list[Progress] = []

        def report(p: Progress) -> None:
            last[:] = [p]
            progress_cb(p)

        try:
            staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DownloadError(translate(
                "ModelDownload", "Cannot write to the model cache {hub_cache}: {reason}").format(
                hub_cache=self.hub_cache, reason=exc.strerror)) from exc
        try:
            snapshot = hub.snapshot(info.repo_id, staging, ALLOW_PATTERNS, report, cancel, what=name)
            problem = local_model_problem(snapshot)
            if problem:
                raise _Discard(f"The model hub's copy of {name} is incomplete ({problem.split('(')[-1].rstrip(')')})")
            _verify_lfs_checksums(snapshot, cancel, name)
            if cancel.is_set():
                raise DownloadCancelled()
            self._publish(staging / hub.repo_folder(info.repo_id), self.hub_cache / hub.repo_folder(info.repo_id))
        except DownloadCancelled:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(staging.parent)
            raise
        except _Discard as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise DownloadError(str(exc)) from None
        shutil.rmtree(staging, ignore_errors=True)
        _remove_if_empty(staging.parent)
        installed = self.installed_path(name)
        if installed is None:
            raise DownloadError(translate(
                "ModelDownload", "{name} was downloaded but cannot be found in {hub_cache}").format(
                name=name, hub_cache=self.hub_cache))
        total = last[0].total if last and last[0].total else (last[0].done if last else 0)
        progress_cb(Progress(total, total, name))      # the end, also when every file was already there
        return installed

    def _publish(self, staged: Path, target: Path) -> None:
        """Move a complete staged repository into the cache; the ref is written last, which makes it visible."""
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            return
        # An older revision, or faster-whisper's own (maybe partial) download, is already there: merge.
        for sub in ("blobs", "trees"):
            if (staged / sub).is_dir():
                (target / sub).mkdir(parents=True, exist_ok=True)
                for item in (staged / sub).iterdir():
                    os.replace(item, target / sub / item.name)
        (target / "snapshots").mkdir(parents=True, exist_ok=True)
        for snap in (staged / "snapshots").iterdir():
            shutil.rmtree(target / "snapshots" / snap.name, ignore_errors=True)
            os.replace(snap, target / "snapshots" / snap.name)
        (target / "refs").mkdir(parents=True, exist_ok=True)
        for ref in (staged / "refs").iterdir():
            os.replace(ref, target / "refs" / ref.name)

    def discard_partial(self, name: str) -> None:
        staging = self._staging(name)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    def delete(self, name: str) -> bool:
        """Delete a downloaded model (and any partial download); False when there was none.

        Raises ModelError, having deleted nothing, for a name that is neither a catalogue name nor an installed
        model's (`..`, a path, ""), for a model bundled with the app (read-only), and when a folder it would
        delete leads outside its base folder (a symbolic link).
        """
        if not self._known_name(name):
            raise ModelError(self._not_a_model_name(name))
        installed = self.installed_path(name)
        if installed is not None and installed.source == "bundled":
            raise ModelError(translate(
                "ModelDownload", "{name} is bundled with the app and cannot be deleted").format(name=name))
        # Every folder to remove is checked first, so that a refusal leaves all of them in place.
        info = model_info(name)
        partial = self._owned(self.hub_cache, STAGING_DIR, name) if info is not None else None
        removed = partial is not None and self.partial_bytes(name) > 0
        if installed is not None and installed.source == "app":
            model = self._owned(self.app_models_dir, name)
        elif info is not None:
            model = self._owned(self.hub_cache, hub.repo_folder(info.repo_id))
        else:
            model = None
        for folder in (partial, model):
            if folder is None:
                continue
            try:
                shutil.rmtree(folder)
            except OSError as exc:
                raise ModelError(translate(
                    "ModelDownload", "Could not delete {folder}: {reason}").format(
                    folder=folder, reason=exc.strerror or exc)) from exc
        if partial is not None:
            _remove_if_empty(partial.parent)
        return removed or model is not None

    def _owned(self, base: Path, *parts: str) -> Optional[Path]:
        """The folder `base/parts` to delete: None when there is none, the resolved folder when it lies inside
        `base`, and ModelError when it leads outside (a symbolic link): voicedesk deletes only what it put there."""
        folder = base.joinpath(*parts)
        if not (folder.exists() or folder.is_symlink()):
            return None
        inside = path_inside(base, *parts)
        if inside is None:
            raise ModelError(translate(
                "ModelDownload", "{folder} leads outside {base} (a symbolic link?); nothing was deleted").format(
                folder=folder, base=base))
        return inside

    def _not_a_model_name(self, name: str) -> str:
        """Why `name` cannot be deleted, for a name `_known_name` refuses."""
        for folder in self.local_folders():
            if name in (folder.name, str(folder)):
                return translate(
                    "ModelDownload", "{name} is a folder you added; its files are yours and were not deleted "
                    "(to stop using it: voicedesk models remove-folder {folder})").format(name=name, folder=folder)
        known = ", ".join(m.name for m in catalogue())
        if not name.strip():
            return translate("ModelDownload", "No model name given; nothing was deleted. Choose one of: {known}").format(
                known=known)
        if name in (".", "..") or "/" in name or "\\" in name or Path(name).is_absolute():
            return translate(
                "ModelDownload", "'{name}' is a path, not a model name; nothing was deleted. Choose one of: {known}"
            ).format(name=name, known=known)
        return translate(
            "ModelDownload", "Unknown model '{name}'; nothing was deleted. Choose one of: {known}").format(
            name=name, known=known)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass        # not empty (another partial download), or already gone


class _Discard(Exception):
    """The staged download is unusable and must be thrown away."""


def _complete_snapshot(repo: Path) -> Optional[Path]:
    """The snapshot folder `refs/main` points at, when it holds a complete model."""
    try:
        commit = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = repo / "snapshots" / commit
    return folder if commit and local_model_problem(folder) is None else None


def _verify_lfs_checksums(snapshot: Path, cancel: threading.Event, name: str) -> None:
    """LFS blobs are named by their SHA-256: re-hash them so a corrupted transfer is never published."""
    for link in snapshot.iterdir():
        blob = link.resolve()
        if not _SHA256.match(blob.name):
            continue        # git blobs (small text files) are named by a git SHA-1, not a content hash
        digest = hashlib.sha256()
        with open(blob, "rb") as f:
            while chunk := f.read(4 << 20):
                if cancel.is_set():
                    raise DownloadCancelled()
                digest.update(chunk)
        if digest.hexdigest() != blob.name:
            raise _Discard(f"The download of {name} is corrupt ({link.name} does not match its checksum) and was discarded")
