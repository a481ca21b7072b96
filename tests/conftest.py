"""Shared fixtures: cassette settings, and the servers cassettes are recorded from.

Cassettes replay with ``record_mode=none`` and the network blocked (see pyproject's
``addopts``). ``make record`` re-records them: ``llm_server`` then starts a real
llama-server (real traffic). Answers a real server cannot be made to give are mocked at the
transport instead (``tests/providers/mock_transport.py``). Hosts and ports are rewritten to one
canonical address, and key headers are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codescribe.llm import default_factory

CASSETTES = Path(__file__).parent / "cassettes"
CANONICAL_URL = "http://127.0.0.1:8080"
#: The key the recording llama-server requires; it must never reach a cassette.
RECORDING_KEY = "codescribe-recording-key-7f3a9c"
SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "openai-organization", "openai-project")
#: Headers dropped because they vary between recordings (the real port) and mean nothing.
NOISY_HEADERS = ("host",)
_HOST = re.compile(r"^https?://[^/]+")


def _canonical_host(request: Any) -> Any:
    request.uri = _HOST.sub(CANONICAL_URL, request.uri)
    return request


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [*SECRET_HEADERS, *NOISY_HEADERS],
        "before_record_request": _canonical_host,
        "match_on": ("method", "scheme", "host", "port", "path", "query", "body"),
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.split(".")[-1])


def recording(config: pytest.Config) -> bool:
    return config.getoption("--record-mode") not in (None, "none")


class ReplayEndpoint:
    """Stands in for a server while cassettes replay: same URLs, nothing listening."""

    url = CANONICAL_URL
    openai_url = f"{CANONICAL_URL}/v1"
    anthropic_url = CANONICAL_URL
    api_key = RECORDING_KEY


@pytest.fixture(scope="session")
def llm_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The real llama-server while recording; its recorded answers otherwise."""
    if not recording(request.config):
        yield ReplayEndpoint()
        return
    from codescribe.testing.local_server import LocalLLMServer

    # A small context, so that a context-length error can be recorded for real.
    with LocalLLMServer(api_key=RECORDING_KEY, context_size=2048) as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_factory() -> Iterator[None]:
    """Each test builds its own provider instances."""
    default_factory.clear()
    yield
    default_factory.clear()


@pytest.fixture(autouse=True)
def _no_provider_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real keys or settings."""
    import os

    for name in list(os.environ):
        if name.startswith(("LLM_", "ANTHROPIC_", "CLAUDE_", "OPENAI_", "AZURE_OPENAI_")):
            monkeypatch.delenv(name)
