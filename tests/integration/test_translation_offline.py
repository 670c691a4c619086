"""Translation must never touch the network (argos-translate-lt's MiniSBD trap: CONTRIBUTING.md).

The `no_network` fixture blocks every outgoing connection in-process and records the attempt: it
stands in for the network that users of this app do not have. The isolated Argos home holds no
MiniSBD model, exactly like a fresh offline install.
"""

from __future__ import annotations

import socket

import pytest

from voicedesk.engine.events import EngineError, FinalSegment, Translation
from voicedesk.engine.translation import TranslationWorker, find_route, installed_pairs, reachable_targets

pytest_plugins = ["testkit.argos_package"]


def test_the_network_block_records_and_refuses_connections(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError):
        socket.socket().connect(("192.0.2.1", 80))

    assert no_network == [("192.0.2.1", 80), ("192.0.2.1", 80)]


def test_argos_own_sentence_splitter_would_try_to_download_without_our_fix(argos_home, no_network):
    # Proves the trap is real here, so that the offline test below means something.
    from argostranslate import package, translate

    [pkg] = [p for p in package.get_installed_packages() if (p.from_code, p.to_code) == ("es", "en")]
    from_lang, to_lang = translate.Language("es", "Spanish"), translate.Language("en", "English")
    untouched = translate.PackageTranslation(from_lang, to_lang, pkg)

    with pytest.raises(OSError):  # urllib's URLError, raised by the blocked download
        untouched.translate("Hola a todos. ¿Qué tal?")
    assert no_network, "argostranslate's MiniSBD splitter did not try the network"


def test_routing_and_translation_run_with_no_connection_attempted(argos_home, no_network):
    assert ("es", "en") in installed_pairs()
    assert "de" in reachable_targets("es")
    assert isinstance(find_route("es", "de").translate("Hola a todos. ¿Qué tal? Muy bien."), str)

    events: list[object] = []
    with TranslationWorker(events.append, target="de") as worker:
        worker.submit(FinalSegment(0, "Hola a todos. ¿Qué tal?", 0.0, 2.0, "es"))
        worker.submit(FinalSegment(1, "Good morning. How are you?", 2.0, 4.0, "en"))

    assert [e.segment_id for e in events if isinstance(e, Translation)] == [0, 1]
    assert [e for e in events if isinstance(e, EngineError)] == []
    assert no_network == []
