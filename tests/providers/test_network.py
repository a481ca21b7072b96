"""Time-outs and refused connections, for real, on loopback (nothing here can be a cassette)."""

from __future__ import annotations

import asyncio

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.providers.base import LLMProvider
from codescribe.llm.retry import RetryPolicy
from codescribe.testing.local_server import free_port
from tests.scripted_server import Reply, ScriptedLLMServer

PROTOCOLS = ["openai", "anthropic"]


def make_provider(name: str, url: str, *, max_retries: int = 1, timeout: float = 60.0) -> LLMProvider:
    base_url = f"{url}/v1" if name == "openai" else url
    provider = create_provider(
        LLMConfig(provider=name, base_url=base_url, api_key="k", max_retries=max_retries, timeout=timeout)
    )
    provider.retry_policy = RetryPolicy(max_retries=max_retries, initial_wait=0.01, jitter=0.01)
    return provider


@pytest.fixture
def server() -> ScriptedLLMServer:
    with ScriptedLLMServer() as running:
        yield running


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_slow_server_times_out_and_is_retried(name: str, server: ScriptedLLMServer) -> None:
    server.push(Reply(delay=1.0), Reply(delay=1.0))
    provider = make_provider(name, server.url, max_retries=1, timeout=0.2)

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.TIMEOUT
    assert caught.value.is_retryable()
    assert len(server.requests) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_time_out_then_an_answer_succeeds(name: str, server: ScriptedLLMServer) -> None:
    server.push(Reply(delay=1.0))

    result = make_provider(name, server.url, max_retries=2, timeout=0.3).generate("Document this.")

    assert result.metadata.retries == 1
    assert result.text == server.text


@pytest.mark.parametrize("name", PROTOCOLS)
def test_connection_refused_is_a_network_error(name: str) -> None:
    provider = make_provider(name, f"http://127.0.0.1:{free_port()}", max_retries=1)

    with pytest.raises(LLMError) as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.NETWORK
    assert caught.value.provider == name
    assert "LLM_BASE_URL" in caught.value.message


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_async_connection_refused_is_a_network_error(name: str) -> None:
    provider = make_provider(name, f"http://127.0.0.1:{free_port()}", max_retries=0)

    with pytest.raises(LLMError) as caught:
        await provider.agenerate("Document this.")

    assert caught.value.error_type is ErrorType.NETWORK


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_stream_that_fails_after_output_is_not_retried(name: str, server: ScriptedLLMServer) -> None:
    error = (
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        if name == "anthropic"
        else {"error": {"message": "The server had an error", "type": "server_error"}}
    )
    server.push(Reply(stream_error=error))
    chunks: list[str] = []

    with pytest.raises(LLMError) as caught:
        make_provider(name, server.url, max_retries=3).generate_with_streaming("Document this.", chunks.append)

    assert chunks, "the stream delivered text before it failed"
    assert caught.value.output_started
    assert not caught.value.is_retryable()
    assert len(server.requests) == 1


@pytest.mark.parametrize("name", PROTOCOLS)
def test_an_error_in_the_callers_callback_is_the_callers(name: str, server: ScriptedLLMServer) -> None:
    def on_chunk(text: str) -> None:
        raise KeyError("caller's bug")

    with pytest.raises(KeyError, match="caller's bug"):
        make_provider(name, server.url).generate_with_streaming("Document this.", on_chunk)

    assert len(server.requests) == 1


def _calls(provider: LLMProvider, chunks: list[str]) -> dict[str, object]:
    """The four ways to call, each ending in the provider's answer or its LLMError."""

    async def in_a_loop(stream: bool) -> object:
        async with provider:
            if stream:
                return await provider.agenerate_with_streaming("Document this.", chunks.append)
            return await provider.agenerate("Document this.")

    return {
        "generate": lambda: provider.generate("Document this."),
        "stream": lambda: provider.generate_with_streaming("Document this.", chunks.append),
        "agenerate": lambda: asyncio.run(in_a_loop(stream=False)),
        "astream": lambda: asyncio.run(in_a_loop(stream=True)),
    }


@pytest.mark.parametrize("call", ["generate", "stream", "agenerate", "astream"])
@pytest.mark.parametrize("name", PROTOCOLS)
def test_llm_timeout_is_a_deadline_for_a_server_that_trickles_its_answer(
    name: str, call: str, server: ScriptedLLMServer
) -> None:
    # Issue 14: a server sending 5 bytes/s held a call with LLM_TIMEOUT=3 for more than a minute (each
    # read got its bytes in time). Here the answer would take minutes: the deadline must end it first.
    server.push(Reply(trickle=5.0))
    chunks: list[str] = []
    provider = make_provider(name, server.url, max_retries=0, timeout=0.5)

    with pytest.raises(LLMError) as caught:
        _calls(provider, chunks)[call]()

    assert caught.value.error_type is ErrorType.TIMEOUT
    assert "no complete answer within 0.5 s (LLM_TIMEOUT is a deadline for each attempt)" in caught.value.message
    assert caught.value.is_retryable() != bool(chunks)  # retried only while no text has reached the caller
    seen = list(chunks)
    # the request was cancelled (async) or its answer closed (sync): the server sees its client go, long before
    # the answer's minutes are up
    assert server.wait_until_idle(timeout=10)
    assert chunks == seen  # and nothing more reached the callback after the error


@pytest.mark.parametrize("name", PROTOCOLS)
def test_a_deadline_passed_is_retried_and_the_answer_that_follows_returned(
    name: str, server: ScriptedLLMServer
) -> None:
    server.push(Reply(trickle=5.0))
    provider = make_provider(name, server.url, max_retries=1, timeout=0.5)

    result = provider.generate("Document this.")

    assert result.metadata.retries == 1
    assert result.text == server.text


#: A body that is not the API's, its content type, and what the error says for a call and for a stream.
NOT_THE_API = {
    "a web page": (
        "text/html",
        b"<html><body>502 Bad Gateway</body></html>",
        "the server answered with text/html, not JSON: check the base URL",
        "the server answered with text/html, not an event stream: check the base URL",
    ),
    "broken JSON": (
        "application/json",
        b"<html>oops</html>",
        "the server's answer is not valid JSON (Expecting value, line 1 column 1)",
        "the server answered a stream request with JSON, not a stream",
    ),
}


@pytest.mark.parametrize("call", ["generate", "stream", "agenerate", "astream"])
@pytest.mark.parametrize("answer", sorted(NOT_THE_API))
@pytest.mark.parametrize("name", PROTOCOLS)
def test_an_answer_that_is_not_the_apis_says_so(name: str, answer: str, call: str, server: ScriptedLLMServer) -> None:
    # Issue 14: a proxy's page answered under 200 gave "'str' object has no attribute 'content'", or
    # "the stream ended before its final event".
    kind, body, for_a_call, for_a_stream = NOT_THE_API[answer]
    server.push(Reply(raw=body, headers={"content-type": kind}))
    provider = make_provider(name, server.url, max_retries=0)

    with pytest.raises(LLMError) as caught:
        _calls(provider, [])[call]()

    assert (for_a_stream if call.endswith("stream") else for_a_call) in caught.value.message
