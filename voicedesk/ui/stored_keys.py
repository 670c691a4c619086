"""Every QSettings key the UI keeps, each with its one owner: the only class that reads and writes it.

A key written by two classes goes stale: the second writer's old copy overwrites the first's newer
choice. So each group below names its owner, and everything else asks that owner. The Preferences'
keys (device, decoding, journal folder, export format and content, the automatic lighter setting)
are `STORAGE_KEYS` of the Qt-free `voicedesk.session.preferences`, owned in the UI by
`SettingsFeatures` (settings_menu.py): the export dialog's format and content and the overload
strip's checkbox reach them through `SettingsFeatures.remember`.

The key strings are what is on users' disks: renaming one forgets what they chose.
"""

from __future__ import annotations

from typing import Final

# MainWindow (main_window.py): its place, the transcript's text size, the translation engine, the folders
WINDOW_GEOMETRY: Final = "window/geometry"
PANES_SPLITTER: Final = "panes/splitter"
TEXT_POINT_SIZE: Final = "text/point_size"
TRANSLATION_ENGINE: Final = "translation/engine"
FILES_FOLDER: Final = "files/folder"          # where the last audio or video file was opened
EXPORT_FOLDER: Final = "export/folder"        # where the last export went (and transcripts are opened from)

# WindowChoices (window/choices.py): the top row's dropdowns
SPOKEN_LANGUAGE: Final = "language/spoken"
TARGET_LANGUAGE: Final = "language/target"
INPUT_KEY: Final = "input/key"
MODEL_SPEC: Final = "model/spec"

# ReadingMode (reading_mode.py): View -> Settled text only
SETTLED_ONLY: Final = "view/settled_only"

# SpeakerLabelsFeature (window/speakers.py): View -> Label speakers
SPEAKER_LABELS: Final = "view/speaker_labels"
SPEAKER_COUNT: Final = "view/speaker_count"      # View -> Number of speakers: 0 (Auto) or the number

# CaptionFeatures (captions/menu.py): the overlay was open at the last quit
OVERLAY_SHOWN: Final = "overlay/visible"

# CaptionOverlay (overlay.py): its place and options
OVERLAY_CONTENT: Final = "overlay/content"
OVERLAY_LINES: Final = "overlay/lines"
OVERLAY_POINT_SIZE: Final = "overlay/point_size"
OVERLAY_CLICK_THROUGH: Final = "overlay/click_through"
OVERLAY_SPEAKERS: Final = "overlay/speakers"      # Show speakers
OVERLAY_GEOMETRY: Final = "overlay/geometry"

# CaptionSharing (share.py): the port the last shared page used
SHARE_PORT: Final = "share/port"

# LanguageMenu (language_menu.py) writes it, voicedesk.ui.i18n reads it at start-up: "" follows the system
UI_LANGUAGE: Final = "ui/language"
