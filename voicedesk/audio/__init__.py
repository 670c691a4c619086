"""Audio in: devices, sources (microphone, file), resampling and the VAD gate. No Qt."""

SAMPLE_RATE = 16_000
"""Every block that leaves this package is 16 kHz mono float32."""
