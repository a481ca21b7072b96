"""Both real protocols, replayed from traffic recorded against a real llama-server.

Every test here is parametrised over the two providers that reach llama-server: ``openai``
(``/v1/chat/completions``) and ``anthropic`` (``/v1/messages``), each through its real SDK.
"""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.providers.base import LLMProvider

from .cassette_reading import calls_made, request_json, response_json

pytestmark = pytest.mark.vcr

PROTOCOLS = ["openai", "anthropic"]
SYSTEM = "You are a terse technical writer."
PROMPT = "Describe a Python function add(a, b) that returns a + b, in one sentence."


def make_provider(name: str, server: Any, **changes: Any) -> LLMProvider:
    config = LLMConfig(
        provider=name,
        model="smollm2",
        api_key=server.api_key,
        base_url=server.openai_url if name == "openai" else server.anthropic_url,
        max_tokens=24,
        max_retries=0,
        temperature=0.0,
    )
    return create_provider(config.replace(**changes))


def input_tokens_reported(name: str, usage: dict[str, Any]) -> int:
    return int(usage["prompt_tokens"] if name == "openai" else usage["input_tokens"])


def output_tokens_reported(name: str, usage: dict[str, Any]) -> int:
    return int(usage["completion_tokens"] if name == "openai" else usage["output_tokens"])


@pytest.mark.parametrize("name", PROTOCOLS)
def test_generate_reports_what_the_server_reported(name: str, llm_server: Any, vcr: Any) -> None:
    result = make_provider(name, llm_server).generate(PROMPT, system_prompt=SYSTEM)

    usage = response_json(vcr)["usage"]
    assert result.text.strip()
    assert result.metadata.provider == name
    assert result.metadata.model == "smollm2"
    assert result.metadata.input_tokens == input_tokens_reported(name, usage)
    assert result.metadata.output_tokens == output_tokens_reported(name, usage)
    assert result.metadata.finish_reason in {"stop", "length", "end_turn", "max_tokens"}
    assert result.metadata.latency_ms > 0
    assert result.metadata.ttft_ms is None
    assert result.metadata.retries == 0
    reported = {key: value for key, value in usage.items() if value is not None}
    assert result.metadata.usage is not None
    kept = {key: result.metadata.usage.get(key) for key in reported}
    assert kept == reported, "the server's usage object, every field of it"


@pytest.mark.parametrize("name", PROTOCOLS)
def test_stream_delivers_chunks_that_make_the_text(name: str, llm_server: Any, vcr: Any) -> None:
    chunks: list[str] = []
    result = make_provider(name, llm_server).generate_with_streaming(PROMPT, chunks.append, system_prompt=SYSTEM)

    usage = response_json(vcr)["usage"]
    assert len(chunks) > 1
    assert "".join(chunks) == result.text
    assert result.metadata.output_tokens == output_tokens_reported(name, usage)
    assert result.metadata.input_tokens == input_tokens_reported(name, usage)
    assert result.metadata.ttft_ms is not None
    assert 0 < result.metadata.ttft_ms <= result.metadata.latency_ms
    if name == "openai":
        assert request_json(vcr)["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_generate_matches_sync_shape(name: str, llm_server: Any, vcr: Any) -> None:
    result = await make_provider(name, llm_server).agenerate(PROMPT, system_prompt=SYSTEM)

    usage = response_json(vcr)["usage"]
    assert result.text.strip()
    assert result.metadata.input_tokens == input_tokens_reported(name, usage)
    assert result.metadata.output_tokens == output_tokens_reported(name, usage)


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_stream_accepts_an_async_callback(name: str, llm_server: Any, vcr: Any) -> None:
    chunks: list[str] = []

    async def on_chunk(text: str) -> None:
        chunks.append(text)

    result = await make_provider(name, llm_server).agenerate_with_streaming(PROMPT, on_chunk, system_prompt=SYSTEM)

    assert len(chunks) > 1
    assert "".join(chunks) == result.text
    assert result.metadata.output_tokens == output_tokens_reported(name, response_json(vcr)["usage"])
    assert result.metadata.ttft_ms is not None


@pytest.mark.parametrize("name", PROTOCOLS)
def test_repeated_prefix_is_read_from_the_servers_cache(name: str, llm_server: Any, vcr: Any) -> None:
    provider = make_provider(name, llm_server)
    first = provider.generate(PROMPT, system_prompt=SYSTEM, cache_user_message=True)
    second = provider.generate(PROMPT, system_prompt=SYSTEM, cache_user_message=True)

    usage = response_json(vcr, 1)["usage"]
    reported = usage["prompt_tokens_details"]["cached_tokens"] if name == "openai" else usage["cache_read_input_tokens"]
    assert second.metadata.cache_read_tokens == reported > 0
    assert second.metadata.was_cached
    assert first.metadata.cache_read_tokens <= second.metadata.cache_read_tokens
    if name == "anthropic":
        body = request_json(vcr, 0)
        assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
        assert body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}


def test_anthropic_without_caching_sends_no_cache_control(llm_server: Any, vcr: Any) -> None:
    make_provider("anthropic", llm_server, enable_caching=False).generate(PROMPT, system_prompt=SYSTEM)

    assert "cache_control" not in vcr.requests[0].body.decode()


@pytest.mark.parametrize("name", PROTOCOLS)
def test_wrong_key_is_an_auth_error_not_retried(name: str, llm_server: Any, vcr: Any) -> None:
    wrong_key = "wrong-key-for-codescribe-tests"
    provider = make_provider(name, llm_server, api_key=wrong_key, max_retries=3)

    with pytest.raises(LLMError) as caught:
        provider.generate(PROMPT)

    error = caught.value
    assert error.error_type is ErrorType.AUTH
    assert error.status_code == 401
    assert error.provider == name
    assert not error.is_retryable()
    assert calls_made(vcr) == 1
    assert wrong_key not in str(error)
    assert wrong_key not in repr(error.to_dict())


@pytest.mark.parametrize("name", PROTOCOLS)
def test_prompt_longer_than_the_context_is_a_context_length_error(name: str, llm_server: Any, vcr: Any) -> None:
    provider = make_provider(name, llm_server, max_retries=3)

    with pytest.raises(LLMError) as caught:
        provider.generate("word " * 3000)

    assert caught.value.error_type is ErrorType.CONTEXT_LENGTH
    assert caught.value.status_code == 400
    assert calls_made(vcr) == 1
    assert "context" in caught.value.message
