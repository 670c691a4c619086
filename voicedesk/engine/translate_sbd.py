"""Offline sentence splitting for Argos translations (argos-translate-lt would download MiniSBD models)."""

from __future__ import annotations

import os
import re
from typing import Any

# A boundary is terminal punctuation followed by whitespace, or CJK full stops that need none.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")


class PunctuationSentencizer:
    """Splits text after . ! ? … (and CJK stops); speech segments are short, so this is plenty."""

    def split_sentences(self, text: str) -> list[str]:
        sentences = [part.strip() for part in _BOUNDARY.split(text)]
        return [s for s in sentences if s] or [text]

    def __str__(self) -> str:
        return "PunctuationSentencizer"


def _minisbd_model_on_disk(sentencizer: Any) -> bool:
    """Whether a MiniSBD sentencizer would find its .onnx locally instead of downloading it."""
    lang = getattr(sentencizer, "lang", None)
    if not isinstance(lang, str):
        return False
    if os.path.isabs(lang) and os.path.isfile(lang):  # the package ships minisbd/<lang>.onnx
        return True
    from minisbd import models as minisbd_models

    filename = minisbd_models.MODELS.get(lang)
    return filename is not None and os.path.isfile(os.path.join(minisbd_models.cache_dir, filename))


def make_offline(translation: Any) -> None:
    """Give every package translation inside an Argos translation a splitter that never needs the network.

    Walks the supported structure (CachedTranslation.underlying, CompositeTranslation.t1/t2) down to
    each PackageTranslation and replaces its `sentencizer`, keeping MiniSBD only when its model is
    already on disk. Idempotent.
    """
    from argostranslate.sbd import MiniSBDSentencizer
    from argostranslate.translate import CachedTranslation, CompositeTranslation, PackageTranslation

    pending = [translation]
    while pending:
        item = pending.pop()
        if isinstance(item, CachedTranslation):
            pending.append(item.underlying)
        elif isinstance(item, CompositeTranslation):
            pending.extend((item.t1, item.t2))
        elif isinstance(item, PackageTranslation):
            current = item.sentencizer
            keep = isinstance(current, PunctuationSentencizer) or (
                isinstance(current, MiniSBDSentencizer) and _minisbd_model_on_disk(current)
            )
            if not keep:
                item.sentencizer = PunctuationSentencizer()
