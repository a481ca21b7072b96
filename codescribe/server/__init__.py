"""The HTTP API of the original service: ``codescribe serve``, or ``codescribe.server:app`` in any ASGI server.

Needs the ``server`` extra (``pip install 'codescribe-docs[server]'``: FastAPI, uvicorn, sse-starlette).
The app reads its settings from the environment when this module is imported
(:class:`~codescribe.server.settings.ServerSettings`).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["app", "create_app"]

app = create_app()
