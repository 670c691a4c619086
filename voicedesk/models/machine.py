"""The Whisper model to suggest for this computer, from its cores, memory and GPU."""

from __future__ import annotations

import os
from dataclasses import dataclass

from voicedesk.i18n import translate


@dataclass(frozen=True)
class MachineFacts:
    cores: int
    memory_gb: float
    cuda_devices: int


@dataclass(frozen=True)
class Recommendation:
    name: str
    reason: str


def machine_facts() -> MachineFacts:
    import psutil

    cores = psutil.cpu_count(logical=False) or os.cpu_count() or 1
    memory = psutil.virtual_memory().total / 1e9
    return MachineFacts(cores=int(cores), memory_gb=memory, cuda_devices=_cuda_devices())


def _cuda_devices() -> int:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # a broken CUDA install must not stop the app from suggesting a CPU model
        return 0


def recommend(facts: MachineFacts) -> Recommendation:
    """Multilingual sizes only: the app translates, and the user may not speak English.

    Live transcription must keep up with speech, so on a CPU the choice is by cores first.
    """
    if facts.cuda_devices > 0 and facts.memory_gb >= 8:
        return Recommendation("large-v3-turbo", translate(
            "ModelChoice", "a CUDA GPU is present: the turbo model runs in real time with near-best accuracy"))
    if facts.cores >= 8 and facts.memory_gb >= 8:
        return Recommendation("small", translate(
            "ModelChoice", "{cores} CPU cores and {memory} GB of memory keep up with the small model live").format(
            cores=facts.cores, memory=f"{facts.memory_gb:.0f}"))
    if facts.cores >= 2 and facts.memory_gb >= 2:
        return Recommendation("base", translate(
            "ModelChoice", "{cores} CPU cores: base is the largest model that keeps up live").format(cores=facts.cores))
    return Recommendation("tiny", translate("ModelChoice", "a small machine: tiny is the model that keeps up live"))


def recommended_model() -> Recommendation:
    return recommend(machine_facts())
