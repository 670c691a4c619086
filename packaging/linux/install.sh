#!/bin/sh
# Install voicedesk for the current user from the unpacked tar.gz (no root needed):
#   ./install.sh            copies this folder to ~/.local/opt/voicedesk, adds the menu entry and `voicedesk` command
#   ./install.sh --remove   removes them again
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
PREFIX=$HOME/.local/opt/voicedesk
BIN=$HOME/.local/bin
APPS=$DATA/applications
ICONS=$DATA/icons/hicolor/256x256/apps

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$PREFIX" "$BIN/voicedesk" "$APPS/voicedesk.desktop" "$ICONS/voicedesk.png"
    echo "voicedesk removed (your settings, logs and downloaded models are kept)"
    exit 0
fi

if [ "$HERE" != "$PREFIX" ]; then
    rm -rf "$PREFIX"
    mkdir -p "$PREFIX"
    cp -a "$HERE"/. "$PREFIX"/
fi
mkdir -p "$BIN" "$APPS" "$ICONS"
ln -sf "$PREFIX/voicedesk" "$BIN/voicedesk"
cp "$PREFIX/voicedesk.png" "$ICONS/voicedesk.png"
# the shipped entry says Exec=voicedesk; point it at this copy so it works without ~/.local/bin on PATH
sed -e "s|^Exec=.*|Exec=\"$PREFIX/voicedesk\"|" -e "s|^Icon=.*|Icon=voicedesk|" \
    "$PREFIX/voicedesk.desktop" > "$APPS/voicedesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" || true
echo "voicedesk installed in $PREFIX; start it from the applications menu or with: $BIN/voicedesk"
