"""Translation routing: which engine translates a sentence, and what to install when none can (pure)."""

import pytest

from voicedesk.engine.events import TranslationEngine
from voicedesk.engine.translation.plan import PlanUnavailable, plan_translation, target_options

PACKS = [("en", "de"), ("es", "en")]


def engine_for(source, target, choice="auto", multilingual=True, pairs=PACKS):
    return plan_translation(source, target, choice, multilingual=multilingual, pairs=pairs).engine


def test_auto_uses_whisper_into_english_and_argos_or_whisper_then_argos_otherwise():
    assert engine_for("es", "en") is TranslationEngine.WHISPER          # no pack needed, even with es-en installed
    assert engine_for("de", "en", pairs=[]) is TranslationEngine.WHISPER
    assert engine_for("es", "de") is TranslationEngine.WHISPER_ARGOS     # Whisper's English, then en→de
    assert engine_for("en", "de") is TranslationEngine.ARGOS
    assert engine_for("es", "fr", pairs=[("es", "fr"), ("en", "fr")]) is TranslationEngine.ARGOS  # direct pack wins
    assert engine_for("en", "en") is TranslationEngine.IDENTITY          # English speech passes through


def test_forcing_an_engine():
    assert engine_for("es", "en", "argos") is TranslationEngine.ARGOS
    plan = plan_translation("es", "de", "argos", multilingual=True, pairs=PACKS)
    assert plan.engine is TranslationEngine.ARGOS and plan.argos_via == ("es", "en", "de")
    assert engine_for("es", "de", "whisper") is TranslationEngine.WHISPER_ARGOS
    with pytest.raises(PlanUnavailable, match="voicedesk languages install de-en"):
        engine_for("de", "en", "argos")


def test_missing_packs_name_voicedesks_own_command():
    with pytest.raises(PlanUnavailable) as info:
        engine_for("es", "fr")
    assert info.value.pack == "en-fr" and "voicedesk languages install en-fr" in str(info.value)
    assert "argospm" not in str(info.value)


def test_an_english_only_model_never_translates_speech():
    with pytest.raises(PlanUnavailable, match="English-only"):
        engine_for("es", "en", "whisper", multilingual=False)
    with pytest.raises(PlanUnavailable, match="es-en"):
        engine_for("es", "en", multilingual=False, pairs=[])
    assert engine_for("en", "de", multilingual=False) is TranslationEngine.ARGOS


def test_the_translate_to_list_says_what_each_target_needs():
    options = {o.code: o for o in target_options(None, multilingual=True, pairs=PACKS,
                                                 downloadable_pairs=[("en", "fr"), ("fr", "en")])}
    assert options["en"].ready and options["en"].hint == "no download"
    assert options["de"].ready and options["de"].hint == "installed"
    assert not options["fr"].ready and options["fr"].hint == "needs pack en-fr" and options["fr"].downloadable
    english_only = {o.code for o in target_options(None, multilingual=False, pairs=PACKS)}
    assert "en" not in english_only and "de" in english_only
