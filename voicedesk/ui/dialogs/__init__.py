"""The window's dialogs: Preferences, Export, models, language packs, vocabulary, welcome, About."""
