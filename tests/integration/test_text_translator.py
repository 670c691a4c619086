"""Typed and edited text translated with real argostranslate and test-built packs (random weights: the
output is gibberish by construction, so routes, order and messages are checked, never wording)."""

from __future__ import annotations

import queue

from voicedesk.engine.translation.user_text import TextRequest, TextTranslator

pytest_plugins = ["testkit.argos_package"]


def test_requests_are_answered_in_order_directly_through_english_or_with_the_pack_to_install(argos_home):
    answers: queue.Queue = queue.Queue()
    translator = TextTranslator(answers.put)
    requests = [TextRequest(("typed", 0), "Where is the station?", "en", "de"),
                TextRequest(("typed", 1), "¿Dónde está la estación?", "es", "de"),   # es→en→de
                TextRequest(("typed", 2), "Where is the station?", "en", "fr"),      # no en→fr pack
                TextRequest(("typed", 3), "Where is the station?", "en", "en")]
    for request in requests:
        translator.submit(request)
    got = [answers.get(timeout=60) for _ in requests]
    translator.close()
    assert [a.request for a in got] == requests
    direct, pivot, missing, same = got
    assert direct.translation and direct.engine == "argos" and not direct.problem
    assert pivot.translation and pivot.engine == "argos"
    assert missing.translation is None and missing.pack == "en-fr"
    assert "voicedesk languages install en-fr" in missing.problem
    assert same.translation == "Where is the station?" and same.engine == "identity"
