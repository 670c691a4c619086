"""Getting the assets the engine runs on: Whisper models and Argos language packs (Qt-free).

A package of its own rather than more modules in `voicedesk.engine`: the engine only *uses* what is
installed and never touches the network; everything here lists, downloads, validates, installs and
removes those files, and is shared by the CLI (`voicedesk models|languages`) and the UI dialogs.

Imports go one way: `voicedesk.engine` (and the UI, CLI) import from here; nothing here imports
`voicedesk.engine` or `voicedesk.ui` (tests/unit/test_import_structure.py keeps it so).

- `folder`: `ModelError` and `local_model_problem` (is this folder a CTranslate2 Whisper model?).
- `resolve`: `resolve_model(name or folder)` -> the folder the engine loads; `cached_model_path`,
  `known_model_names`; re-exports `ModelError` and `local_model_problem`.
- `catalogue`: the faster-whisper sizes with disk size and a speed/accuracy hint.
- `whisper_store`: installed models (hub cache, app folder, bundled, user folders), download, delete.
- `machine`: the recommended model for this computer.
- `argos_files`: one `.argosmodel` file: `check_archive`, `install_package_file`, `TranslationError`, `PIVOT`,
  `is_language_code` (the one check for language codes).
- `argos_index` / `argos_packs`: the Argos package index (cached) and installed language packs.
- `messages`: the one-line hints the CLI and UI show when something is missing.
- `safe_paths`: `path_inside`, the one check that a path built from a name stays inside its folder.
"""
