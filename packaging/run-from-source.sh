#!/usr/bin/env bash
# Install voicedesk from this checkout and start it: system libraries (Debian/Ubuntu: PortAudio and Qt's X11
# libraries), a virtual environment in .venv, the package, then the window. Arguments go to `voicedesk`.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v dpkg-query >/dev/null; then
  PACKAGES=(libportaudio2 libegl1 libgl1 libfontconfig1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
    libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
    libdbus-1-3 libasound2-plugins)
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  fi
fi
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/voicedesk "$@"
