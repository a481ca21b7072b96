"""Providers whose SDK sends through a mock transport (``httpx2.MockTransport``): no socket, no thread.

For answers a real server cannot be made to give; real traffic is replayed from cassettes.

A responder takes the SDK's request and returns the response: :func:`json_reply` and
:func:`sse_reply` answer every request alike, :func:`answer` answers each request well (either
protocol, streamed or not), and :class:`Script` plays a sequence of replies, keeping every request
it saw, so that a test counts the attempts a provider made.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx2

from codescribe.llm import LLMConfig, LLMProvider, RetryPolicy
from codescribe.llm.factory import default_factory

Respond = Callable[[httpx2.Request], httpx2.Response]
Event = tuple[str | None, object]

#: What :func:`answer` says, and the usage it reports.
TEXT = "A well-formed answer from the mock transport."
INPUT_TOKENS = 12
OUTPUT_TOKENS = 9


async def _no_wait(seconds: float) -> None:
    pass


def mocked_provider(
    name: str, respond: Respond, *, max_retries: int = 0, api_key: str = "k", **config: Any
) -> LLMProvider:
    """The ``name`` provider, answering every request with ``respond(request)``; retries wait no time
    (sync or async: a test that checks the waits gives the policy its own ``sleep``)."""
    transport = httpx2.MockTransport(respond)
    base_url = "http://mock.invalid/v1" if name == "openai" else "http://mock.invalid"
    provider = default_factory.provider_class(name)(
        LLMConfig(provider=name, api_key=api_key, base_url=base_url, max_retries=max_retries, **config),
        http_client=httpx2.Client(transport=transport),
        async_http_client=httpx2.AsyncClient(transport=transport),
    )
    provider.retry_policy = RetryPolicy(max_retries=max_retries, sleep=lambda seconds: None, asleep=_no_wait)
    return provider


def json_reply(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Respond:
    """A responder that answers every request with ``body`` as JSON."""
    return lambda request: httpx2.Response(status, json=body, headers=headers)


def sse_reply(events: list[Event], headers: dict[str, str] | None = None) -> Respond:
    """A responder that streams ``events``: (event name or None, data) pairs, as Server-Sent Events."""
    text = "".join(
        (f"event: {name}\n" if name else "") + f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"
        for name, data in events
    )
    content_type = {"content-type": "text/event-stream"}
    return lambda request: httpx2.Response(200, content=text.encode(), headers={**content_type, **(headers or {})})


class Script:
    """A responder that plays ``replies`` in order, one a request, then answers with ``then`` (by
    default :func:`answer`); :attr:`requests` keeps every request it saw, in order."""

    def __init__(self, *replies: Respond, then: Respond | None = None) -> None:
        self.requests: list[httpx2.Request] = []
        self._replies = deque(replies)
        self._then = then or answer

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        reply = self._replies.popleft() if self._replies else self._then
        return reply(request)


def answer(request: httpx2.Request) -> httpx2.Response:
    """A well-formed answer to ``request`` in its protocol (Anthropic's Messages API for
    ``.../messages``, Chat Completions otherwise), streamed when it asked for a stream, with
    :data:`TEXT`, the usage of :data:`INPUT_TOKENS` and :data:`OUTPUT_TOKENS`, and a request id."""
    body = json.loads(request.content or b"{}")
    anthropic = request.url.path.rstrip("/").endswith("/messages")
    model = body.get("model", "mock")
    headers = {"request-id" if anthropic else "x-request-id": "req_mock"}
    if body.get("stream"):
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = anthropic_stream(model) if anthropic else openai_stream(model, include_usage=include_usage)
        return sse_reply(events, headers)(request)
    completion = anthropic_message(model) if anthropic else openai_completion(model)
    return httpx2.Response(200, json=completion, headers=headers)


def _pieces(text: str, chunks: int) -> list[str]:
    """``text`` in about ``chunks`` pieces, split between words."""
    words = text.split(" ")
    size = max(1, -(-len(words) // max(1, chunks)))
    groups = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    return [group if i == 0 else " " + group for i, group in enumerate(groups)]


def _openai_usage() -> dict[str, Any]:
    return {
        "prompt_tokens": INPUT_TOKENS,
        "completion_tokens": OUTPUT_TOKENS,
        "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS,
        "prompt_tokens_details": {"cached_tokens": 0},
    }


def openai_completion(model: str) -> dict[str, Any]:
    """A Chat Completions answer of :data:`TEXT`, with usage."""
    return {
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": TEXT}, "finish_reason": "stop"}],
        "usage": _openai_usage(),
    }


def openai_stream(model: str, text: str = TEXT, chunks: int = 8, *, include_usage: bool = True) -> list[Event]:
    """The events of a streamed Chat Completions answer: the role chunk, one chunk a piece of
    ``text``, the finish reason, the usage (when asked for) and ``[DONE]``."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choices = [{"index": 0, "delta": delta, "finish_reason": finish}]
        head = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model}
        return {**head, "choices": choices}

    events: list[Event] = [(None, chunk({"role": "assistant", "content": ""}))]
    events += [(None, chunk({"content": piece})) for piece in _pieces(text, chunks)]
    events.append((None, chunk({}, "stop")))
    if include_usage:
        events.append((None, {**chunk({}), "choices": [], "usage": _openai_usage()}))
    events.append((None, "[DONE]"))
    return events


def anthropic_message(model: str) -> dict[str, Any]:
    """A Messages API answer of :data:`TEXT`, with usage."""
    return {
        "id": "msg_mock",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": TEXT}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": INPUT_TOKENS,
            "output_tokens": OUTPUT_TOKENS,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }


def anthropic_stream(model: str, text: str = TEXT, chunks: int = 8) -> list[Event]:
    """The events of a streamed Messages API answer: ``message_start``, the text block (one delta
    a piece of ``text``), ``message_delta`` with the stop reason and usage, ``message_stop``."""
    message = {**anthropic_message(model), "content": [], "stop_reason": None}
    message["usage"] = {**message["usage"], "output_tokens": 1}
    block = {"type": "text", "text": ""}
    events: list[Event] = [
        ("message_start", {"type": "message_start", "message": message}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}),
    ]
    events += [
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})
        for p in _pieces(text, chunks)
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": OUTPUT_TOKENS},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return events
