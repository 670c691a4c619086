"""The FastAPI app: the speech routes on the shared model, /health, and the caption hub's routes when given."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import Depends, FastAPI

from voicedesk import __version__
from voicedesk.server import errors
from voicedesk.server.config import ServerConfig
from voicedesk.server.limits import JobQueue, StreamSlots
from voicedesk.server.security import Security
from voicedesk.server.shared_model import SharedModel

JOBS_WAITING_PER_SLOT = 4        # REST uploads that may wait per running one before the server answers 503


def create_app(config: ServerConfig, shared_model: Optional[SharedModel], *, captions: Any = None,
               security: Optional[Security] = None) -> FastAPI:
    """The app for `config`. `shared_model` (loaded) serves the speech routes; None serves none of them
    (only /health and the captions). `captions` is a `voicedesk.server.captions.CaptionHub` whose
    `router(security)` is mounted (its page and feed)."""
    security = security or Security(config)
    app = FastAPI(title="voicedesk", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    errors.install(app)
    app.state.config = config
    app.state.security = security
    app.state.shared_model = shared_model
    app.state.caption_hub = captions
    slots = StreamSlots(config.max_streams)
    app.state.stream_slots = slots

    if shared_model is not None:
        from voicedesk.server import rest_api, stream_api

        jobs = JobQueue(config.max_streams, JOBS_WAITING_PER_SLOT * config.max_streams)
        app.state.jobs = jobs
        app.include_router(rest_api.router(shared_model, security, jobs))
        app.include_router(stream_api.router(shared_model, security, slots))

    @app.get("/health", dependencies=[Depends(security.require_http_no_key)], response_model=None)
    async def health() -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok", "version": __version__}
        if shared_model is not None:
            body.update(model=shared_model.name, model_info=shared_model.info, multilingual=shared_model.multilingual,
                        streams=slots.in_use, max_streams=slots.capacity, engines=shared_model.active_engines)
        if captions is not None:
            body["caption_clients"] = captions.client_count
        return body

    if captions is not None:
        app.include_router(captions.router(security))
    return app
