"""Which language pairs the installed Argos packages can translate, directly or through English.

argostranslate is imported inside the functions: it pulls in CTranslate2 and ONNX Runtime, and the
app should start without paying for that. Nothing here ever asks the package index (network).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# The error type, the pivot language and installing a pack file belong to the language packs
# (voicedesk.models.argos_files); re-exported here for the engine's users.
from voicedesk.i18n import translate
from voicedesk.models import argos_internals
from voicedesk.models.argos_files import PIVOT, TranslationError, install_package_file

__all__ = [
    "AUTO", "PIVOT", "Route", "TranslationError", "TranslationUnavailable", "find_route", "install_hint",
    "install_package_file", "installed_pairs", "normalize_code", "reachable_targets",
]

AUTO = "auto"


class TranslationUnavailable(TranslationError):
    """No installed package (nor pair of packages through English) translates this pair."""

    def __init__(self, source: str, target: str, message: str):
        super().__init__(message)
        self.source = source
        self.target = target


@dataclass(frozen=True)
class Route:
    """How source text reaches the target language: `via` lists pivot languages, empty when direct."""

    source: str
    target: str
    via: tuple[str, ...] = ()
    translation: Any = field(default=None, repr=False, compare=False)  # an argostranslate ITranslation

    @property
    def is_identity(self) -> bool:
        return self.source == self.target

    def translate(self, text: str) -> str:
        if self.is_identity:
            return text
        return self.translation.translate(text)


def normalize_code(code: Optional[str]) -> Optional[str]:
    """Lower-cased, stripped code; None for empty or "auto" (meaning: take it from each segment)."""
    if code is None:
        return None
    code = code.strip().lower()
    return None if code in ("", AUTO) else code


def installed_pairs() -> list[tuple[str, str]]:
    """(from, to) of every installed Argos translation package, sorted."""
    from argostranslate import package

    try:
        packages = package.get_installed_packages()
    except (OSError, ValueError) as exc:  # a broken folder in the package dir, unreadable metadata
        raise TranslationError(translate(
            "LanguagePacks", "Cannot read the installed Argos language packages: {reason}").format(reason=exc)) from exc
    return sorted({(p.from_code, p.to_code) for p in packages if p.type == "translate" and p.from_code and p.to_code})


def _reachable_from(source: str, pairs: list[tuple[str, str]]) -> set[str]:
    targets = {dst for src, dst in pairs if src == source}
    if source != PIVOT and PIVOT in targets:
        targets |= {dst for src, dst in pairs if src == PIVOT}
    targets.discard(source)
    return targets


def reachable_targets(source: Optional[str]) -> list[str]:
    """Target codes reachable from `source` (direct or through English), without `source` itself.

    With no source (None or "auto": detected per segment) it is every target reachable from some
    installed source language.
    """
    pairs = installed_pairs()
    src = normalize_code(source)
    if src is not None:
        return sorted(_reachable_from(src, pairs))
    sources = {s for s, _ in pairs}
    return sorted(set().union(*(_reachable_from(s, pairs) for s in sources)))


def install_hint(source: str, target: str) -> str:
    from voicedesk.engine.translation.plan import install_command

    return translate("LanguagePacks", "Get it with: {command}; a downloaded .argosmodel file installs with: "
                     "voicedesk languages install FILE").format(command=install_command(f"{source}-{target}"))


def _direct_translations() -> dict[tuple[str, str], Any]:
    """Package translations keyed by (from, to): no identity and no multi-hop composite, as we route ourselves,
    through English only, so that the user can be told exactly what is missing."""
    return argos_internals.direct_translations()


def find_route(source: str, target: str) -> Route:
    """The route from `source` to `target`, made safe to run offline; raises TranslationUnavailable."""
    from voicedesk.engine.translation.sentence_split import make_offline

    src, dst = normalize_code(source), normalize_code(target)
    if src is None or dst is None:
        missing = "source" if src is None else "target"
        raise TranslationUnavailable(
            source or "", target or "", f"Cannot translate: the {missing} language is not known"
        )
    if src == dst:
        return Route(src, dst)

    try:
        direct = _direct_translations()
    except (OSError, ValueError) as exc:  # a broken folder in the package dir, unreadable metadata
        raise TranslationError(translate(
            "LanguagePacks", "Cannot read the installed Argos language packages: {reason}").format(reason=exc)) from exc
    if (src, dst) in direct:
        route = Route(src, dst, (), direct[(src, dst)])
    elif PIVOT not in (src, dst) and (src, PIVOT) in direct and (PIVOT, dst) in direct:
        route = Route(src, dst, (PIVOT,), argos_internals.composite(direct[(src, PIVOT)], direct[(PIVOT, dst)]))
    else:
        raise TranslationUnavailable(src, dst, _unavailable_message(src, dst, direct))
    make_offline(route.translation)
    return route


def _unavailable_message(src: str, dst: str, direct: dict[tuple[str, str], Any]) -> str:
    pair = f"{src}\u2192{dst}"
    if PIVOT in (src, dst):
        return translate("LanguagePacks", "No Argos language package for {pair} is installed. {hint}.").format(
            pair=pair, hint=install_hint(src, dst))
    halves = [(src, PIVOT), (PIVOT, dst)]
    missing = " and ".join(f"{a}\u2192{b}" for a, b in halves if (a, b) not in direct)
    return translate("LanguagePacks", "No Argos language package for {pair} is installed (and none through "
                     "English: {missing} missing). {hint}.").format(pair=pair, missing=missing,
                                                                    hint=install_hint(src, dst))

