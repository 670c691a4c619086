"""The desktop window (Qt lives here only): app bootstrap, main window, panes, waveform, controller."""
