"""voicedesk: live, offline speech transcription and translation."""

__version__ = "0.1.0"
