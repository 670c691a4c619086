"""The transcript and translation panes and what lives on them: editing, Find, typing, the waveform."""
