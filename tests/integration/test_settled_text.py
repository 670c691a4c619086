"""Two levels of text on real speech with the real base model: provisional finals at once, then each
sentence settled once from its own audio, with every heard word kept (schema 3)."""

from __future__ import annotations

from testkit.engine_run import transcribe
from testkit.speech import join, normalise, wer

from voicedesk.engine.events import FinalSegment, Partial, Settled, event_to_dict
from voicedesk.session.transcript import Session


def _session(events) -> Session:
    session = Session()
    for event in events:
        session.apply(event)
    return session


def test_every_sentence_of_a_live_session_settles_once_and_keeps_every_word(base_model, tmp_path):
    joined = join(["jfk_en", "quilter_en"], tmp_path / "two.wav", gap_s=2.5, lead_s=1.0)
    events = transcribe(base_model, joined.path, paced=True, language="en")
    finals = [e for e in events if isinstance(e, FinalSegment)]
    settled = [e for e in events if isinstance(e, Settled)]
    assert finals and settled
    covered = [i for s in settled for i in s.segment_ids]
    assert sorted(covered) == sorted(f.segment_id for f in finals), "every final is in exactly one settled sentence"
    assert len({s.sentence_id for s in settled}) == len(settled), "a sentence settles once"
    for s in settled:
        last_final = max((f for f in finals if f.segment_id in s.segment_ids), key=lambda f: f.emitted_at)
        assert s.emitted_at >= last_final.emitted_at
    provisional = " ".join(f.text for f in finals)
    final_text = " ".join(s.text for s in settled)
    assert wer(joined.reference, final_text) <= wer(joined.reference, provisional) + 0.02
    assert wer(joined.reference, final_text) < 0.15
    heard = set(normalise(provisional).split())
    kept = set(normalise(final_text).split())
    assert len(heard - kept) <= 2, f"words heard but not settled: {heard - kept}"
    session_text = " ".join(s.text for s in _session(events).sentences())
    assert normalise(session_text) == normalise(final_text), "the session (journal, exports) holds the settled text"
    partials = [e for e in events if isinstance(e, Partial)]
    assert partials and all(p.sentence_id >= 0 for p in partials)
    record = event_to_dict(settled[0])
    assert record["v"] == 4 and {"sentence_id", "segment_ids", "text", "language", "start", "end",
                                  "emitted_at"} <= set(record)


def test_a_file_settles_as_the_file_route_decoded_it_with_no_second_decode(base_model, speech):
    events = transcribe(base_model, speech["jfk_en"].path, language="en")
    finals = [e for e in events if isinstance(e, FinalSegment)]
    settled = [e for e in events if isinstance(e, Settled)]
    assert normalise(" ".join(s.text for s in settled)) == normalise(" ".join(f.text for f in finals))


def _dropped(heard: list[str], kept: list[str]) -> list[str]:
    """Words of `heard` that the settled words align with nothing (a word-level diff; substitutions are not
    drops, a run of heard words replaced by fewer settled ones drops the difference)."""
    import difflib

    dropped: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=heard, b=kept, autojunk=False).get_opcodes():
        if tag in ("delete", "replace") and (i2 - i1) > (j2 - j1):
            dropped.extend(heard[i1 + (j2 - j1):i2])
    return dropped


SHORT_ENDINGS = ("She called his name many times.", "Put the red box on the desk and go.",
                 "We looked for it all day in the old barn but it was not there.")


def _live_run_stopped_after_the_last_word(model: str, joined, stop_after_s: float) -> list:
    """A live (paced) run that the user stops `stop_after_s` after the last word, as Stop in the window does."""
    import time

    from voicedesk.audio.file_source import FileSource
    from voicedesk.engine.events import AudioLevel
    from voicedesk.engine.engine import Engine
    from voicedesk.engine.settings import EngineSettings

    events: list = []
    engine = Engine(EngineSettings(model=model, cpu_threads=2, language="en"), events.append)
    try:
        engine.load_model_blocking()
        engine.start(FileSource(joined.path, paced=True))
        stop_at = joined.utterances[-1].speech_end + stop_after_s
        deadline = time.monotonic() + joined.duration + 60
        while not any(isinstance(e, AudioLevel) and e.end >= stop_at for e in list(events)):
            assert time.monotonic() < deadline, "the paced run did not reach the stop time"
            time.sleep(0.02)
        engine.stop()
        assert engine.wait(120), "the engine did not finish after Stop"
    finally:
        engine.close()
    return events


def test_no_heard_word_is_lost_when_utterances_end_in_short_words_and_the_user_stops_at_once(base_model, tmp_path):
    from testkit.speech import espeak_clip, join_audio, load

    items = [(f"s{i}", load(espeak_clip(text, tmp_path / f"s{i}.wav")), text) for i, text in enumerate(SHORT_ENDINGS)]
    joined = join_audio(items, tmp_path / "session.wav", gap_s=1.2, lead_s=1.0)
    events = _live_run_stopped_after_the_last_word(base_model, joined, stop_after_s=0.15)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    settled = [e for e in events if isinstance(e, Settled)]
    assert sorted(i for s in settled for i in s.segment_ids) == sorted(f.segment_id for f in finals)
    heard = normalise(" ".join(f.text for f in finals)).split()
    kept = normalise(" ".join(s.text for s in settled)).split()
    # settling may correct a word ("disc" -> "desk"): what must not happen is heard words with nothing for them
    lost = _dropped(heard, kept)
    assert len(lost) <= 1, f"heard but never settled: {lost} (heard {heard}, settled {kept})"
    for text in SHORT_ENDINGS:   # the short last words of each utterance, the last one's cut short by Stop
        last = normalise(text).split()[-1]
        assert last in kept, f"'{last}' of {text!r} is not in the settled text {kept}"
    doubled = [a for a, b in zip(kept, kept[1:]) if a == b]
    assert not doubled, f"a word doubled in the settled text: {doubled}"


def test_the_sentences_of_a_spontaneous_call_settle_without_the_words_around_them(base_model):
    """The real two-party call (turns that follow each other without a pause), each reference turn settled as a
    sentence from its own audio, in order, on Auto-detect. A sentence's pads must not hear its neighbours' first or
    last words, nor a prompt invent words after a short one: before, the settled call read "... I heard a beat. This
    is-" / "This is Diane in New Jersey. I'm sorry, I'm" / "... Thank" (93 words for 81, WER 36%)."""
    import time

    from testkit.speech import load, speech_dir
    from voicedesk.engine.asr import WhisperAsr
    from voicedesk.engine.audio_history import AudioHistory
    from voicedesk.engine.sentences import SentenceUnit
    from voicedesk.engine.settings import EngineSettings
    from voicedesk.engine.settle import SentenceSettler

    decoder = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2))
    decoder.load()
    history = AudioHistory(40.0)
    history.append(load(speech_dir() / "conversation_en.wav"))
    turns = [(float(p[3]), float(p[4]), p[5]) for p in (
        line.split(maxsplit=5) for line in (speech_dir() / "conversation_en.stm").read_text().splitlines()) if len(p) == 6]
    units = [SentenceUnit(k, (k,), text, "en", start, end, finals=((text, start, end),))
             for k, (start, end, text) in enumerate(turns)]
    settled: list = []
    settler = SentenceSettler(settled.append, history, beam_size=5, decode_again=True, spoken_language=None,
                              now=time.monotonic)
    for k, unit in enumerate(units):
        settler.submit(unit)
        settler.run_one(decoder, next_speech=units[k + 1].start if k + 1 < len(units) else None)
    reference = " ".join(text for *_, text in turns)
    text = " ".join(s.text for s in settled)
    assert len(normalise(text).split()) <= len(normalise(reference).split()) + 3, text
    assert wer(reference, text) < 0.25, text
