"""The other libraries' internals voicedesk relies on are still there, in the installed versions.

Each private use lives in one adapter module (engine/whisper_internals.py, models/argos_internals.py,
server/uvicorn_internals.py), whose docstring says what it uses and why. An upgrade that moves or reshapes
one of them must fail here, loudly, not in the field. A new minor version fails too: read the adapter's
docstring against the new release, then raise the bound in pyproject.toml and KNOWN_TO_WORK together.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from importlib import metadata

import numpy as np
import pytest

# distribution -> the major.minor versions whose internals were checked (pyproject.toml bounds the same)
KNOWN_TO_WORK = {"faster-whisper": "1.2", "argos-translate-lt": "1.12", "uvicorn": "0.55"}


@pytest.mark.parametrize("distribution", sorted(KNOWN_TO_WORK))
def test_the_installed_versions_are_the_ones_checked(distribution):
    installed = metadata.version(distribution)
    assert installed.split(".")[:2] == KNOWN_TO_WORK[distribution].split("."), (
        f"{distribution} {installed} is installed, but its internals were checked on {KNOWN_TO_WORK[distribution]}.x: "
        "read the adapter module's docstring against it, then update KNOWN_TO_WORK and pyproject.toml")


# --- faster-whisper --------------------------------------------------------------------------------


def test_faster_whisper_still_encodes_through_one_overridable_method():
    from faster_whisper import WhisperModel

    assert list(inspect.signature(WhisperModel.encode).parameters) == ["self", "features"]
    # both decoding and language detection go through it, so the short window applies to each
    assert "self.encode(" in inspect.getsource(WhisperModel.generate_segments)
    assert "self.encode(" in inspect.getsource(WhisperModel.detect_language)


def test_faster_whisper_still_encodes_one_frame_less_than_it_extracts_and_detects_from_given_features():
    """`detection_features` mirrors `transcribe`'s first encoder input; the encoding is shared only while it does
    (tests/integration/test_encoder_reuse.py measures the sharing itself)."""
    from faster_whisper import WhisperModel

    assert "content_frames = features.shape[-1] - 1" in inspect.getsource(WhisperModel.generate_segments)
    assert "features" in inspect.signature(WhisperModel.detect_language).parameters


def test_the_fit_window_model_cuts_features_to_this_threads_window(monkeypatch):
    from faster_whisper import WhisperModel

    from voicedesk.engine import whisper_internals

    seen = []
    monkeypatch.setattr(WhisperModel, "encode", lambda self, features: seen.append(features.shape[-1]))
    model = object.__new__(whisper_internals.fit_window_model_class())   # no weights needed for encode
    features = np.zeros((80, 3000), np.float32)
    whisper_internals.set_encoder_frames(600)
    model.encode(features)
    whisper_internals.set_encoder_frames(None)
    model.encode(features)
    other = []
    thread = threading.Thread(target=lambda: other.append(whisper_internals.encoder_frames()))
    whisper_internals.set_encoder_frames(200)
    thread.start()
    thread.join()
    whisper_internals.set_encoder_frames(None)
    assert seen == [600, 3000] and other == [None]   # a window belongs to the thread that set it


def test_faster_whisper_still_lists_its_language_codes():
    from voicedesk.engine.whisper_internals import language_codes

    codes = language_codes()
    assert len(codes) >= 99 and {"en", "es", "de", "zh", "yue"} <= set(codes)
    assert all(isinstance(code, str) and code == code.lower() for code in codes)


def test_faster_whisper_still_has_the_tokenizer_and_vad_model_voicedesk_reads():
    import glob
    import os

    from faster_whisper import WhisperModel
    from faster_whisper.utils import get_assets_path

    # engine/vocabulary.py counts tokens with a loaded model's `hf_tokenizer` (it estimates without one)
    assert "self.hf_tokenizer = " in inspect.getsource(WhisperModel.__init__)
    # audio/vad.py runs faster-whisper's bundled Silero model itself
    assert glob.glob(os.path.join(get_assets_path(), "silero_vad*.onnx"))


# --- argostranslate --------------------------------------------------------------------------------


def test_argos_translation_objects_still_have_the_shape_the_offline_splitter_walks():
    from argostranslate import translate
    from argostranslate.sbd import MiniSBDSentencizer

    assert "self.underlying = underlying" in inspect.getsource(translate.CachedTranslation.__init__)
    composite = inspect.getsource(translate.CompositeTranslation.__init__)
    assert "self.t1 = t1" in composite and "self.t2 = t2" in composite
    assert list(inspect.signature(translate.CompositeTranslation).parameters) == ["t1", "t2"]
    assert "self.sentencizer" in inspect.getsource(translate.PackageTranslation.__init__)
    assert "self.sentencizer" in inspect.getsource(translate.PackageTranslation)   # ... and it is what splits
    assert "self.lang = " in inspect.getsource(MiniSBDSentencizer.__init__)
    assert "translations_from" in inspect.getsource(translate.Language)


def test_the_offline_walk_reaches_every_package_translation():
    from argostranslate import translate

    from voicedesk.models import argos_internals

    first, second = object.__new__(translate.PackageTranslation), object.__new__(translate.PackageTranslation)
    cached_first, cached_second = object.__new__(translate.CachedTranslation), object.__new__(translate.CachedTranslation)
    cached_first.underlying, cached_second.underlying = first, second
    composite = object.__new__(translate.CompositeTranslation)
    composite.t1, composite.t2 = cached_first, cached_second
    assert {id(t) for t in argos_internals.package_translations(composite)} == {id(first), id(second)}
    argos_internals.set_sentencizer(first, "splitter")
    assert argos_internals.sentencizer(first) == "splitter"
    assert not argos_internals.minisbd_model_on_disk("splitter")


def test_argos_still_has_the_caches_and_lock_voicedesk_uses():
    from argostranslate import package, translate
    from minisbd import models as minisbd_models

    from voicedesk.models import argos_internals

    assert isinstance(translate.installed_translates, list)
    assert callable(translate.get_installed_languages.cache_clear)
    assert isinstance(argos_internals.package_lock(), type(threading.Lock())) and package.package_lock
    assert isinstance(minisbd_models.MODELS, dict) and isinstance(minisbd_models.cache_dir, str)


# --- uvicorn ---------------------------------------------------------------------------------------


def test_uvicorn_h11_protocol_still_has_what_the_connection_guard_relies_on():
    from uvicorn.protocols.http import h11_impl

    from voicedesk.server import uvicorn_internals

    protocol = uvicorn_internals.H11Protocol
    assert protocol is h11_impl.H11Protocol
    for method in ("connection_made", "data_received", "on_response_complete", "connection_lost"):
        assert callable(getattr(protocol, method)), method
    init = inspect.getsource(protocol.__init__)
    for attribute in ("self.conn", "self.connections", "self.loop", "self.cycle", "self.transport"):
        assert attribute in init, attribute
    assert "h11.Connection" in init and uvicorn_internals.H11_IDLE is h11_impl.h11.IDLE
    assert "response_complete" in inspect.getsource(h11_impl.RequestResponseCycle.__init__)


def test_uvicorn_server_still_takes_signals_through_capture_signals():
    import uvicorn

    from voicedesk.server.uvicorn_internals import QuietServer

    assert "self.capture_signals()" in inspect.getsource(uvicorn.Server.run) or \
        "self.capture_signals()" in inspect.getsource(uvicorn.Server.serve)
    server = QuietServer(uvicorn.Config(lambda scope, receive, send: None))
    assert isinstance(server.capture_signals(), contextlib.AbstractContextManager)


def test_the_transport_is_found_under_a_starlette_websockets_send():
    from starlette.websockets import WebSocket

    from voicedesk.server.uvicorn_internals import send_transport, websocket_transport

    assert "self._send = send" in inspect.getsource(WebSocket.__init__)

    class Transport:
        def abort(self) -> None: ...

    class Protocol:
        transport = Transport()

        async def send(self, message) -> None: ...

    protocol = Protocol()

    def middleware(send):
        async def wrapped(message):
            await send(message)
        return wrapped

    websocket = WebSocket({"type": "websocket"}, receive=None, send=middleware(protocol.send))
    assert websocket_transport(websocket) is protocol.transport
    assert send_transport(None) is None and send_transport(lambda message: None) is None
