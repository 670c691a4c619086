#!/usr/bin/env bash
# System packages the test suite needs on Debian/Ubuntu:
# - PortAudio (sounddevice); PulseAudio + the ALSA pulse plugin (a real virtual microphone), libpulse (soundcard's
#   system audio); espeak-ng/sox (synthetic speech);
# - Xvfb and Qt's xcb libraries (a real window), ImageMagick (screenshots), Chromium (the caption page in a real
#   headless browser);
# - AT-SPI (what a screen reader sees: the accessibility bus, and Debian's python3-pyatspi to read it), xdotool
#   (keyboard focus under Xvfb);
# - what builds and checks the .deb: binutils (strip, objdump), lintian, desktop-file-validate, appstreamcli.
# Installs only what is missing; needs root or sudo.
set -euo pipefail
PACKAGES=(libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins alsa-utils libpulse0 espeak-ng sox
  xvfb xauth libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libx11-xcb1 libxcb1 libxcb-cursor0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
  imagemagick chromium
  at-spi2-core python3-pyatspi dbus-x11 xdotool
  binutils lintian desktop-file-utils appstream)
command -v dpkg-query >/dev/null || { echo "not a Debian system: install the equivalents of: ${PACKAGES[*]}"; exit 0; }
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
