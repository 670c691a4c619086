"""Which engine translates a sentence: Whisper from the audio, Argos from the text, or both.

Pure: it is given what is installed (the Argos pairs, whether the Whisper model is multilingual)
and never imports argostranslate or touches the network. The rule, for `auto`:
- into English: Whisper's own speech→English (no download);
- into another language X with an installed Argos pack source→X: that pack;
- otherwise: Whisper into English, then Argos en→X (packs from English are the most complete set,
  and Whisper's English beats pivoting on text);
- text through English (source→en→X, two Argos packs) when Whisper cannot help (a `.en` model).
`whisper` forces Whisper for the speech→English step (then Argos en→X for other targets);
`argos` forces text translation with installed packs, directly or through English.
Speech already in the target language passes through untranslated.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from voicedesk.engine.events import TranslationEngine
from voicedesk.i18n import translate

ENGLISH = "en"


class EngineChoice(str, enum.Enum):
    """The user's choice of translation engine (`--translation-engine`)."""

    AUTO = "auto"
    WHISPER = "whisper"
    ARGOS = "argos"


class PlanUnavailable(Exception):
    """This pair cannot be translated with what is installed; the message says what to install."""

    def __init__(self, source: str, target: str, message: str, pack: Optional[str] = None) -> None:
        super().__init__(message)
        self.source = source
        self.target = target
        self.pack = pack            # the one pack that would make it work ("en-de"), when there is one


@dataclass(frozen=True)
class TranslationPlan:
    """How one sentence in `source` reaches `target`: Whisper first (speech→English), then Argos text steps."""

    source: str
    target: str
    engine: TranslationEngine
    argos_via: tuple[str, ...] = ()      # Argos text path after Whisper or from the source: ("es", "en", "de")

    @property
    def uses_whisper(self) -> bool:
        return self.engine in (TranslationEngine.WHISPER, TranslationEngine.WHISPER_ARGOS)

    @property
    def argos_source(self) -> Optional[str]:
        """The language the Argos step reads (English after Whisper), or None without an Argos step."""
        if self.engine is TranslationEngine.WHISPER_ARGOS:
            return ENGLISH
        if self.engine is TranslationEngine.ARGOS:
            return self.source
        return None


def parse_choice(value: Optional[str]) -> EngineChoice:
    try:
        return EngineChoice((value or "auto").strip().lower())
    except ValueError:
        raise ValueError(f"unknown translation engine '{value}': use auto, whisper or argos") from None


def _norm(code: Optional[str]) -> Optional[str]:
    if code is None:
        return None
    code = code.strip().lower()
    return None if code in ("", "auto") else code


def install_command(pack: str) -> str:
    """What the user runs to get a language pack (voicedesk's own command, not argospm)."""
    return translate("TranslatePlan",
                     "voicedesk languages install {pack} (or File \u2192 Language packs)").format(pack=pack)


def english_only_model_message(model: str = "") -> str:
    if model:
        return translate("TranslatePlan", "The Whisper model '{model}' is English-only (.en): it cannot translate "
                         "speech. Choose a multilingual model (for example base or small) to translate into "
                         "English.").format(model=model)
    return translate("TranslatePlan", "The Whisper model is English-only (.en): it cannot translate speech. "
                     "Choose a multilingual model (for example base or small) to translate into English.")


def plan_translation(source: str, target: str, choice: EngineChoice | str = EngineChoice.AUTO, *,
                     multilingual: bool, pairs: Iterable[tuple[str, str]]) -> TranslationPlan:
    """The plan for one sentence spoken in `source`; raises PlanUnavailable naming what to install."""
    choice = parse_choice(choice) if not isinstance(choice, EngineChoice) else choice
    src, dst = _norm(source), _norm(target)
    if src is None or dst is None:
        raise PlanUnavailable(source or "", target or "",
                              "Cannot translate: the " + ("spoken" if src is None else "target") + " language is not known")
    if src == dst:
        return TranslationPlan(src, dst, TranslationEngine.IDENTITY)
    installed = set(pairs)

    def argos_text() -> Optional[TranslationPlan]:
        if (src, dst) in installed:
            return TranslationPlan(src, dst, TranslationEngine.ARGOS, (src, dst))
        if ENGLISH not in (src, dst) and (src, ENGLISH) in installed and (ENGLISH, dst) in installed:
            return TranslationPlan(src, dst, TranslationEngine.ARGOS, (src, ENGLISH, dst))
        return None

    def whisper() -> Optional[TranslationPlan]:
        if not multilingual:
            return None
        if dst == ENGLISH:
            return TranslationPlan(src, dst, TranslationEngine.WHISPER)
        if (ENGLISH, dst) in installed:
            return TranslationPlan(src, dst, TranslationEngine.WHISPER_ARGOS, (ENGLISH, dst))
        return None

    if choice is EngineChoice.ARGOS:
        plan = argos_text()
    elif choice is EngineChoice.WHISPER:
        plan = whisper() if src != ENGLISH else argos_text()
    elif dst == ENGLISH:
        plan = whisper() or argos_text()
    else:
        plan = (TranslationPlan(src, dst, TranslationEngine.ARGOS, (src, dst)) if (src, dst) in installed else None)
        plan = plan or whisper() or argos_text()
    if plan is not None:
        return plan
    raise _unavailable(src, dst, choice, multilingual, installed)


def _unavailable(src: str, dst: str, choice: EngineChoice, multilingual: bool,
                 installed: set[tuple[str, str]]) -> PlanUnavailable:
    if choice is EngineChoice.WHISPER and not multilingual:
        return PlanUnavailable(src, dst, english_only_model_message())
    if choice is EngineChoice.ARGOS or not multilingual or src == ENGLISH:
        if src == ENGLISH or dst == ENGLISH:
            pack = f"{src}-{dst}"
            how = install_command(pack)
        else:
            pack = f"{src}-{dst}"
            how = translate("TranslatePlan",
                            "{command}, or {source}-en and en-{target} to translate through English").format(
                command=install_command(pack), source=src, target=dst)
        if not multilingual and dst == ENGLISH:
            message = translate("TranslatePlan", "No language pack translates {pair} (and this English-only "
                                "Whisper model cannot translate speech). Get one with: {how}.")
        else:
            message = translate("TranslatePlan", "No language pack translates {pair}. Get one with: {how}.")
        message = message.format(pair=f"{src}\u2192{dst}", how=how)
        return PlanUnavailable(src, dst, message, pack)
    pack = f"en-{dst}"
    return PlanUnavailable(
        src, dst,
        translate("TranslatePlan", "Whisper translates speech into English only; for {target} it also needs the "
                  "{pack} language pack. Get it with: {command}.").format(
            target=dst, pack=pack, command=install_command(pack)), pack)


@dataclass(frozen=True)
class TargetOption:
    """One entry of the Translate-to list: a target language and what it needs."""

    code: str
    ready: bool                 # translates now with what is installed
    engine: Optional[TranslationEngine] = None
    pack: Optional[str] = None  # the pack to install when not ready ("en-de")
    downloadable: bool = False  # that pack is in the (cached) Argos index

    @property
    def hint(self) -> str:
        """What the list shows beside the language name."""
        if self.ready:
            if self.engine in (TranslationEngine.WHISPER, TranslationEngine.IDENTITY):
                return translate("TranslatePlan", "no download")
            return translate("TranslatePlan", "installed")
        if self.pack:
            return translate("TranslatePlan", "needs pack {pack}").format(pack=self.pack)
        return translate("TranslatePlan", "not available")


def target_options(source: Optional[str], choice: EngineChoice | str = EngineChoice.AUTO, *, multilingual: bool,
                   pairs: Iterable[tuple[str, str]],
                   downloadable_pairs: Iterable[tuple[str, str]] = ()) -> list[TargetOption]:
    """The Translate-to list for speech in `source` (None: detected per sentence), ready ones first.

    `downloadable_pairs` come from the cached Argos index (offline); with no cache it is empty and
    only what is installed, or Whisper's English, is listed.
    """
    choice = parse_choice(choice) if not isinstance(choice, EngineChoice) else choice
    installed = set(pairs)
    downloadable = set(downloadable_pairs)
    src = _norm(source) if multilingual else ENGLISH    # an English-only model only ever hears English
    targets = {dst for _, dst in installed | downloadable}
    if multilingual and choice is not EngineChoice.ARGOS:
        targets.add(ENGLISH)
    options: list[TargetOption] = []
    for dst in sorted(targets):
        if src is not None and dst == src:
            continue
        # Speech detected per sentence: judge the target for some language other than it (Whisper can
        # take any language to English); with Argos only, for English, the pivot every pack reaches.
        probe = src or ("xx" if multilingual and choice is not EngineChoice.ARGOS else ENGLISH)
        if probe == dst:
            continue
        try:
            plan = plan_translation(probe, dst, choice, multilingual=multilingual, pairs=installed)
            options.append(TargetOption(dst, True, plan.engine))
        except PlanUnavailable as exc:
            pack = exc.pack
            options.append(TargetOption(dst, False, None, pack, bool(pack and tuple(pack.split("-", 1)) in downloadable)))
    return sorted(options, key=lambda o: (not o.ready, o.code))


def translation_problem(target: Optional[str], language: Optional[str], choice: EngineChoice | str, *,
                        multilingual: bool, model_name: str,
                        load_pairs: Callable[[], Iterable[tuple[str, str]]]) -> Optional[str]:
    """One line saying why translating into `target` cannot work here, or None when it can (CLI and server).

    With the spoken language detected per sentence, some language must reach the target: Whisper takes
    any to English, so a multilingual model is judged for an unknown non-English source. `load_pairs`
    (the installed Argos pairs) is only called when a pack could be needed.
    """
    from voicedesk.models.argos_files import TranslationError

    target = _norm(target)
    if target is None:
        return None
    choice = parse_choice(choice) if not isinstance(choice, EngineChoice) else choice
    if not multilingual and (target == ENGLISH or choice is EngineChoice.WHISPER):
        return english_only_model_message(model_name)
    source = _norm(language) or (ENGLISH if not multilingual or choice is EngineChoice.ARGOS else "xx")
    try:
        needs_packs = not (multilingual and target == ENGLISH and choice is not EngineChoice.ARGOS)
        plan_translation(source, target, choice, multilingual=multilingual,
                         pairs=load_pairs() if needs_packs else [])
    except (PlanUnavailable, TranslationError) as exc:
        return str(exc)
    return None
