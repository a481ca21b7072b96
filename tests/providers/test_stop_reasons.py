"""Only a stop at the answer's end is a finished answer (issue 13; helper-23's trial, F1 and F3).

Anthropic's ``model_context_window_exceeded`` and ``pause_turn``, and the ``error`` finish reason of
OpenAI-compatible gateways (OpenRouter), had been accepted as finished documents: ``generate`` exited 0, the
eval recorded ``ok``, and the MkDocs cache kept the cut page. An Anthropic stream without its
``message_delta`` had a made-up ``end_turn``. Each protocol, streamed and not, is checked with every kind of
stop reason; the bodies are the SDKs' wire formats (``mock_transport.py``).
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from codescribe.engine.generator import DocGenerator
from codescribe.engine.writers import ModelWriter
from codescribe.llm import ErrorType, LLMError
from codescribe.llm.providers.base import LLMProvider

from .mock_transport import (
    Event,
    anthropic_message,
    anthropic_stream,
    json_reply,
    mocked_provider,
    openai_completion,
    openai_stream,
    sse_reply,
)

#: (protocol, stop reason, what the answer is: a finished generation, or the error type it raises)
CASES = [
    ("openai", "stop", None),
    ("openai", "length", None),  # cut: a generation the generator calls TRUNCATED
    ("openai", "content_filter", ErrorType.CONTENT_FILTER),
    ("openai", "error", ErrorType.SERVER_ERROR),
    ("openai", "tool_calls", ErrorType.UNKNOWN),
    ("anthropic", "end_turn", None),
    ("anthropic", "stop_sequence", None),
    ("anthropic", "max_tokens", None),
    ("anthropic", "model_context_window_exceeded", None),
    ("anthropic", "refusal", ErrorType.CONTENT_FILTER),
    ("anthropic", "pause_turn", ErrorType.UNKNOWN),
    ("anthropic", "a_reason_from_next_year", ErrorType.UNKNOWN),
]


def stopped(protocol: str, reason: str, *, stream: bool) -> Any:
    """A responder whose answer stops for ``reason``."""
    if not stream:
        body = openai_completion("m") if protocol == "openai" else anthropic_message("m")
        if protocol == "openai":
            body["choices"][0]["finish_reason"] = reason
        else:
            body["stop_reason"] = reason
        return json_reply(body)
    events: list[Event] = openai_stream("m") if protocol == "openai" else anthropic_stream("m")
    for _, data in events:
        if isinstance(data, dict) and protocol == "openai" and data.get("choices"):
            if data["choices"][0]["finish_reason"]:
                data["choices"][0]["finish_reason"] = reason
        elif isinstance(data, dict) and data.get("type") == "message_delta":
            data["delta"]["stop_reason"] = reason
    return sse_reply(events)


def call(provider: LLMProvider, stream: bool) -> Any:
    if stream:
        return provider.generate_with_streaming("Document this.", lambda _: None)
    return provider.generate("Document this.")


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize(("protocol", "reason", "error_type"), CASES)
def test_an_answer_that_did_not_stop_at_its_end_is_no_finished_answer(
    protocol: str, reason: str, error_type: ErrorType | None, stream: bool
) -> None:
    provider = mocked_provider(protocol, stopped(protocol, reason, stream=stream))

    if error_type is None:
        assert call(provider, stream).metadata.finish_reason == reason
        return
    with pytest.raises(LLMError) as caught:
        call(provider, stream)
    assert caught.value.error_type is error_type
    assert reason in caught.value.message
    assert caught.value.metadata is not None, "the answer came: it was billed, and is counted"
    assert caught.value.metadata.output_tokens > 0


@pytest.mark.parametrize("reason", ["length", "max_tokens", "model_context_window_exceeded"])
def test_an_answer_cut_at_a_limit_is_a_truncated_result(reason: str) -> None:
    protocol = "openai" if reason == "length" else "anthropic"
    provider = mocked_provider(protocol, stopped(protocol, reason, stream=False))
    generator = DocGenerator(writer=ModelWriter(provider))

    result = generator.generate_documentation("def add(a, b):\n    return a + b\n", doc_type="api")

    assert result.error_type == "TRUNCATED"
    assert ("context window" in (result.error or "")) is (reason == "model_context_window_exceeded")


@pytest.mark.parametrize("keep", ["message_stop only", "no message_delta"])
def test_an_anthropic_stream_without_its_stop_reason_is_incomplete(keep: str) -> None:
    events = anthropic_stream("claude-sonnet-4-5", "one two three four", 4)
    if keep == "message_stop only":
        events = [events[0], events[-1]]
    else:
        events = [event for event in events if event[0] != "message_delta"]
    provider = mocked_provider("anthropic", sse_reply(events))

    with pytest.raises(LLMError, match="ended before its final event") as caught:
        provider.generate_with_streaming("Document this.", lambda _: None)

    assert caught.value.error_type is ErrorType.NETWORK


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
@pytest.mark.parametrize("body", [b"null", b"[]", b'"text"', b"42"], ids=["null", "list", "string", "number"])
def test_json_that_is_not_the_apis_answer_says_so(protocol: str, stream: bool, body: bytes) -> None:
    # helper-23's F7: `null` or `[]` as the body gave "'NoneType' object has no attribute 'model'".
    json_type = {"content-type": "application/json"}
    provider = mocked_provider(protocol, lambda request: httpx2.Response(200, content=body, headers=json_type))

    with pytest.raises(LLMError) as caught:
        call(provider, stream)

    assert "object has no attribute" not in caught.value.message
    assert "check the base URL" in caught.value.message or "no message" in caught.value.message
