"""One entry per microphone on Windows (issue 15, item 7), from a device table as Windows lists it.

Windows cannot exist here: sounddevice's `query_devices`/`query_hostapis` are replaced by the table a
Windows 11 laptop with a webcam gives (names as `python -m sounddevice` prints them there, MME's cut at
31 characters). Everything after those two calls is the real code.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sounddevice as sd

from voicedesk.audio import pulse
from voicedesk.audio.devices import find_input_device, list_input_devices
from voicedesk.audio.host_apis import MME_NAME_LIMIT, same_device
from voicedesk.audio.inputs import find_choice, list_input_choices

HOSTAPIS = ["MME", "Windows DirectSound", "Windows WASAPI", "Windows WDM-KS"]
INTEL = "Microphone Array (Intel\u00ae Smart Sound Technology for Digital Microphones)"
# (name, host API, inputs): MME and DirectSound first, as PortAudio orders them on Windows
TABLE = [
    ("Microsoft Sound Mapper - Input", "MME", 2),
    ("Microphone (HD Pro Webcam C920)", "MME", 2),
    (INTEL[:MME_NAME_LIMIT], "MME", 2),
    ("Microsoft Sound Mapper - Output", "MME", 0),
    ("Speakers (Realtek(R) Audio)", "MME", 0),
    ("Primary Sound Capture Driver", "Windows DirectSound", 2),
    ("Microphone (HD Pro Webcam C920)", "Windows DirectSound", 2),
    (INTEL, "Windows DirectSound", 2),
    ("Primary Sound Driver", "Windows DirectSound", 0),
    ("Speakers (Realtek(R) Audio)", "Windows WASAPI", 0),
    (INTEL, "Windows WASAPI", 4),
    ("Microphone (HD Pro Webcam C920)", "Windows WASAPI", 2),
    ("Microphone Array 1 (Intel Smart Sound Technology)", "Windows WDM-KS", 4),
    ("Microphone (HD Pro Webcam C920)", "Windows WDM-KS", 2),
    ("Speakers (Realtek HD Audio output)", "Windows WDM-KS", 0),
]
WASAPI_DEFAULT = 10   # the Intel array, as Windows' sound settings would have it


def _fake_windows(monkeypatch, table, defaults):
    devices = [dict(name=name, index=i, hostapi=HOSTAPIS.index(api), max_input_channels=inputs,
                    max_output_channels=0 if inputs else 2, default_samplerate=48000.0)
               for i, (name, api, inputs) in enumerate(table)]
    apis = [dict(name=api, devices=[d["index"] for d in devices if d["hostapi"] == n],
                 default_input_device=defaults.get(api, -1)) for n, api in enumerate(HOSTAPIS)]
    monkeypatch.setattr(sd, "query_devices", lambda *a, **k: devices)
    monkeypatch.setattr(sd, "query_hostapis", lambda index=None: apis if index is None else apis[index])
    # PortAudio's own default host API on Windows is MME, whose default input is the Sound Mapper
    monkeypatch.setattr(sd, "default", SimpleNamespace(device=(-1, -1), hostapi=0))
    monkeypatch.setattr(pulse, "list_pulse_sources", lambda timeout=2.0: [])   # no PulseAudio on Windows


@pytest.fixture
def windows(monkeypatch):
    _fake_windows(monkeypatch, TABLE, {"MME": 0, "Windows DirectSound": 5, "Windows WASAPI": WASAPI_DEFAULT})


def test_the_fixture_cuts_mme_names_as_windows_does():
    assert len(TABLE[2][0]) == MME_NAME_LIMIT < len(INTEL)


def test_each_microphone_once_from_wasapi_with_the_real_default(windows):
    devices = list_input_devices()
    assert sorted(d.name for d in devices) == sorted({INTEL, "Microphone (HD Pro Webcam C920)"})
    assert {d.host_api for d in devices} == {"Windows WASAPI"}
    assert [d.name for d in devices if d.is_default] == [INTEL]
    # the stand-ins for "the default" and WDM-KS's kernel names are not devices of their own
    assert not any("Sound Mapper" in d.name or "Primary" in d.name or "Array 1" in d.name for d in devices)


def test_every_host_api_stays_reachable_by_number_and_a_name_matches_once(windows):
    assert len(list_input_devices(every_host_api=True)) == sum(1 for _, _, n in TABLE if n > 0)
    mme_webcam = find_input_device(1)
    assert (mme_webcam.host_api, mme_webcam.name) == ("MME", "Microphone (HD Pro Webcam C920)")
    # one match, not "several input devices match" for the four copies
    assert find_input_device("webcam").host_api == "Windows WASAPI"


def test_without_wasapi_directsound_is_preferred_and_a_cut_name_still_matches(monkeypatch):
    table = [row for row in TABLE if row[1] != "Windows WASAPI"]
    _fake_windows(monkeypatch, table, {"MME": 0, "Windows DirectSound": 5})
    devices = list_input_devices()
    assert sorted((d.host_api, d.name) for d in devices) == sorted(
        [("Windows DirectSound", INTEL), ("Windows DirectSound", "Microphone (HD Pro Webcam C920)")])


def test_wdm_ks_only_when_nothing_else_lists_an_input(monkeypatch):
    table = [row for row in TABLE if row[1] == "Windows WDM-KS"]
    _fake_windows(monkeypatch, table, {})
    assert {d.host_api for d in list_input_devices()} == {"Windows WDM-KS"}
    assert len(list_input_devices()) == 2


def test_keys_keep_the_host_api_and_old_keys_still_find_their_device(windows):
    choices = list_input_choices()
    assert sorted(c.key for c in choices) == sorted(
        f"pa:Windows WASAPI:{name}" for name in (INTEL, "Microphone (HD Pro Webcam C920)"))
    intel = next(c for c in choices if c.label == INTEL)
    # saved before the host API was in the key: the full name, or MME's cut one
    assert find_choice(choices, f"pa:{INTEL}") is intel
    assert find_choice(choices, f"pa:{INTEL[:MME_NAME_LIMIT]}") is intel
    assert find_choice(choices, "pa:Some Other Microphone") is None
    assert find_choice(choices, intel.key) is intel


def test_names_match_only_across_a_cut_at_31_characters():
    assert same_device("Microphone (HD Pro Webcam C920)", "microphone (hd pro webcam c920)")
    assert same_device(INTEL[:MME_NAME_LIMIT], INTEL)
    # a shorter prefix is another device ("Microphone" is not "Microphone (USB)")
    assert not same_device("Microphone", "Microphone (USB)")
