"""A run's settings: one config per component, and each user-facing setting's range and help defined once.

Preferences, the server's `options` and the CLI's flags are all generated from the definitions, so
the same value is accepted or refused the same way on each of them.
"""

from __future__ import annotations

import dataclasses

import pytest

from voicedesk.audio.vad import GateConfig
from voicedesk.cli import build_parser
from voicedesk.engine.settings import FLAT_NAMES, USER, EngineSettings, offered_on, run_settings
from voicedesk.server.shared_model import tunable_overrides
from voicedesk.session.preferences import BOUNDS, HELP, Preferences, from_stored
from voicedesk.setting import Surface


def test_each_component_gets_its_own_frozen_config():
    settings = EngineSettings()
    assert isinstance(settings.gate, GateConfig)
    for part in (settings.gate, settings.streaming, settings.decoding, settings.sentences, settings.file_route):
        assert dataclasses.is_dataclass(part) and type(part).__dataclass_params__.frozen


def test_a_flat_name_sets_the_field_of_its_component_and_nothing_else():
    base = EngineSettings(model="tiny.en")
    changed = base.with_values(beam_size=2, vad_threshold=0.7, file_window_s=12.0, settle_sentences=False,
                               language="en")
    assert (changed.decoding.beam_size, changed.gate.threshold, changed.file_route.window_s) == (2, 0.7, 12.0)
    assert changed.sentences.settle_pass is False and changed.language == "en" and changed.model == "tiny.en"
    assert changed.streaming == base.streaming and changed.gate.end_silence_s == base.gate.end_silence_s
    for name in FLAT_NAMES:
        assert changed.with_values(**{name: base.value(name)}).value(name) == base.value(name)
    with pytest.raises(KeyError):
        base.with_values(no_such_setting=1)


def test_the_file_route_uses_its_own_gate():
    settings = EngineSettings().with_values(file_vad_threshold=0.2, vad_threshold=0.6)
    assert settings.for_file().gate.threshold == 0.2 and settings.gate.threshold == 0.6
    assert settings.for_file().decoding == settings.decoding


def test_every_user_setting_has_help_a_default_within_its_range_and_a_surface():
    assert {"beam_size", "end_silence_s", "vad_threshold", "partial_interval_s"} <= set(USER)
    for name, user in USER.items():
        assert user.spec.help.strip().endswith("."), name
        assert user.spec.surfaces, name
        if user.spec.bounds:
            low, high = user.spec.bounds
            assert low <= user.default <= high, name


def test_tuning_levers_are_not_offered_to_users():
    for lever in ("slow_start_s", "decode_duty", "commit_age_s", "trim_buffer_s", "file_window_s", "settle_sentences"):
        assert lever in FLAT_NAMES and lever not in USER


@pytest.mark.parametrize("name", sorted(offered_on(Surface.PREFERENCES)))
def test_preferences_take_their_range_default_and_help_from_the_definition(name):
    user = USER[name]
    assert BOUNDS.get(name) == user.spec.bounds and HELP[name] == user.spec.help
    assert getattr(Preferences(), name) == user.default
    if user.spec.bounds:
        high = user.spec.bounds[1]
        prefs, problems = from_stored({f"engine/{name}": str(high * 10)})
        assert getattr(prefs, name) == user.kind(high) and problems


@pytest.mark.parametrize("name", sorted(offered_on(Surface.SERVER)))
def test_the_server_accepts_and_refuses_exactly_the_definitions_range(name):
    user = USER[name]
    assert tunable_overrides({name: user.default}) == {name: user.default}
    if user.spec.bounds:
        low, high = user.spec.bounds
        assert tunable_overrides({name: high}) == {name: user.kind(high)}
        with pytest.raises(ValueError, match=f"options.{name} must be between"):
            tunable_overrides({name: high + 1})
        with pytest.raises(ValueError):
            tunable_overrides({name: low - 1})


@pytest.mark.parametrize("name", sorted(offered_on(Surface.CLI)))
def test_the_cli_flag_of_a_setting_has_its_help_and_refuses_values_outside_its_range(name, capsys):
    user = USER[name]
    flag = "--" + (name[:-2] if name.endswith("_s") else name).replace("_", "-")
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["transcribe", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert flag in shown and user.spec.help[1:40] in shown
    args = parser.parse_args(["transcribe", "talk.wav", flag, str(user.default)])
    assert getattr(args, name) == user.default
    low, high = user.spec.bounds
    with pytest.raises(SystemExit):
        parser.parse_args(["transcribe", "talk.wav", flag, str(high + 1)])
    assert "must be between" in capsys.readouterr().err


def test_a_runs_settings_check_every_value_against_its_definition():
    settings = run_settings(EngineSettings(model="base"), {"beam_size": 3, "end_silence_s": 0.8})
    assert settings.decoding.beam_size == 3 and settings.gate.end_silence_s == 0.8
    with pytest.raises(ValueError, match="beam_size must be between 1 and 10"):
        run_settings(EngineSettings(), {"beam_size": 40})
    with pytest.raises(KeyError):
        run_settings(EngineSettings(), {"slow_start_s": 1.0})    # a tuning lever, not a user's setting
