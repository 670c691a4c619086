"""A setting's definition, written once beside its field: its range, its one-line help and where users set it.

A component's frozen config declares each field with `setting(...)`. Preferences (the window), the server's
`options` validation and the CLI's flags are generated from these definitions (`voicedesk.engine.settings.USER`),
so a range or a help text is never written twice. A field with no `surfaces` is a tuning lever: the engine reads
it and benchmarks vary it, but users never see it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any, Optional

from voicedesk.i18n import Text


class Surface(str, Enum):
    """Where a user can set a value."""

    PREFERENCES = "preferences"    # Edit -> Preferences in the window
    SERVER = "server"              # a client's `options` on the live stream (voicedesk serve)
    CLI = "cli"                    # a `voicedesk transcribe` flag


@dataclass(frozen=True)
class SettingSpec:
    """What a user-facing setting is: its help, its bounds (numbers) and where it is offered."""

    help: Text
    bounds: Optional[tuple[float, float]] = None
    surfaces: frozenset[Surface] = frozenset()


SPEC_KEY = "voicedesk.setting"


def setting(default: Any, help: Text, *, bounds: Optional[tuple[float, float]] = None,
            surfaces: tuple[Surface, ...] = ()) -> Any:
    """A dataclass field with its definition attached (read back with `spec_of`)."""
    if bounds is not None and not bounds[0] <= default <= bounds[1]:
        raise ValueError(f"default {default!r} outside {bounds}")
    spec = SettingSpec(help, bounds, frozenset(surfaces))
    return dataclasses.field(default=default, metadata={SPEC_KEY: spec})


def spec_of(field: dataclasses.Field) -> Optional[SettingSpec]:
    """The definition `setting()` attached to a field, or None for a field declared without one."""
    return field.metadata.get(SPEC_KEY)


def check_value(name: str, kind: type, bounds: Optional[tuple[float, float]], value: Any) -> Any:
    """`value` as a `kind` within `bounds`; raises ValueError with one line that names `name`."""
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise ValueError(f"{name} must be {'an integer' if kind is int else 'a number'}")
    if value != value:
        raise ValueError(f"{name} must be a number")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must be between {bounds[0]:g} and {bounds[1]:g}")
    return kind(value)
