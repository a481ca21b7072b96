"""Fixtures for the HTTP API's tests: the scripted server as the operator's provider, and the app on a real
uvicorn server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from codescribe.server import create_app
from codescribe.server.settings import ServerSettings
from codescribe.testing.local_server import free_port
from tests.scripted_server import ScriptedLLMServer

from .support import ANSWER, CANARY, wait_for


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedLLMServer]:
    """The scripted server as the operator's OpenAI-compatible provider, with a canary key."""
    with ScriptedLLMServer(text=ANSWER, chunks=12) as server:
        monkeypatch.setenv("LLM_BASE_URL", server.openai_url)
        monkeypatch.setenv("LLM_API_KEY", CANARY)
        monkeypatch.setenv("LLM_MODEL", "gpt-6.1-sol")
        monkeypatch.setenv("LLM_MAX_RETRIES", "0")
        yield server


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Start the app on a real uvicorn server in a thread: ``serve(**env)`` gives its address.

    ``env`` holds the service's settings (``LLM_PROVIDER``, ``CODESCRIBE_*``); the providers read the rest of
    their configuration from the process's environment, as under ``codescribe serve``.
    """
    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**env: str) -> str:
        port = free_port()
        app = create_app(ServerSettings.from_env(env))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        wait_for(lambda: server.started)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
