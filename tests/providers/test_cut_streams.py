"""A stream that closes before its final event is an error, never a finished answer.

From ``shared/cases/stream-cut-before-end`` (a fault reported against LiteLLM): the server ends
the stream cleanly after a few text events, with no ``finish_reason``, usage or ``[DONE]``
(OpenAI), no ``message_delta`` or ``message_stop`` (Anthropic).
"""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, RetryPolicy, create_provider
from codescribe.testing import ScriptedLLMServer

PROTOCOLS = ["openai", "anthropic"]


class CuttingServer(ScriptedLLMServer):
    """Streams the first events of each answer, then closes cleanly."""

    def openai_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
        return super().openai_stream(request)[:4]  # the role chunk and three text chunks

    def anthropic_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
        return super().anthropic_stream(request)[:5]  # message_start, block_start, three deltas


def provider_for(name: str, server: ScriptedLLMServer, retries: int = 0) -> Any:
    base_url = server.openai_url if name == "openai" else server.anthropic_url
    provider = create_provider(LLMConfig(provider=name, base_url=base_url, api_key="k", max_retries=retries))
    provider.retry_policy = RetryPolicy(max_retries=retries, sleep=lambda seconds: None)
    return provider


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_cut_stream_is_an_error_and_not_retried_once_text_was_shown(name: str) -> None:
    shown: list[str] = []
    with CuttingServer(text="one two three four five six seven eight", chunks=8) as server:
        with pytest.raises(LLMError) as caught:
            provider_for(name, server, retries=2).generate_with_streaming("Document this.", shown.append)
        requests = len(server.requests)

    assert caught.value.error_type is ErrorType.NETWORK
    assert "ended before its final event" in caught.value.message
    assert shown, "the caller saw the first chunks"
    assert caught.value.output_started
    assert requests == 1, "text already reached the caller: not retried"


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_a_cut_async_stream_is_an_error_too(name: str) -> None:
    with CuttingServer(text="one two three four", chunks=4) as server:
        provider = provider_for(name, server)
        with pytest.raises(LLMError, match="ended before its final event") as caught:
            async with provider:
                await provider.agenerate_with_streaming("Document this.")

    assert caught.value.error_type is ErrorType.NETWORK
