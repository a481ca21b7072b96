"""Every SDK failure becomes an LLMError of the right type, and no key survives in it."""

from __future__ import annotations

import asyncio
from typing import Any

import anthropic
import httpx2
import openai
import pytest

from codescribe.llm import ErrorType, LLMError, RetryPolicy
from codescribe.llm.errors import from_sdk_error, parse_retry_after, redact

from ..providers.mock_transport import Script, answer, json_reply, mocked_provider

REQUEST = httpx2.Request("POST", "http://127.0.0.1:8080/v1/messages")
# Key-shaped stand-ins, assembled at run time so that no file here looks like it holds a real key.
ANTHROPIC_SHAPED = "sk-" + "ant-api03-" + "abcdefghijklmnop"
OPENAI_SHAPED = "sk-" + "proj-" + "ABCDEFGHIJKLMNOPQRSTUV"
AWS_SHAPED = "AKIA" + "ABCDEFGHIJKLMNOP"


def status_error(sdk: Any, status: int, message: str = "boom", headers: dict[str, str] | None = None) -> Exception:
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST)
    body = {"error": {"message": message, "type": "x"}}
    error: Exception = sdk.APIStatusError(message, response=response, body=body)
    return error


@pytest.mark.parametrize(
    ("status", "message", "expected"),
    [
        (401, "invalid x-api-key", ErrorType.AUTH),
        (403, "forbidden", ErrorType.AUTH),
        (404, "model not found", ErrorType.MODEL_NOT_FOUND),
        (429, "slow down", ErrorType.RATE_LIMIT),
        (429, "You exceeded your current quota", ErrorType.QUOTA_EXCEEDED),
        (402, "payment required", ErrorType.QUOTA_EXCEEDED),
        (400, "prompt is too long: 210000 tokens > 200000 maximum", ErrorType.CONTEXT_LENGTH),
        (400, "This model's maximum context length is 128000 tokens", ErrorType.CONTEXT_LENGTH),
        (400, "filtered by the content management policy", ErrorType.CONTENT_FILTER),
        (400, "messages: field required", ErrorType.VALIDATION),
        (413, "request too large", ErrorType.CONTEXT_LENGTH),
        (500, "internal", ErrorType.SERVER_ERROR),
        (503, "unavailable", ErrorType.SERVER_ERROR),
        (529, "overloaded", ErrorType.SERVER_ERROR),
        (408, "request timeout", ErrorType.TIMEOUT),
        (500, "Context size has been exceeded.", ErrorType.CONTEXT_LENGTH),  # llama-server, mid-stream
    ],
)
@pytest.mark.parametrize("sdk", [anthropic, openai], ids=["anthropic", "openai"])
def test_status_decides_the_type(sdk: Any, status: int, message: str, expected: ErrorType) -> None:
    error = from_sdk_error(status_error(sdk, status, message), provider="p", operation="generate")

    assert error.error_type is expected
    assert error.status_code == status
    assert error.provider == "p"
    assert error.operation == "generate"
    assert message in error.message


@pytest.mark.parametrize("sdk", [anthropic, openai], ids=["anthropic", "openai"])
def test_timeouts_and_connection_failures_map_by_class(sdk: Any) -> None:
    try:
        raise sdk.APIConnectionError(request=REQUEST) from httpx2.ConnectError("refused")
    except sdk.APIConnectionError as exc:
        refused = exc

    assert from_sdk_error(sdk.APITimeoutError(request=REQUEST), provider="p", operation="g").error_type is (
        ErrorType.TIMEOUT
    )
    assert from_sdk_error(refused, provider="p", operation="g").error_type is ErrorType.NETWORK


def test_a_connection_error_not_caused_by_the_network_is_not_retried() -> None:
    """The anthropic SDK wraps any transport exception, a test double's included."""

    class CassetteMiss(Exception):
        pass

    try:
        raise anthropic.APIConnectionError(request=REQUEST) from CassetteMiss("no match")
    except anthropic.APIConnectionError as exc:
        error = from_sdk_error(exc, provider="anthropic", operation="generate")

    assert error.error_type is ErrorType.UNKNOWN
    assert not error.is_retryable()


def test_retry_after_is_read_from_seconds_milliseconds_and_dates() -> None:
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_retry_after_and_request_id_reach_the_error() -> None:
    exc = status_error(anthropic, 429, headers={"retry-after": "3", "request-id": "req_123"})

    error = from_sdk_error(exc, provider="anthropic", operation="generate")

    assert error.retry_after == 3.0
    assert error.request_id == "req_123"
    assert error.is_rate_limit()
    assert error.to_dict()["retry_after"] == 3.0


def test_only_transient_types_are_retryable() -> None:
    retryable = {t for t in ErrorType if LLMError("x", error_type=t).is_retryable()}

    assert retryable == {ErrorType.RATE_LIMIT, ErrorType.TIMEOUT, ErrorType.NETWORK, ErrorType.SERVER_ERROR}


def test_keys_are_redacted_from_messages_and_dicts() -> None:
    key = "my-very-secret-key-123"
    exc = status_error(openai, 401, f"Incorrect API key provided: {key}. Also {ANTHROPIC_SHAPED}")

    error = from_sdk_error(exc, provider="openai", operation="generate", secrets=[key])

    for text in (str(error), repr(error), repr(error.to_dict()), error.message):
        assert key not in text
        assert ANTHROPIC_SHAPED not in text
    assert error.is_auth_error()


def test_redact_masks_key_shapes_even_when_not_told() -> None:
    text = redact(f"key {OPENAI_SHAPED} and {AWS_SHAPED}")

    assert OPENAI_SHAPED not in text
    assert AWS_SHAPED not in text


def test_to_dict_has_the_documented_fields() -> None:
    error = LLMError("m", error_type=ErrorType.RATE_LIMIT, provider="p", status_code=429, retry_after=1.0)

    assert error.to_dict() == {
        "error": "m",
        "error_type": "RATE_LIMIT",
        "provider": "p",
        "operation": None,
        "status_code": 429,
        "retry_after": 1.0,
        "request_id": None,
        "retryable": True,
        "retries": 0,
    }
    assert str(error) == "[p] RATE_LIMIT (HTTP 429): m"


@pytest.mark.parametrize("sdk", [anthropic, openai], ids=["anthropic", "openai"])
def test_a_stream_ended_by_a_full_context_is_a_context_length_error_and_not_retried(sdk: Any) -> None:
    mid_stream = sdk.APIError("Context size has been exceeded.", request=REQUEST, body=None)

    error = from_sdk_error(mid_stream, provider="p", operation="stream")

    assert error.error_type is ErrorType.CONTEXT_LENGTH
    assert not error.is_retryable()


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999", "soon", ""])
def test_a_retry_after_that_is_no_finite_number_is_ignored(value: str) -> None:
    assert parse_retry_after({"retry-after": value}) is None
    assert parse_retry_after({"retry-after-ms": value}) is None


def test_a_negative_retry_after_means_now() -> None:
    assert parse_retry_after({"retry-after": "-5"}) == 0.0


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e999"])
def test_a_429_with_a_strange_retry_after_is_retried_sanely_sync_and_async(value: str) -> None:
    """From ``shared/cases/retry-after-nan``: before, the sync call raised a bare ValueError and the
    async one slept on NaN."""
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    limited = json_reply({"error": {"message": "slow down"}}, 429, {"retry-after": value})
    # Each call gets the 429 first, then the well-formed answer.
    provider = mocked_provider("openai", Script(limited, answer, limited))
    provider.retry_policy = RetryPolicy(max_retries=2, sleep=waits.append, asleep=asleep)
    sync = provider.generate("Document this.")

    async def call() -> object:
        async with provider:
            return await provider.agenerate("Document this.")

    asynchronous = asyncio.run(call())

    assert sync.metadata.retries == 1
    assert asynchronous.metadata.retries == 1  # type: ignore[attr-defined]
    assert all(0 <= wait <= 60 for wait in waits), waits


class _APIStatusError(Exception):
    """Shaped as the SDKs' errors are: a status and the parsed body."""

    def __init__(self, status_code: int, body: dict[str, object]) -> None:
        super().__init__("error")
        self.status_code = status_code
        self.body = body


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        # A stream's error event comes under HTTP 200: the provider's own type says what it is.
        (200, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, "SERVER_ERROR"),
        (200, {"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}, "RATE_LIMIT"),
        (200, {"error": {"message": "The server had an error", "type": "server_error"}}, "SERVER_ERROR"),
        # Anthropic answers an empty balance with a 400 invalid_request_error.
        (
            400,
            {"error": {"type": "invalid_request_error", "message": "Your credit balance is too low"}},
            "QUOTA_EXCEEDED",
        ),
        (
            429,
            {"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}},
            "QUOTA_EXCEEDED",
        ),
        (400, {"error": {"message": "too long", "code": "context_length_exceeded"}}, "CONTEXT_LENGTH"),
        (500, {"error": {"type": "api_error", "message": "Internal"}}, "SERVER_ERROR"),
    ],
)
def test_the_providers_own_error_type_classifies_the_error(status: int, body: dict[str, object], expected: str) -> None:
    error = from_sdk_error(_APIStatusError(status, body), provider="anthropic", operation="stream")

    assert error.error_type == expected
    # Trial of issue 13: "SERVER_ERROR (HTTP 200)" read as if the server had failed with a success status.
    assert "(HTTP 200)" not in str(error)


def test_a_network_error_names_the_server_but_never_its_credentials() -> None:
    # Trial of issue 13: the message sent users to LLM_BASE_URL when a suite's base_url was the address.
    # Issue 14: a base URL with credentials is refused before any call, without repeating them.
    import socket

    from codescribe.llm import LLMConfig, create_provider

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMError) as refused:
        LLMConfig(provider="openai", base_url=f"http://user:hunter2@127.0.0.1:{port}/v1?key=letmein")
    provider = create_provider(
        LLMConfig(provider="openai", api_key="k", base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0)
    )

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert refused.value.error_type is ErrorType.VALIDATION
    assert "hunter2" not in str(refused.value)
    assert "letmein" not in str(refused.value)
    assert caught.value.error_type is ErrorType.NETWORK
    assert f"(http://127.0.0.1:{port})" in caught.value.message
    assert "base_url" in caught.value.message
