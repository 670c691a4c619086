"""`voicedesk serve`'s REST API with a client nobody here wrote: the official `openai` package against a real
uvicorn on a loopback port, on real recorded speech (tiny.en for English, multilingual base for translation)."""

from __future__ import annotations

import concurrent.futures
import datetime

import pytest
import srt

from testkit.speech import wer
from testkit.speech_server import speech_server

pytestmark = [pytest.mark.timeout(300),
              # openai marks its translations endpoint deprecated; the endpoint is what is tested here
              pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")]

openai = pytest.importorskip("openai")


@pytest.fixture(scope="module")
def english_server(tiny_en_model):
    with speech_server(tiny_en_model, max_streams=2) as server:
        yield server


@pytest.fixture(scope="module")
def multilingual_server(base_model):
    with speech_server(base_model, max_streams=1) as server:
        yield server


def client(server, **kw):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="not-needed-on-loopback", max_retries=0, **kw)


def transcribe(server, path, **kw):
    with open(path, "rb") as f:
        return client(server).audio.transcriptions.create(model=kw.pop("model", "whisper-1"), file=f, **kw)


def translate(server, path, **kw):
    with open(path, "rb") as f:
        return client(server).audio.translations.create(model="whisper-1", file=f, **kw)


# --- transcriptions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("clip", ["jfk_en", "quilter_en"])
def test_json_transcription_matches_the_reference(english_server, speech, clip):
    result = transcribe(english_server, speech[clip].path)
    assert wer(speech[clip].reference, result.text) <= 0.25, result.text
    assert result.usage.seconds == pytest.approx(11.0 if clip == "jfk_en" else 5.86, abs=0.5)


def test_text_format_is_the_exporters_plain_text(english_server, speech):
    text = transcribe(english_server, speech["jfk_en"].path, response_format="text")
    assert isinstance(text, str) and text.endswith("\n")
    assert wer(speech["jfk_en"].reference, text) <= 0.25, text


def test_srt_format_parses_and_covers_the_clip(english_server, speech):
    body = transcribe(english_server, speech["jfk_en"].path, response_format="srt")
    cues = list(srt.parse(body))
    assert len(cues) >= 2
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
    assert cues[0].start < datetime.timedelta(seconds=1.5) and cues[-1].end > datetime.timedelta(seconds=9)
    assert wer(speech["jfk_en"].reference, " ".join(c.content for c in cues)) <= 0.25


def test_vtt_format_is_webvtt(english_server, speech, tmp_path):
    import webvtt

    body = transcribe(english_server, speech["jfk_en"].path, response_format="vtt")
    assert body.startswith("WEBVTT")
    path = tmp_path / "out.vtt"
    path.write_text(body, encoding="utf-8")
    captions = webvtt.read(str(path))
    assert len(captions) >= 2
    assert wer(speech["jfk_en"].reference, " ".join(c.text for c in captions)) <= 0.25


def test_verbose_json_has_segments_and_the_decoders_word_times(english_server, speech):
    result = transcribe(english_server, speech["jfk_en"].path, response_format="verbose_json",
                        timestamp_granularities=["word", "segment"])
    assert result.language == "english"
    assert result.duration == pytest.approx(11.0, abs=0.3)
    assert wer(speech["jfk_en"].reference, result.text) <= 0.25
    segments = result.segments
    assert segments and [s.id for s in segments] == list(range(len(segments)))
    assert all(s.start < s.end for s in segments)
    assert all(a.end <= b.start + 1e-3 for a, b in zip(segments, segments[1:]))
    words = result.words
    assert abs(len(words) - len(speech["jfk_en"].reference.split())) <= 3
    assert all(w.start <= w.end for w in words)
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    # each segment's words lie inside it, and begin and end where it does
    for segment in segments:
        inside = [w for w in words if segment.start - 1e-3 <= w.start and w.end <= segment.end + 1e-3]
        assert inside, segment
        assert inside[0].start == pytest.approx(segment.start, abs=2e-3)
        assert inside[-1].end == pytest.approx(segment.end, abs=2e-3)
        assert " ".join(w.word for w in inside) == segment.text.strip()
    # not an even spread: real word times differ in length
    assert len({round(w.end - w.start, 2) for w in words}) > 3


def test_verbose_json_words_only_when_asked(english_server, speech):
    result = transcribe(english_server, speech["quilter_en"].path, response_format="verbose_json")
    assert result.segments and not result.words
    only_words = transcribe(english_server, speech["quilter_en"].path, response_format="verbose_json",
                            timestamp_granularities=["word"])
    assert only_words.words and not only_words.segments


def test_language_and_prompt_are_accepted(english_server, speech):
    result = transcribe(english_server, speech["quilter_en"].path, language="en", temperature=0.0,
                        prompt="Mr. Quilter, the apostle of the middle classes.")
    assert wer(speech["quilter_en"].reference, result.text) <= 0.25, result.text


def test_model_names_map_to_the_one_model(english_server, speech):
    ids = [m.id for m in client(english_server).models.list().data]
    assert ids[0] == "tiny.en" and "whisper-1" in ids and "gpt-4o-transcribe" in ids
    assert client(english_server).models.retrieve("whisper-1").id == "whisper-1"
    result = transcribe(english_server, speech["quilter_en"].path, model="gpt-4o-transcribe")
    assert "quilter" in result.text.lower()
    with pytest.raises(openai.NotFoundError) as err:
        transcribe(english_server, speech["quilter_en"].path, model="no-such-model")
    assert "no-such-model" in err.value.message


def test_concurrent_requests_share_the_model_safely(english_server, speech):
    clips = ["jfk_en", "quilter_en", "jfk_en", "quilter_en"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda name: transcribe(english_server, speech[name].path).text, clips))
    for name, text in zip(clips, texts):
        assert wer(speech[name].reference, text) <= 0.25, (name, text)


# --- errors ------------------------------------------------------------------------------------------------


def test_corrupt_upload_is_400_with_a_message(english_server, tmp_path):
    bad = tmp_path / "noise.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage" + bytes(range(256)) * 20)
    with pytest.raises(openai.BadRequestError) as err:
        transcribe(english_server, bad)
    assert err.value.status_code == 400
    message = err.value.message
    assert "audio" in message.lower() and "voicedesk-upload" not in message   # no temp file names
    assert "Traceback" not in message and "\n" not in message


def test_empty_upload_is_400(english_server, tmp_path):
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(openai.BadRequestError) as err:
        transcribe(english_server, empty)
    assert "empty" in err.value.message.lower()


def test_playlist_upload_is_refused(english_server, tmp_path, speech):
    playlist = tmp_path / "list.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXTINF:11,\nfile://{speech['jfk_en'].path}\n")
    with pytest.raises(openai.BadRequestError) as err:
        transcribe(english_server, playlist)
    assert "playlist" in err.value.message.lower()


def test_bad_parameters_are_400(english_server, speech):
    with pytest.raises(openai.BadRequestError) as err:
        transcribe(english_server, speech["quilter_en"].path, response_format="docx")
    assert "response_format" in err.value.message
    with pytest.raises(openai.BadRequestError) as err:
        transcribe(english_server, speech["quilter_en"].path, language="klingon")
    assert "language" in err.value.message


def test_english_only_model_refuses_translation(english_server, speech):
    with pytest.raises(openai.BadRequestError) as err:
        translate(english_server, speech["arenas_es"].path)
    assert "English-only" in err.value.message


# --- translations (Whisper's speech→English, multilingual base) --------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "text", "srt", "vtt", "verbose_json"])
def test_spanish_speech_translates_into_english(multilingual_server, speech, fmt):
    result = translate(multilingual_server, speech["arenas_es"].path, response_format=fmt)
    text = result if isinstance(result, str) else result.text
    assert "sand" in text.lower(), text
    assert "arenas" not in text.lower(), text
    if fmt == "srt":
        assert list(srt.parse(result))
    elif fmt == "vtt":
        assert result.startswith("WEBVTT")
    elif fmt == "verbose_json":
        assert result.language == "english" and result.segments
        assert "sand" in " ".join(s.text for s in result.segments).lower()


def test_multilingual_transcription_detects_spanish(multilingual_server, speech):
    result = transcribe(multilingual_server, speech["arenas_es"].path, response_format="verbose_json")
    assert result.language == "spanish"
    assert wer(speech["arenas_es"].reference, result.text) <= 0.4, result.text
