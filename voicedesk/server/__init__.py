"""The hub: a local OpenAI-compatible REST API, live WebSocket streams and the caption feed. No Qt.

One model is loaded once (`shared_model.SharedModel`) and every request or stream runs its own
`voicedesk.engine.engine.Engine` on it; `app.create_app` builds the FastAPI app, `runner` serves it
(the `voicedesk serve` command, or a background thread inside the desktop app).
"""
