"""Failures a real server cannot be made to give, through the real SDKs.

The SDKs send through a mock transport (``mock_transport.py``): no socket, no thread. The
error answers follow each provider's documented format (Anthropic: ``{"type": "error",
"error": {"type", "message"}}`` with ``request-id``; OpenAI: ``{"error": {"message", "type",
"code"}}`` with ``x-request-id``); a :class:`Script` counts the attempts, and retry waits are
read from the policy's ``sleep``, never from the clock.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from codescribe.llm import ErrorType, LLMError
from codescribe.llm.providers.base import LLMProvider

from .mock_transport import Respond, Script, json_reply, mocked_provider

PROTOCOLS = ["openai", "anthropic"]
MODELS = {"openai": "gpt-6.1-sol", "anthropic": "claude-sonnet-5-5"}


def error_body(name: str, kind: str, message: str) -> dict[str, Any]:
    if name == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


def error_reply(name: str, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> Respond:
    request_id = {"request-id" if name == "anthropic" else "x-request-id": "req_mock_error"}
    return json_reply(error_body(name, kind, message), status, {**request_id, **(headers or {})})


def make_provider(name: str, script: Script, *, max_retries: int = 3, **changes: Any) -> LLMProvider:
    """The provider, sending through ``script``; retries wait no time."""
    changes.setdefault("model", MODELS[name])
    return mocked_provider(name, script, max_retries=max_retries, max_tokens=64, **changes)


@pytest.mark.parametrize("name", PROTOCOLS)
def test_rate_limit_waits_for_retry_after_then_succeeds(name: str) -> None:
    script = Script(error_reply(name, 429, "rate_limit_error", "Rate limited", {"retry-after": "1"}))
    provider = make_provider(name, script)
    waits: list[float] = []
    provider.retry_policy = dataclasses.replace(provider.retry_policy, sleep=waits.append)

    result = provider.generate("Document this.")

    assert waits == [1.0], "the server's retry-after, as given"
    assert result.metadata.retries == 1
    assert result.text
    assert len(script.requests) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_unknown_model_fails_at_once_with_model_not_found(name: str) -> None:
    script = Script(error_reply(name, 404, "not_found_error", "model: no-such-model"))
    provider = make_provider(name, script, model="no-such-model")

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.MODEL_NOT_FOUND
    assert caught.value.status_code == 404
    assert "LLM_MODEL" in caught.value.message
    assert len(script.requests) == 1


@pytest.mark.parametrize("name", PROTOCOLS)
def test_overloaded_529_is_retried(name: str) -> None:
    script = Script(error_reply(name, 529, "overloaded_error", "Overloaded"))

    result = make_provider(name, script).generate("Document this.")

    assert result.metadata.retries == 1
    assert len(script.requests) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_server_error_retries_run_out_into_server_error(name: str) -> None:
    script = Script(*[error_reply(name, 500, "api_error", "Internal server error")] * 3)
    provider = make_provider(name, script, max_retries=2)

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.SERVER_ERROR
    assert caught.value.status_code == 500
    assert caught.value.provider == name
    assert len(script.requests) == 3


@pytest.mark.parametrize("name", PROTOCOLS)
def test_bad_request_is_not_retried(name: str) -> None:
    script = Script(error_reply(name, 400, "invalid_request_error", "max_tokens: must be positive"))

    with pytest.raises(LLMError) as caught:
        make_provider(name, script).generate("Document this.")

    assert caught.value.error_type is ErrorType.VALIDATION
    assert caught.value.status_code == 400
    assert len(script.requests) == 1


def test_openai_exhausted_quota_is_not_retried() -> None:
    script = Script(error_reply("openai", 429, "insufficient_quota", "You exceeded your current quota."))

    with pytest.raises(LLMError) as caught:
        make_provider("openai", script).generate("Document this.")

    assert caught.value.error_type is ErrorType.QUOTA_EXCEEDED
    assert len(script.requests) == 1


def test_openai_content_filter_is_named() -> None:
    script = Script(error_reply("openai", 400, "content_filter", "The response was filtered by the content filter."))

    with pytest.raises(LLMError) as caught:
        make_provider("openai", script).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTENT_FILTER


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_key_echoed_by_the_server_never_reaches_the_caller(name: str) -> None:
    key = "echoed-test-key-5b1e"  # a stand-in, echoed back by the scripted answer
    script = Script(error_reply(name, 401, "authentication_error", f"Incorrect API key: {key}"))

    with pytest.raises(LLMError) as caught:
        make_provider(name, script, api_key=key).generate("Document this.")

    error = caught.value
    assert error.error_type is ErrorType.AUTH
    assert key not in str(error)
    assert key not in repr(error.to_dict())
    assert "***" in error.message


@pytest.mark.parametrize("name", PROTOCOLS)
def test_request_id_comes_from_the_response_headers(name: str) -> None:
    result = make_provider(name, Script()).generate("Document this.")

    assert result.metadata.request_id is not None
    assert result.metadata.request_id.startswith("req_")
    assert result.metadata.cost_usd is not None
    assert result.metadata.cost_usd > 0


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_rate_limit_is_retried(name: str) -> None:
    script = Script(error_reply(name, 429, "rate_limit_error", "x", {"retry-after-ms": "50"}))
    provider = make_provider(name, script)

    async with provider:
        result = await provider.agenerate("Document this.")

    assert result.metadata.retries == 1
    assert len(script.requests) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_stream_failing_before_output_is_retried(name: str) -> None:
    script = Script(error_reply(name, 503, "api_error", "unavailable"))
    chunks: list[str] = []

    result = make_provider(name, script).generate_with_streaming("Document this.", chunks.append)

    assert result.metadata.retries == 1
    assert "".join(chunks) == result.text
