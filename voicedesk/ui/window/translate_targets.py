"""The Translate-to list: which targets the chosen model and the installed packs reach, and what the others need.

`answer_targets` runs on the controller thread: it reads the installed Argos packs (which imports
argostranslate), the model's vocabulary file and the cached package index (never the network).
On the GUI thread, `fill_target_combo` and `target_notice` turn the answer into dropdown items and
the banner's words. Only those two touch Qt (the dropdown, language names).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox

from voicedesk.engine.translation.plan import (
    ENGLISH,
    EngineChoice,
    PlanUnavailable,
    TargetOption,
    english_only_model_message,
    install_command,
    parse_choice,
    plan_translation,
    target_options,
)
from voicedesk.ui.i18n import shown

log = logging.getLogger(__name__)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") as a string to translate
TARGET_TIP = QT_TRANSLATE_NOOP(
    "TranslateTargets",
    "Translate each finished sentence into this language; languages that need a language pack say which")
ENGINE_LABELS = (   # translated where they are shown (context "TranslateTargets")
    (EngineChoice.AUTO, QT_TRANSLATE_NOOP("TranslateTargets", "&Auto"),
     QT_TRANSLATE_NOOP("TranslateTargets", "Whisper for English, Argos language packs for other languages")),
    (EngineChoice.WHISPER, QT_TRANSLATE_NOOP("TranslateTargets", "&Whisper"),
     QT_TRANSLATE_NOOP("TranslateTargets",
                       "Whisper translates the speech into English (then Argos, for other languages)")),
    (EngineChoice.ARGOS, QT_TRANSLATE_NOOP("TranslateTargets", "A&rgos"),
     QT_TRANSLATE_NOOP("TranslateTargets", "Argos language packs translate the transcribed text")),
)


@dataclass(frozen=True)
class TargetsRequest:
    """What the Translate-to list depends on."""

    source: Optional[str]            # the spoken language; None: detected per sentence
    model: str                       # EngineSettings.model: a folder or a catalogue name
    engine: str = EngineChoice.AUTO.value
    wanted: Optional[str] = None     # the user's target: listed (as not ready) even when nothing reaches it


@dataclass(frozen=True)
class TargetsAnswer:
    request: TargetsRequest
    options: tuple[TargetOption, ...]
    multilingual: bool               # the model can translate speech (not a `.en` model)
    problem: str = ""                # why the installed packs could not be read, when they could not

    def option(self, code: Optional[str]) -> Optional[TargetOption]:
        return next((o for o in self.options if o.code == code), None)


def _unlisted_option(code: str, request: TargetsRequest, multilingual: bool, pairs: set[tuple[str, str]],
                     downloadable: set[tuple[str, str]]) -> Optional[TargetOption]:
    """The wanted target when no pack reaches it: not ready, with the pack it needs (None: not a translation)."""
    choice = parse_choice(request.engine)
    src = (request.source or None) if multilingual else ENGLISH
    # judged as target_options judges targets when the language is detected per sentence
    probe = src or ("xx" if multilingual and choice is not EngineChoice.ARGOS else ENGLISH)
    if probe == code:
        return None
    try:
        plan = plan_translation(probe, code, choice, multilingual=multilingual, pairs=pairs)
        return TargetOption(code, True, plan.engine)
    except PlanUnavailable as exc:
        pack = exc.pack
        return TargetOption(code, False, None, pack, bool(pack) and tuple(pack.split("-", 1)) in downloadable)


def build_options(request: TargetsRequest, *, multilingual: bool, pairs: Iterable[tuple[str, str]],
                  downloadable: Iterable[tuple[str, str]] = ()) -> list[TargetOption]:
    """`target_options` for the request, plus the wanted target when no installed or indexed pack lists it."""
    installed, indexed = set(pairs), set(downloadable)
    options = target_options(request.source, request.engine, multilingual=multilingual, pairs=installed,
                             downloadable_pairs=indexed)
    wanted = (request.wanted or "").strip().lower()
    if wanted and all(o.code != wanted for o in options):
        extra = _unlisted_option(wanted, request, multilingual, installed, indexed)
        if extra is not None:
            options.append(extra)
    return options


def cached_downloadable_pairs() -> set[tuple[str, str]]:
    """(from, to) of every pack in the package index as last fetched; empty with no cached copy. No network."""
    from voicedesk.models.argos_index import cached_index

    listing = cached_index()
    return {(e.from_code, e.to_code) for e in listing.entries} if listing is not None else set()


def answer_targets(request: TargetsRequest) -> TargetsAnswer:
    """The Translate-to list for `request` (slow: argostranslate import, file reads; run it off the GUI thread)."""
    from voicedesk.models.choices import is_multilingual_model

    multilingual = is_multilingual_model(request.model) if request.model else True
    problem = ""
    try:
        from voicedesk.engine.translation.routes import installed_pairs

        pairs = installed_pairs()
    except Exception as exc:  # a broken Argos install must not take the dropdown down with it
        log.warning("installed language packs unavailable: %s", exc)
        pairs, problem = [], str(exc)
    try:
        downloadable = cached_downloadable_pairs()
    except Exception as exc:
        log.warning("cached package index unreadable: %s", exc)
        downloadable = set()
    options = build_options(request, multilingual=multilingual, pairs=pairs, downloadable=downloadable)
    return TargetsAnswer(request, tuple(options), multilingual, problem)


def fill_target_combo(combo: QComboBox, answer: TargetsAnswer, wanted: Optional[str]) -> bool:
    """Refill the dropdown ("None", ready targets, then those that need a pack) and select `wanted`,
    without signals; False when `wanted` is not offered at all (then "None" is selected)."""
    from voicedesk.ui.languages import language_name

    from voicedesk.ui.languages import sort_key

    options = sorted(answer.options, key=lambda o: (not o.ready, sort_key(language_name(o.code))))
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(translate("TranslateTargets", "None"), None)
    for option in options:
        combo.addItem(f"{language_name(option.code)} \u2014 {shown(option.hint)}", option.code)
        if not option.ready:
            combo.setItemData(combo.count() - 1, not_ready_message(language_name(option.code), option),
                              Qt.ItemDataRole.ToolTipRole)
    index = combo.findData(wanted) if wanted else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    problem = translate("TranslateTargets", "Language packs unavailable: {reason}").format(reason=answer.problem)
    combo.setToolTip(problem if answer.problem else translate("TranslateTargets", TARGET_TIP))
    return index >= 0


def target_notice(answer: TargetsAnswer, chosen: Optional[str], missing: Optional[str], model_name: str) -> str:
    """What the user must know about the target: why `chosen` cannot translate yet, or why `missing` (a
    remembered target the list does not offer) is gone; "" when all is well."""
    from voicedesk.ui.languages import language_name

    option = answer.option(chosen)
    if missing:
        return not_offered_message(language_name(missing), missing, answer, model_name)
    if option is not None and not option.ready:
        return not_ready_message(language_name(option.code), option)
    return ""


def not_ready_message(language: str, option: TargetOption) -> str:
    """The banner for a target chosen before its pack is installed: exactly what to install."""
    if option.pack:
        return translate("TranslateTargets", "Translation to {language} is not available yet: it needs the {pack} "
                         "language pack. Get it with: {command}. Translation stays off until then.").format(
            language=language, pack=option.pack, command=shown(install_command(option.pack)))
    return translate("TranslateTargets", "Translation to {language} is not available with this model and engine. "
                     "Translation stays off.").format(language=language)


def not_offered_message(language: str, code: str, answer: TargetsAnswer, model_name: str) -> str:
    """The banner for a remembered target the list cannot offer at all."""
    if code == ENGLISH and not answer.multilingual:
        return shown(english_only_model_message(model_name))
    if code == answer.request.source:
        return translate("TranslateTargets", "{language} is the spoken language: there is nothing to translate. "
                         "Pick another language in \u201cTranslate to\u201d.").format(language=language)
    return translate("TranslateTargets", "Translation to {language} is not available with this model and "
                     "translation engine. Pick another language in \u201cTranslate to\u201d, or choose "
                     "Edit \u2192 Translation engine \u2192 Auto.").format(language=language)
