"""The caption hub without a server: what it broadcasts, what a newcomer gets, who it drops."""

from __future__ import annotations

import asyncio
import json
import threading
import time

from voicedesk.engine.events import AudioLevel, EngineState, FinalSegment, Partial, Progress, Status, Translation
from voicedesk.server.captions import CaptionHub


def final(seg, text, sentence=-1):
    return FinalSegment(segment_id=seg, text=text, start=seg, end=seg + 1.0, language="en", sentence_id=sentence)


def kinds(messages):
    return [json.loads(m)["type"] for m in messages]


def test_a_newcomer_gets_the_last_sentences_their_translation_and_the_partial():
    hub = CaptionHub(history=2)
    hub.publish(final(0, "One."))
    hub.publish(final(1, "Two,"))
    hub.publish(final(2, "still two.", sentence=1))
    hub.publish(Translation(segment_id=1, text="Zwei, immer noch zwei.", source_language="en", target_language="de",
                            segment_ids=(1, 2)))
    hub.publish(final(3, "Three."))
    hub.publish(Partial(segment_id=4, text="four", start=4.0, end=4.5, language="en"))
    hub.publish(Status(EngineState.SPEECH))
    hub.publish(AudioLevel(start=0, end=0.1, rms=0.1, peak=0.2, is_speech=True))   # never broadcast
    hub.publish(Progress(position=1.0, duration=2.0))
    snapshot = [json.loads(m) for m in hub.snapshot()]
    assert [(m["type"], m.get("segment_id")) for m in snapshot] == [
        ("final", 1), ("final", 2), ("translation", 1), ("final", 3), ("partial", 4), ("status", None)]
    assert hub.published_count == 7

    hub.publish(final(4, "Four."))          # the partial settled: newcomers no longer get it
    assert "partial" not in kinds(hub.snapshot())
    hub.publish(Partial(segment_id=5, text="five", start=5.0, end=5.5, language="en"))
    hub.publish(Status(EngineState.STOPPED))
    assert "partial" not in kinds(hub.snapshot())
    hub.publish(final(0, "A new session."))  # ids went back
    assert kinds(hub.snapshot()) == ["final", "status"]
    hub.clear()
    assert kinds(hub.snapshot()) == ["status"]


def test_publish_from_another_thread_reaches_clients_and_a_full_queue_drops_only_its_client():
    hub = CaptionHub(queue_size=4)
    got: dict[str, list] = {}

    async def main() -> None:
        reader, stuck = hub.attach(), hub.attach()

        def publisher() -> None:
            for i in range(10):
                hub.publish(final(i, f"Sentence {i}."))
                time.sleep(0.01)

        thread = threading.Thread(target=publisher)
        thread.start()
        received = []
        while len(received) < 10:
            received.append(json.loads(await asyncio.wait_for(reader.queue.get(), 5))["segment_id"])
        thread.join()
        await asyncio.sleep(0.05)
        got["reader"], got["stuck"] = received, [stuck.gone.is_set(), stuck.dropped, reader.gone.is_set()]
        hub.detach(reader)

    asyncio.run(main())
    assert got["reader"] == list(range(10))
    assert got["stuck"] == [True, True, False]
    assert hub.dropped_count == 1 and hub.client_count == 0


def test_finals_carry_their_speaker_and_its_name_which_labels_and_renames_update():
    from voicedesk.engine.events import Settled, SpeakerLabels

    hub = CaptionHub()
    hub.publish(FinalSegment(segment_id=0, text="Good morning.", start=0.0, end=1.0, language="en", speaker=2))
    hub.publish(final(1, "No speaker known."))
    hub.publish(Settled(1, (1,), "No speaker known.", "en", 1.0, 2.0))
    first, second, settled = [json.loads(m) for m in hub.snapshot()]
    assert (first["speaker"], first["speaker_name"]) == (2, "Speaker 2")
    assert second["speaker"] is None and "speaker_name" not in second      # no speaker: nothing added
    assert settled["speaker"] is None

    async def main() -> list[dict]:
        client = hub.attach()
        for _ in range(3):
            client.queue.get_nowait()                 # the snapshot
        # a file's labels, at the end of its run: what newcomers get is relabelled, readers get the names
        hub.publish(SpeakerLabels(labels=((1, 1),), speakers=2))
        hub.set_speaker_names({2: "Ana"})
        await asyncio.sleep(0.05)
        got = [json.loads(client.queue.get_nowait()) for _ in range(client.queue.qsize())]
        hub.detach(client)
        return got

    labels, names = asyncio.run(main())
    assert labels["type"] == "speakers" and labels["speaker_names"] == {"1": "Speaker 1"}
    assert names == {"type": "speaker-names", "names": {"1": "Speaker 1", "2": "Ana"}}
    first, second, settled = [json.loads(m) for m in hub.snapshot()]
    assert (first["speaker"], first["speaker_name"]) == (2, "Ana")
    assert (second["speaker"], second["speaker_name"]) == (1, "Speaker 1")
    assert (settled["speaker"], settled["speaker_name"]) == (1, "Speaker 1")

    hub.set_speaker_names({})                          # back to the default names, in the reader's language
    assert json.loads(hub.snapshot()[0])["speaker_name"] == "Speaker 2"
    shouting = CaptionHub(show=str.upper)
    shouting.publish(FinalSegment(segment_id=0, text="Hi.", start=0.0, end=1.0, language="en", speaker=3))
    assert json.loads(shouting.snapshot()[0])["speaker_name"] == "SPEAKER 3"
