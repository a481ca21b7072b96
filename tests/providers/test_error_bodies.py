"""Errors a server reports in a body rather than a status: mapped like the status they mean, on loopback."""

from __future__ import annotations

import pytest

from codescribe.llm import ErrorType, LLMError
from codescribe.llm.scripted_server import Reply, ScriptedLLMServer

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
