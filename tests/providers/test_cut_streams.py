"""A stream that closes before its final event is an error, never a finished answer.

From ``shared/cases/stream-cut-before-end`` (a fault reported against LiteLLM): the server ends
the stream cleanly after a few text events, with no ``finish_reason``, usage or ``[DONE]``
(OpenAI), no ``message_delta`` or ``message_stop`` (Anthropic). The body is whole, only short of
its last events, so a mock transport (``mock_transport.py``) gives it exactly: no socket needed.
"""

from __future__ import annotations

import pytest

from codescribe.llm import ErrorType, LLMError
from codescribe.llm.providers.base import LLMProvider

from .mock_transport import Script, anthropic_stream, mocked_provider, openai_stream, sse_reply

PROTOCOLS = ["openai", "anthropic"]


def cut_stream(name: str, text: str, chunks: int) -> Script:
    """A script answering every request with the first events of a stream of ``text``, then the end."""
    # OpenAI: the role chunk and three text chunks; Anthropic: message_start, block_start, three deltas.
    events = openai_stream("m", text, chunks)[:4] if name == "openai" else anthropic_stream("m", text, chunks)[:5]
    return Script(then=sse_reply(events))


def provider_for(name: str, script: Script, retries: int = 0) -> LLMProvider:
    return mocked_provider(name, script, max_retries=retries)


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_cut_stream_is_an_error_and_not_retried_once_text_was_shown(name: str) -> None:
    shown: list[str] = []
    script = cut_stream(name, text="one two three four five six seven eight", chunks=8)

    with pytest.raises(LLMError) as caught:
        provider_for(name, script, retries=2).generate_with_streaming("Document this.", shown.append)

    assert caught.value.error_type is ErrorType.NETWORK
    assert "ended before its final event" in caught.value.message
    assert shown, "the caller saw the first chunks"
    assert caught.value.output_started
    assert len(script.requests) == 1, "text already reached the caller: not retried"


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_a_cut_async_stream_is_an_error_too(name: str) -> None:
    provider = provider_for(name, cut_stream(name, text="one two three four", chunks=4))

    with pytest.raises(LLMError, match="ended before its final event") as caught:
        async with provider:
            await provider.agenerate_with_streaming("Document this.")

    assert caught.value.error_type is ErrorType.NETWORK


def test_an_anthropic_stream_cut_after_its_stop_reason_but_before_message_stop_is_an_error() -> None:
    # Trial of issue 13: message_delta (with stop_reason and usage) arrived, message_stop never did, and the
    # answer was written with exit 0. Anthropic's streams, and llama-server's, always end with message_stop.
    events = anthropic_stream("claude-sonnet-4-5", "one two three four", 4)
    assert events[-1][0] == "message_stop"
    provider = provider_for("anthropic", Script(then=sse_reply(events[:-1])))

    with pytest.raises(LLMError, match="ended before its final event") as caught:
        provider.generate_with_streaming("Document this.", lambda _: None)

    assert caught.value.metadata is not None, "what it used is kept: it was billed"
