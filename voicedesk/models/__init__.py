"""Getting the assets the engine runs on: Whisper models and Argos language packs (Qt-free).

A package of its own rather than more modules in `voicedesk.engine`: the engine only *uses* what is
installed and never touches the network; everything here lists, downloads, validates, installs and
removes those files, and is shared by the CLI (`voicedesk models|languages`) and the UI dialogs.

- `catalogue`: the faster-whisper sizes with disk size and a speed/accuracy hint.
- `whisper_store`: installed models (hub cache, app folder, bundled, user folders), download, delete.
- `machine`: the recommended model for this computer.
- `argos_index` / `argos_packs`: the Argos package index (cached) and installed language packs.
- `messages`: the one-line hints the CLI and UI show when something is missing.
"""
