"""Offline sentence splitting for Argos translations (argos-translate-lt would download MiniSBD models)."""

from __future__ import annotations

import re
from typing import Any

from voicedesk.models import argos_internals

# A boundary is terminal punctuation followed by whitespace, or CJK full stops that need none.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")


class PunctuationSentencizer:
    """Splits text after . ! ? … (and CJK stops); speech segments are short, so this is plenty."""

    def split_sentences(self, text: str) -> list[str]:
        sentences = [part.strip() for part in _BOUNDARY.split(text)]
        return [s for s in sentences if s] or [text]

    def __str__(self) -> str:
        return "PunctuationSentencizer"


def make_offline(translation: Any) -> None:
    """Give every package translation inside an Argos translation a splitter that never needs the network.

    Keeps MiniSBD only when its model is already on disk (argostranslate's internals: models/argos_internals.py).
    Idempotent.
    """
    for item in argos_internals.package_translations(translation):
        current = argos_internals.sentencizer(item)
        if not (isinstance(current, PunctuationSentencizer) or argos_internals.minisbd_model_on_disk(current)):
            argos_internals.set_sentencizer(item, PunctuationSentencizer())
