"""A private desktop for a test: an X display (Xvfb), a session D-Bus and the AT-SPI accessibility bus,
which is what a screen reader such as Orca listens on (CONTRIBUTING.md, "What a screen reader sees").

`with accessible_desktop() as env:` gives the environment to start the app and an AT-SPI reader with;
everything it started is stopped on exit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

AT_SPI_BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
SYSTEM_PYTHON = Path("/usr/bin/python3")   # Debian's python3-pyatspi is installed for it, not for the venv


def missing_tools() -> list[str]:
    """What tests/system_packages.sh installs for this, and is not here."""
    missing = [tool for tool in ("Xvfb", "dbus-launch") if shutil.which(tool) is None]
    if not AT_SPI_BUS_LAUNCHER.is_file():
        missing.append(str(AT_SPI_BUS_LAUNCHER))
    check = subprocess.run([str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True)
    if check.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def _free_display() -> int:
    for number in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def _wait_for(check, what: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout_s:.0f} s")
        time.sleep(0.05)


@contextlib.contextmanager
def accessible_desktop(width: int = 1280, height: int = 800) -> Iterator[dict[str, str]]:
    """Xvfb, a session bus and the accessibility bus; yields the environment that reaches them."""
    number = _free_display()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = f":{number}"
    started: list[subprocess.Popen] = []
    bus_pid = None
    try:
        xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(xvfb)
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), "Xvfb")
        launch = subprocess.run(["dbus-launch", "--sh-syntax"], capture_output=True, text=True, env=env, check=True)
        for line in launch.stdout.splitlines():   # DBUS_SESSION_BUS_ADDRESS='...'; export ...;
            key, _, value = line.partition("=")
            if key in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
                env[key] = value.split(";")[0].strip("'\"")
        bus_pid = int(env["DBUS_SESSION_BUS_PID"])
        started.append(subprocess.Popen([str(AT_SPI_BUS_LAUNCHER), "--launch-immediately"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        env["QT_QPA_PLATFORM"] = "xcb"
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"   # Qt exposes its tree without asking GNOME's settings
        env["NO_AT_BRIDGE"] = "0"
        yield env
    finally:
        for proc in reversed(started):
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if bus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(bus_pid, signal.SIGTERM)
