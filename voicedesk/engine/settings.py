"""Engine configuration as data: one frozen dataclass that the UI persists and the CLI builds from flags.

Two routes share it. The live route (a microphone, system audio, a paced replay) trades accuracy for
latency: short encoder windows, quick cuts at half-second pauses. The file route (any source that is
not real time: a file, an upload) has no one waiting for a word, so it is decoded as Whisper was
trained: windows of up to ~30 s of contiguous audio cut at pauses, the full encoder window. The
`file_*` fields are that route's; the VAD and window fields above them are the live route's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class EngineSettings:
    model: str = "base"                   # a size name (tiny, base, ..., large-v3, turbo, *.en) or a CTranslate2 folder
    device: str = "auto"                  # auto | cpu | cuda
    compute_type: str = "default"         # default picks int8 on CPU, float16 on CUDA
    cpu_threads: int = 0                  # 0: let CTranslate2 decide
    language: Optional[str] = None        # None: detect per utterance
    translate_to: Optional[str] = None    # None: no translation
    translation_engine: str = "auto"      # auto | whisper | argos (see engine/translate_plan.py)
    sentence_gap_s: float = 1.5           # a pause this long ends a turn: context and sentences never cross it
    sentence_settle_s: float = 0.9        # a full stop at the end of an utterance ends the sentence after this pause
    context_across_pauses: bool = False   # carry the turn's text as prompt into the next utterance (measured: worse)
    beam_size: int = 5                    # beam for final decodes
    partial_beam_size: int = 1            # greedy for partial refreshes
    vad_threshold: float = 0.5            # Silero speech probability to open the gate
    end_silence_s: float = 0.5            # silence that ends an utterance
    pre_roll_s: float = 0.3               # audio kept before speech onset so first words are not clipped
    partial_interval_s: float = 0.5       # how often the growing utterance is re-decoded, at the most
    slow_start_s: float = 4.0             # the first seconds of an utterance are refreshed at twice that interval
    decode_duty: float = 0.7              # ...and at most this share of the time spent in those decodes (adapts the cadence to the machine)
    final_on_commit: bool = True          # committed words become a final at once, not at a sentence end (continuous speech)
    trim_buffer_s: float = 8.0            # past this much audio, the buffer is cut at a committed word (short decodes)
    partial_holdback_s: float = 0.0       # >0: a partial leaves out words that end this close to the audio's end (less flicker)
    commit_min_age_s: float = 1.0         # an agreed word is committed once this much audio followed it (fast cadences guess alike)
    commit_age_s: float = 4.0             # words that end this long before the buffer end are committed, even unconfirmed
    max_utterance_s: float = 25.0         # buffer bound: trim at committed words, force a cut beyond this
    fit_encoder_window: bool = True       # encode only the audio present instead of a padded 30 s window
    encoder_min_window_s: float = 6.0     # ...but never less than this (shorter windows cost accuracy)
    encoder_margin_s: float = 1.0         # silence the encoder sees after the audio, so the model can tell the end
    speculative_final: bool = True        # start the final decode on the first short pause, keep it if the pause ends the utterance
    no_speech_threshold: float = 0.6
    prompt_chars: int = 200               # committed text carried as prompt inside an utterance
    vocabulary: tuple[str, ...] = ()      # names and terms Whisper gets as hotwords (engine/vocabulary.py)
    settle_sentences: bool = True         # live: decode each complete sentence again whole (engine/settle.py)
    # --- the file route (benchmarks/file_accuracy.py) ---
    file_window_s: float = 24.0           # contiguous audio decoded at once, cut at a pause (Whisper's window is 30 s:
                                          # its last words never sit at the window's edge)
    file_max_pause_s: float = 3.0         # a longer pause ends a window: silence is not fed to Whisper
    file_vad_threshold: float = 0.35      # the gate only finds speech and places to cut; Whisper decides the words
    file_end_silence_s: float = 0.5       # a pause this long is a place where a window may be cut
    file_pre_roll_s: float = 0.5

    def for_file(self) -> "EngineSettings":
        """These settings as the file route uses them (its gate values in the gate's fields)."""
        return dataclasses.replace(self, vad_threshold=self.file_vad_threshold, end_silence_s=self.file_end_silence_s,
                                   pre_roll_s=self.file_pre_roll_s)
