"""The live suite: a real llama-server, started here and stopped at teardown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from codescribe.testing.local_server import LocalLLMServer, LocalServerError

LIVE_KEY = "codescribe-live-key"
#: How the browser tests start Debian's chromium: headless, and without the background traffic this
#: machine's closed network refuses.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server() -> Iterator[LocalLLMServer]:
    try:
        server = LocalLLMServer(api_key=LIVE_KEY, context_size=2048)
        server.start()
    except LocalServerError as exc:
        pytest.skip(f"no local llama-server: {exc}")
    try:
        yield server
    finally:
        server.stop()
