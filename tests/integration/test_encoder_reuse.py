"""Settling a sentence on Auto-detect asks Whisper three things of the same audio: its language, its words and (with
speech→English on) its translation. The encoder is most of each; it runs once (real base model, real speech)."""

from __future__ import annotations

import numpy as np

from testkit.speech import load
from voicedesk.engine.asr import DecodeOptions, WhisperAsr
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.whisper_internals import encoder_outputs_reused

SETTLE = DecodeOptions(beam_size=5, language="en", final=True, full_window=True)


def _asr(base_model: str) -> WhisperAsr:
    asr = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2))
    asr.load()
    return asr


def test_the_language_the_words_and_the_translation_of_one_sentence_share_one_encoding(base_model, speech):
    asr = _asr(base_model)
    sentence = load(speech["jfk_en"].path)[: 16_000 * 6]
    other = load(speech["quilter_en"].path)[: 16_000 * 6]
    asr.decode(other, 0.0, SETTLE)                      # the encoder last saw other audio
    fresh = asr.decode(sentence, 0.0, SETTLE)

    asr.decode(other, 0.0, SETTLE)
    before = encoder_outputs_reused()
    languages = asr.detect_language(sentence, full_window=True)
    settled = asr.decode(sentence, 0.0, SETTLE)
    english = asr.translate(sentence, "en")
    assert encoder_outputs_reused() - before == 2, "the decode and the translation reuse the detection's encoding"

    assert max(languages, key=languages.__getitem__) == "en"
    assert settled == fresh, "a reused encoding decodes exactly as a fresh one"
    assert "fellow americans" in english.lower(), english


def test_other_audio_or_another_window_is_encoded_afresh(base_model, speech):
    asr = _asr(base_model)
    sentence = load(speech["jfk_en"].path)[: 16_000 * 6]
    asr.detect_language(sentence, full_window=True)
    before = encoder_outputs_reused()
    nudged = sentence.copy()
    nudged[1000] += np.float32(0.01)
    asr.decode(nudged, 0.0, SETTLE)
    asr.decode(nudged, 0.0, DecodeOptions(beam_size=5, language="en", final=True))       # the live route's window
    asr.translate(sentence, "en")           # not the audio last encoded whole: the live route's window
    assert encoder_outputs_reused() == before


def test_a_sentence_decoded_ahead_is_translated_from_its_encoding_after_the_live_decodes_between(base_model, speech):
    # continuous speech: the sentence is settled from a decode ahead, the live route decodes the next words in short
    # windows, and the sentence is translated once it completes
    asr = _asr(base_model)
    sentence = load(speech["jfk_en"].path)[: 16_000 * 6]
    following = load(speech["quilter_en"].path)[: 16_000 * 4]
    asr.detect_language(sentence, full_window=True)
    asr.decode(sentence, 0.0, SETTLE)
    live = DecodeOptions(beam_size=1, language="en", final=False)
    asr.decode(following[: 16_000 * 2], 6.0, live)
    asr.decode(following, 6.0, live)
    before = encoder_outputs_reused()
    english = asr.translate(sentence, "en")
    assert encoder_outputs_reused() - before == 1, "the translation reuses the decode ahead's encoding"
    assert "fellow americans" in english.lower(), english
