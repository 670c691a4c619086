"""Captions outside the window: the always-on-top overlay and the caption server (Share captions)."""
