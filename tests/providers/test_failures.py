"""Failures a real server cannot be made to give, through the real SDKs.

The requests in these ``*_synthetic`` cassettes were sent by the real SDKs; the responses
came from :class:`ScriptedLLMServer`, written from each provider's documented error format
(Anthropic: ``{"type": "error", "error": {"type", "message"}}`` with ``request-id``;
OpenAI: ``{"error": {"message", "type", "code"}}`` with ``x-request-id``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.providers.base import LLMProvider
from codescribe.llm.retry import RetryPolicy
from codescribe.testing.scripted_server import Reply

from .cassette_reading import calls_made

pytestmark = pytest.mark.vcr

PROTOCOLS = ["openai", "anthropic"]
MODELS = {"openai": "gpt-6.1-sol", "anthropic": "claude-sonnet-5-5"}


def error_body(name: str, kind: str, message: str) -> dict[str, Any]:
    if name == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


def make_provider(name: str, server: Any, *, fast_retries: bool = True, **changes: Any) -> LLMProvider:
    config = LLMConfig(
        provider=name,
        model=MODELS[name],
        api_key=server.api_key,
        base_url=server.openai_url if name == "openai" else server.anthropic_url,
        max_tokens=64,
        max_retries=3,
    )
    provider = create_provider(config.replace(**changes))
    if fast_retries:  # backoff waits are not what these tests measure
        provider.retry_policy = RetryPolicy(max_retries=provider.config.max_retries, initial_wait=0.01, jitter=0.01)
    return provider


@pytest.mark.parametrize("name", PROTOCOLS)
def test_rate_limit_waits_for_retry_after_then_succeeds_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(
        Reply(429, headers={"retry-after": "1"}, body=error_body(name, "rate_limit_error", "Rate limited"))
    )
    provider = make_provider(name, scripted_server, fast_retries=False)
    waits: list[float] = []
    provider.retry_policy = dataclasses.replace(provider.retry_policy, sleep=waits.append)

    result = provider.generate("Document this.")

    assert waits == [1.0], "the server's retry-after, as given"
    assert result.metadata.retries == 1
    assert result.text
    assert calls_made(vcr) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_unknown_model_fails_at_once_with_model_not_found_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(404, body=error_body(name, "not_found_error", "model: no-such-model")))
    provider = make_provider(name, scripted_server, model="no-such-model")

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.MODEL_NOT_FOUND
    assert caught.value.status_code == 404
    assert "LLM_MODEL" in caught.value.message
    assert calls_made(vcr) == 1


@pytest.mark.parametrize("name", PROTOCOLS)
def test_overloaded_529_is_retried_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(529, body=error_body(name, "overloaded_error", "Overloaded")))

    result = make_provider(name, scripted_server).generate("Document this.")

    assert result.metadata.retries == 1
    assert calls_made(vcr) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_server_error_retries_run_out_into_server_error_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(*[Reply(500, body=error_body(name, "api_error", "Internal server error"))] * 3)
    provider = make_provider(name, scripted_server, max_retries=2)

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.SERVER_ERROR
    assert caught.value.status_code == 500
    assert caught.value.provider == name
    assert calls_made(vcr) == 3


@pytest.mark.parametrize("name", PROTOCOLS)
def test_bad_request_is_not_retried_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(400, body=error_body(name, "invalid_request_error", "max_tokens: must be positive")))

    with pytest.raises(LLMError) as caught:
        make_provider(name, scripted_server).generate("Document this.")

    assert caught.value.error_type is ErrorType.VALIDATION
    assert caught.value.status_code == 400
    assert calls_made(vcr) == 1


def test_openai_exhausted_quota_is_not_retried_synthetic(scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(
        Reply(429, body=error_body("openai", "insufficient_quota", "You exceeded your current quota."))
    )

    with pytest.raises(LLMError) as caught:
        make_provider("openai", scripted_server).generate("Document this.")

    assert caught.value.error_type is ErrorType.QUOTA_EXCEEDED
    assert calls_made(vcr) == 1


def test_openai_content_filter_is_named_synthetic(scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(
        Reply(400, body=error_body("openai", "content_filter", "The response was filtered by the content filter."))
    )

    with pytest.raises(LLMError) as caught:
        make_provider("openai", scripted_server).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTENT_FILTER


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_key_echoed_by_the_server_never_reaches_the_caller_synthetic(
    name: str, scripted_server: Any, vcr: Any
) -> None:
    key = "echoed-test-key-5b1e"  # a stand-in: this cassette records the server echoing it
    scripted_server.push(Reply(401, body=error_body(name, "authentication_error", f"Incorrect API key: {key}")))

    with pytest.raises(LLMError) as caught:
        make_provider(name, scripted_server, api_key=key).generate("Document this.")

    error = caught.value
    assert error.error_type is ErrorType.AUTH
    assert key not in str(error)
    assert key not in repr(error.to_dict())
    assert "***" in error.message


@pytest.mark.parametrize("name", PROTOCOLS)
def test_request_id_comes_from_the_response_headers_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    result = make_provider(name, scripted_server).generate("Document this.")

    assert result.metadata.request_id is not None
    assert result.metadata.request_id.startswith("req_")
    assert result.metadata.cost_usd is not None
    assert result.metadata.cost_usd > 0


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_rate_limit_is_retried_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(429, headers={"retry-after-ms": "50"}, body=error_body(name, "rate_limit_error", "x")))

    result = await make_provider(name, scripted_server).agenerate("Document this.")

    assert result.metadata.retries == 1
    assert calls_made(vcr) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_stream_failing_before_output_is_retried_synthetic(name: str, scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(503, body=error_body(name, "api_error", "unavailable")))
    chunks: list[str] = []

    result = make_provider(name, scripted_server).generate_with_streaming("Document this.", chunks.append)

    assert result.metadata.retries == 1
    assert "".join(chunks) == result.text
