"""Every use of argostranslate's (and its MiniSBD's) internals, in one place; tests/unit/test_upstream_internals.py
checks each one.

- The structure of a translation object: `CachedTranslation.underlying`, `CompositeTranslation.t1`/`t2`
  and `PackageTranslation.sentencizer`. argostranslate offers no way to choose a package's sentence
  splitter, and its MiniSBD splitter downloads a model the first time it runs; translations must work
  offline, so the splitter of each package translation is replaced (engine/translation/sentence_split.py decides with what).
- `MiniSBDSentencizer.lang` and minisbd's `models.MODELS` / `models.cache_dir`: where a MiniSBD model would
  be found on disk, to keep the splitter only when it needs no download.
- `Language.translations_from` holding one `CachedTranslation` per installed package, next to the identity
  and argostranslate's own multi-hop composites: voicedesk routes through English itself, so that the user
  can be told exactly which pack is missing, and takes only the direct ones.
- `translate.installed_translates` and `translate.get_installed_languages.cache_clear()`: argostranslate
  caches the installed packages' translations for the process's life; after an install or an uninstall
  they are forgotten so the change shows at once.
- `package.package_lock`: argostranslate's own lock around its package folder, held while a pack is
  unpacked into place so no listing or uninstall sees half of it.

Known to work: argos-translate-lt 1.12.1 (pyproject.toml bounds it below the next minor version).
argostranslate is imported inside the functions: it pulls in CTranslate2 and ONNX Runtime.
"""

from __future__ import annotations

import os
from typing import Any, ContextManager


def package_translations(translation: Any) -> list[Any]:
    """The `PackageTranslation`s an Argos translation is built from (through caches and composites)."""
    from argostranslate.translate import CachedTranslation, CompositeTranslation, PackageTranslation

    found, pending = [], [translation]
    while pending:
        item = pending.pop()
        if isinstance(item, CachedTranslation):
            pending.append(item.underlying)
        elif isinstance(item, CompositeTranslation):
            pending.extend((item.t1, item.t2))
        elif isinstance(item, PackageTranslation):
            found.append(item)
    return found


def direct_translations() -> dict[tuple[str, str], Any]:
    """The installed packages' own translations (argostranslate's cached, shared objects) keyed by (from, to)."""
    from argostranslate import translate

    direct: dict[tuple[str, str], Any] = {}
    for language in translate.get_installed_languages():
        for t in language.translations_from:
            if isinstance(t, translate.CachedTranslation):     # not the identity, not a multi-hop composite
                direct.setdefault((t.from_lang.code, t.to_lang.code), t)
    return direct


def composite(first: Any, second: Any) -> Any:
    """A translation that runs `first`, then `second` on its output (argostranslate's CompositeTranslation)."""
    from argostranslate.translate import CompositeTranslation

    return CompositeTranslation(first, second)


def sentencizer(package_translation: Any) -> Any:
    """The sentence splitter a package translation uses."""
    return package_translation.sentencizer


def set_sentencizer(package_translation: Any, splitter: Any) -> None:
    """Make a package translation split sentences with `splitter` (anything with `split_sentences(text)`)."""
    package_translation.sentencizer = splitter


def minisbd_model_on_disk(splitter: Any) -> bool:
    """Whether `splitter` is argostranslate's MiniSBD splitter and would find its model locally, not download it."""
    from argostranslate.sbd import MiniSBDSentencizer

    if not isinstance(splitter, MiniSBDSentencizer):
        return False
    lang = splitter.lang
    if not isinstance(lang, str):
        return False
    if os.path.isabs(lang) and os.path.isfile(lang):  # the package ships minisbd/<lang>.onnx
        return True
    from minisbd import models as minisbd_models

    filename = minisbd_models.MODELS.get(lang)
    return filename is not None and os.path.isfile(os.path.join(minisbd_models.cache_dir, filename))


def forget_installed_translations() -> None:
    """Drop argostranslate's cached translations and languages: the installed packs changed."""
    from argostranslate import translate

    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


def forget_installed_languages() -> None:
    """Drop argostranslate's cached list of installed languages (a pack was installed)."""
    from argostranslate.translate import get_installed_languages

    get_installed_languages.cache_clear()


def package_lock() -> ContextManager[Any]:
    """argostranslate's lock around its package folder (listing, installing, uninstalling)."""
    from argostranslate import package

    return package.package_lock
