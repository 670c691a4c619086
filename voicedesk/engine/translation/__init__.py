"""Offline translation with Argos Translate: routing between installed packages, and the worker.

Import cost: this module does not import argostranslate (nor CTranslate2 / ONNX Runtime); the
functions do, the first time they are called.

- `installed_pairs()`, `reachable_targets(source)`: what the installed packages can do.
- `find_route(src, dst)`: a `Route` (direct, or through English) or `TranslationUnavailable`.
- `TranslationWorker`: translates FinalSegments on its own thread, emits Translation events.
- `install_package_file(path)`: install a downloaded `.argosmodel`.
"""

from voicedesk.engine.translation.routes import (
    AUTO,
    PIVOT,
    Route,
    TranslationError,
    TranslationUnavailable,
    find_route,
    install_package_file,
    installed_pairs,
    normalize_code,
    reachable_targets,
)
from voicedesk.engine.translation.sentence_split import PunctuationSentencizer, make_offline
from voicedesk.engine.translation.worker import TranslationWorker

__all__ = [
    "AUTO",
    "PIVOT",
    "PunctuationSentencizer",
    "Route",
    "TranslationError",
    "TranslationUnavailable",
    "TranslationWorker",
    "find_route",
    "install_package_file",
    "installed_pairs",
    "limit_translation_threads",
    "make_offline",
    "normalize_code",
    "reachable_targets",
]


def limit_translation_threads(threads: int) -> None:
    """Cap CTranslate2 threads per Argos translation (its default takes every core, which Whisper needs)."""
    from argostranslate import settings

    settings.intra_threads = threads
