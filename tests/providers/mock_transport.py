"""Providers whose SDK sends through a mock transport (``httpx2.MockTransport``): no socket, no thread.

For answers a real server cannot be made to give; real traffic is replayed from cassettes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

from codescribe.llm import LLMConfig, LLMProvider, RetryPolicy
from codescribe.llm.factory import default_factory

Respond = Callable[[httpx2.Request], httpx2.Response]


def mocked_provider(name: str, respond: Respond, *, max_retries: int = 0, **config: Any) -> LLMProvider:
    """The ``name`` provider, answering every request with ``respond(request)``; retries wait no time."""
    transport = httpx2.MockTransport(respond)
    base_url = "http://mock.invalid/v1" if name == "openai" else "http://mock.invalid"
    provider = default_factory.provider_class(name)(
        LLMConfig(provider=name, api_key="k", base_url=base_url, max_retries=max_retries, **config),
        http_client=httpx2.Client(transport=transport),
        async_http_client=httpx2.AsyncClient(transport=transport),
    )
    provider.retry_policy = RetryPolicy(max_retries=max_retries, sleep=lambda seconds: None)
    return provider


def json_reply(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Respond:
    """A responder that answers every request with ``body`` as JSON."""
    return lambda request: httpx2.Response(status, json=body, headers=headers)


def sse_reply(events: list[tuple[str | None, object]]) -> Respond:
    """A responder that streams ``events``: (event name or None, data) pairs, as Server-Sent Events."""
    text = "".join(
        (f"event: {name}\n" if name else "") + f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"
        for name, data in events
    )
    return lambda request: httpx2.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})
