"""A microphone that sends only silence, in the real window on a real PulseAudio virtual microphone.

The engine notices the exact zeros on its own thread. The notice must still reach the banner on the GUI thread:
it once went through a plain-callable connection and ran the session core and the banner on a worker thread,
which crashed the app now and then (`Fatal Python error: Segmentation fault` under Banner.show_message).
Besides the explicit check below, tests/conftest.py fails the test on any report of code off its thread.
"""

from __future__ import annotations

import threading

pytest_plugins = ["testkit.virtual_mic"]

TIMEOUT_MS = 60_000


def test_a_silent_microphone_is_reported_in_the_banner_from_the_gui_thread(
    make_window, tiny_model, virtual_mics, pick_input, qtbot
):
    virtual_mics("Muted Mic")   # nothing is played into it: exact zeros, as a microphone the system blocks
    window = make_window(model=tiny_model)
    pick_input(window, "Muted Mic")
    banner_threads: list[str] = []
    show_message = window.widgets.banner.show_message

    def recorded(*args, **kwargs):
        banner_threads.append(threading.current_thread().name)
        return show_message(*args, **kwargs)

    window.widgets.banner.show_message = recorded
    assert window.start_session()
    qtbot.waitUntil(lambda: "only silence" in window.widgets.banner.text, timeout=TIMEOUT_MS)
    assert window.widgets.banner.level == "warning"
    assert window.is_running, "silence is not an error: the run goes on"
    assert banner_threads and set(banner_threads) == {threading.main_thread().name}, banner_threads
    window.stop_session()
    qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)


def test_every_controller_signal_reaches_plain_callables_on_the_gui_thread(make_window, qtbot):
    """Whatever thread the engine emits on, a receiver that is not a QObject slot runs on the GUI thread."""
    from voicedesk.engine.events import Lag, SilentInput

    window = make_window()
    heard: list[tuple[str, str]] = []
    window.controller.lag.connect(lambda event: heard.append(("lag", threading.current_thread().name)))
    window.controller.input_silence.connect(lambda event: heard.append(("silence", threading.current_thread().name)))
    engine_thread = threading.Thread(target=lambda: (window.controller._sink(Lag(0.4)),
                                                     window.controller._sink(SilentInput(False))),
                                     name="engine-dispatch")
    engine_thread.start()
    engine_thread.join()
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=5_000)
    assert heard == [("lag", threading.main_thread().name), ("silence", threading.main_thread().name)]
