"""The Qt-free streaming engine: events, settings, ASR, streaming policy, translation, pipeline."""
