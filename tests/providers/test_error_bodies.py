"""Errors a server reports in a body rather than a status, and refusals: mapped like what they mean.

The SDKs send through a mock transport here (``mock_transport.py``): these are answers a real
server cannot be made to give.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from codescribe.llm import ErrorType, LLMError

from .mock_transport import json_reply, mocked_provider, sse_reply

CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}


def test_a_200_with_an_error_body_is_that_error() -> None:
    body = {"error": {"message": "the request exceeds the available context size"}}
    with pytest.raises(LLMError) as caught:
        mocked_provider("openai", json_reply(body)).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTEXT_LENGTH
    assert "available context size" in caught.value.message


def test_a_200_with_an_error_beside_choices_is_still_that_error() -> None:
    body = {
        "id": "x",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "?"}}],
        "error": {"message": "upstream failed"},
    }
    with pytest.raises(LLMError, match="upstream failed"):
        mocked_provider("openai", json_reply(body)).generate("Document this.")


@pytest.mark.parametrize(
    "choices",
    [[], [None], [{"index": 0, "message": None, "finish_reason": "stop"}]],
    ids=["no choices", "a null choice", "a null message"],
)
def test_a_200_without_a_message_is_an_error_that_says_so_not_a_crash(choices: list[Any]) -> None:
    # Trial of issue 13: a null choice gave "'NoneType' object has no attribute 'message'".
    with pytest.raises(LLMError, match="the answer holds no message"):
        mocked_provider("openai", json_reply({"id": "x", "choices": choices})).generate("Document this.")


def test_a_200_web_page_is_an_error_that_names_what_came() -> None:
    def page(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, text="<html>gateway</html>", headers={"content-type": "text/html"})

    with pytest.raises(LLMError, match="the server answered with text/html, not JSON"):
        mocked_provider("openai", page).generate("Document this.")


def test_a_mid_stream_error_event_with_a_status_code_takes_its_type() -> None:
    events: list[tuple[str | None, object]] = [
        (None, {**CHUNK, "choices": [{"index": 0, "delta": {"content": "Par"}, "finish_reason": None}]}),
        (None, {"error": {"message": "slow down", "code": 429}}),
    ]
    with pytest.raises(LLMError) as caught:
        mocked_provider("openai", sse_reply(events)).generate_with_streaming("Document this.", lambda chunk: None)

    assert caught.value.error_type is ErrorType.RATE_LIMIT
    assert caught.value.status_code == 429


def refused_answer(name: str) -> dict[str, Any]:
    if name == "anthropic":
        usage = {"input_tokens": 5, "output_tokens": 0}
        return {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "m",
            "content": [],
            "stop_reason": "refusal",
            "stop_sequence": None,
            "usage": usage,
        }
    message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
    return {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
    }


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_a_refusal_is_a_content_filter_error_not_an_empty_answer(name: str) -> None:
    requests = []

    def respond(request: Any) -> Any:
        requests.append(request)
        return json_reply(refused_answer(name))(request)

    with pytest.raises(LLMError) as caught:
        mocked_provider(name, respond, max_retries=2).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTENT_FILTER
    assert "declined" in caught.value.message
    assert len(requests) == 1, "a refusal is not retried"


def test_an_openai_content_filter_stop_is_a_content_filter_error() -> None:
    answer = refused_answer("openai")
    answer["choices"] = [
        {"index": 0, "message": {"role": "assistant", "content": "Par"}, "finish_reason": "content_filter"}
    ]
    with pytest.raises(LLMError) as caught:
        mocked_provider("openai", json_reply(answer)).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTENT_FILTER


async def test_the_async_client_sends_through_the_same_transport() -> None:
    answer = {
        "id": "c",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Done."}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
    provider = mocked_provider("openai", json_reply(answer, headers={"x-request-id": "req_mock"}))
    async with provider:
        result = await provider.agenerate("Document this.")

    assert result.text == "Done."
    assert result.metadata.request_id == "req_mock"
    assert result.metadata.usage == answer["usage"]
