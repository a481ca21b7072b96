"""Errors a server reports in a body rather than a status: mapped like the status they mean, on loopback."""

from __future__ import annotations

import pytest

from codescribe.llm import ErrorType, LLMError
from codescribe.testing.scripted_server import Reply, ScriptedLLMServer

from .test_network import make_provider


def test_a_200_with_an_error_body_is_that_error() -> None:
    with ScriptedLLMServer() as server:
        server.push(Reply(200, body={"error": {"message": "the request exceeds the available context size"}}))
        with pytest.raises(LLMError) as caught:
            make_provider("openai", server.url, max_retries=0).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTEXT_LENGTH
    assert "available context size" in caught.value.message


def test_a_200_without_choices_is_an_error_not_a_crash() -> None:
    with ScriptedLLMServer() as server:
        server.push(Reply(200, body={"id": "x", "choices": []}))
        with pytest.raises(LLMError, match="no choices"):
            make_provider("openai", server.url, max_retries=0).generate("Document this.")


def test_a_mid_stream_error_event_with_a_status_code_takes_its_type() -> None:
    with ScriptedLLMServer() as server:
        server.push(Reply(stream_error={"error": {"message": "slow down", "code": 429}}))
        provider = make_provider("openai", server.url, max_retries=0)
        with pytest.raises(LLMError) as caught:
            provider.generate_with_streaming("Document this.", lambda chunk: None)

    assert caught.value.error_type is ErrorType.RATE_LIMIT
    assert caught.value.status_code == 429


def refused_answer(name: str) -> dict[str, object]:
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
    with ScriptedLLMServer() as server:
        server.push(Reply(200, body=refused_answer(name)))
        with pytest.raises(LLMError) as caught:
            make_provider(name, server.url, max_retries=2).generate("Document this.")
        requests = len(server.requests)

    assert caught.value.error_type is ErrorType.CONTENT_FILTER
    assert "declined" in caught.value.message
    assert requests == 1, "a refusal is not retried"


def test_an_openai_content_filter_stop_is_a_content_filter_error() -> None:
    answer = refused_answer("openai")
    answer["choices"] = [
        {"index": 0, "message": {"role": "assistant", "content": "Par"}, "finish_reason": "content_filter"}
    ]
    with ScriptedLLMServer() as server:
        server.push(Reply(200, body=answer))
        with pytest.raises(LLMError) as caught:
            make_provider("openai", server.url, max_retries=0).generate("Document this.")

    assert caught.value.error_type is ErrorType.CONTENT_FILTER
