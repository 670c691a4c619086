"""A long sentence decoded with a full context prompt, as the settle pass does (real base model, real speech).

Whisper's text context holds 448 tokens: the prompt and the words it writes share them. faster-whisper
refuses a decode that asks for more, so a 20 s sentence with 200 characters of settled text before it
failed to settle (found by benchmarks/continuous.py) and kept its provisional words.
"""

from __future__ import annotations

from testkit.speech import load
from voicedesk.engine.asr import DecodeOptions, WhisperAsr
from voicedesk.engine.settings import EngineSettings

CONTEXT = ("The committee met on Thursday to discuss the budget for next year. Several members argued that the "
           "money for road repairs should be doubled, because the last winter had been unusually hard. Others")


def test_a_long_sentence_with_a_full_context_prompt_is_decoded_whole(base_model, speech):
    asr = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2))
    asr.load()
    audio = load(speech["multilingual"].path)[: 16_000 * 27]          # the English reading, 27 s of it
    options = DecodeOptions(beam_size=5, language="en", prompt=CONTEXT[-200:], final=True, full_window=True)
    words = asr.decode(audio, 0.0, options).words
    text = " ".join(w.text.strip() for w in words).lower()
    assert len(words) >= 40, text                                        # the whole stretch, not a failed decode
    assert "permission" in text or "software" in text, text
    english = asr.translate(load(speech["multilingual"].path)[-16_000 * 27:], "de", prompt=CONTEXT[-200:])
    assert len(english.split()) >= 20, english


def test_a_decode_with_a_prefix_returns_only_the_words_said_after_it(base_model, speech):
    """The settle pass decodes a sentence with the settled sentences before it: their audio first, their text as
    Whisper's prefix. What comes back is the new sentence alone, timed where it was said, and a phrase said again
    after the prefix is not taken for a loop of it."""
    asr = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2))
    asr.load()
    audio = load(speech["jfk_en"].path)
    options = DecodeOptions(beam_size=5, language="en", final=True, full_window=True)
    first = asr.decode(audio[: int(5.5 * 16_000)], 0.0, options).words          # "And so, my fellow Americans, ask not"
    prefix = "".join(w.text for w in first)
    rest = asr.decode(audio, 0.0, DecodeOptions(**{**options.__dict__, "prefix": prefix}))
    text = " ".join(w.text.strip() for w in rest.words).lower()
    assert rest.prefix_read and "country" in text and "fellow" not in text, text
    assert rest.words[0].start >= first[-2].end, (first, rest.words)         # after "ask not", not from 0 s
    # a prefix the audio does not start with is still read back: its words are never returned
    odd = asr.decode(audio, 0.0, DecodeOptions(**{**options.__dict__, "prefix": "Completely different words."}))
    assert odd.prefix_read and "completely" not in " ".join(w.text for w in odd.words).lower()
