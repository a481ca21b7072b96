"""``LLM_HTTP_CLIENT=aiohttp``: the async SDK clients over the SDKs' aiohttp transport, for real on loopback."""

from __future__ import annotations

import importlib
import time
from types import ModuleType

import pytest

from codescribe.evals.execute import build_provider
from codescribe.evals.suite import SystemSpec
from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.local_server import free_port
from codescribe.llm.providers.base import LLMProvider
from codescribe.llm.retry import RetryPolicy
from codescribe.llm.scripted_server import Reply, ScriptedLLMServer

PROTOCOLS = ["openai", "anthropic"]


def aiohttp_provider(name: str, url: str, *, max_retries: int = 0, timeout: float = 60.0) -> LLMProvider:
    base_url = f"{url}/v1" if name == "openai" else url
    provider = create_provider(LLMConfig(provider=name, base_url=base_url, api_key="k", max_retries=max_retries,
                                         timeout=timeout, http_client="aiohttp"))  # fmt: skip
    provider.retry_policy = RetryPolicy(max_retries=max_retries, initial_wait=0.01, jitter=0.01)
    return provider


@pytest.fixture
def server() -> ScriptedLLMServer:
    with ScriptedLLMServer(text="Adds two numbers and returns the sum.") as running:
        yield running


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_calls_and_streams_go_through_aiohttp(name: str, server: ScriptedLLMServer) -> None:
    provider = aiohttp_provider(name, server.url)
    chunks: list[str] = []

    plain = await provider.agenerate("Document add(a, b).", system_prompt="Be terse.")
    streamed = await provider.agenerate_with_streaming("Document add(a, b).", chunks.append)
    transport = type(provider.async_client._client).__name__
    await provider.aclose()

    assert "AioHttp" in transport
    assert plain.text == streamed.text == "".join(chunks) == server.text
    assert (streamed.metadata.input_tokens, streamed.metadata.output_tokens) == (12, 9)
    assert plain.metadata.request_id is not None
    assert plain.metadata.request_id.startswith("req_scripted_")
    assert streamed.metadata.ttft_ms is not None
    assert provider._async_client is None, "closed"


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_a_429_is_retried_after_its_retry_after(name: str, server: ScriptedLLMServer) -> None:
    server.push(Reply(429, headers={"retry-after": "0.3"}, body={"error": {"message": "slow down"}}))
    provider = aiohttp_provider(name, server.url, max_retries=2)

    started = time.perf_counter()
    result = await provider.agenerate("Document this.")
    waited = time.perf_counter() - started
    await provider.aclose()

    assert result.metadata.retries == 1
    assert waited >= 0.3
    assert len(server.requests) == 2


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_a_refused_connection_is_a_network_error(name: str) -> None:
    provider = aiohttp_provider(name, f"http://127.0.0.1:{free_port()}")

    with pytest.raises(LLMError) as caught:
        await provider.agenerate("Document this.")
    await provider.aclose()

    assert caught.value.error_type is ErrorType.NETWORK


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_a_slow_server_is_a_time_out(name: str, server: ScriptedLLMServer) -> None:
    server.push(Reply(delay=1.0))
    provider = aiohttp_provider(name, server.url, timeout=0.2)

    with pytest.raises(LLMError) as caught:
        await provider.agenerate("Document this.")
    await provider.aclose()

    assert caught.value.error_type is ErrorType.TIMEOUT


def test_the_environment_chooses_the_client_and_a_bad_value_is_named() -> None:
    assert LLMConfig.from_env({"LLM_HTTP_CLIENT": "AIOHTTP"}).http_client == "aiohttp"
    assert LLMConfig.from_env({}).http_client == "httpx"
    with pytest.raises(LLMError, match="LLM_HTTP_CLIENT='curl' is not valid: use httpx or aiohttp"):
        LLMConfig.from_env({"LLM_HTTP_CLIENT": "curl"})


async def test_without_aiohttp_installed_the_error_says_what_to_install(
    server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = importlib.import_module

    def no_aiohttp(name: str, package: str | None = None) -> ModuleType:
        if name == "aiohttp":
            raise ImportError("No module named 'aiohttp'")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_aiohttp)
    provider = aiohttp_provider("openai", server.url)

    with pytest.raises(LLMError, match=r"pip install 'codescribe\[aiohttp\]'") as caught:
        await provider.agenerate("Document this.")

    assert caught.value.error_type is ErrorType.VALIDATION


def test_evaluations_use_aiohttp_unless_the_environment_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SystemSpec(provider="openai", model="gpt-6.1-sol", base_url="http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_API_KEY", "k")
    monkeypatch.delenv("LLM_HTTP_CLIENT", raising=False)
    assert build_provider(spec).config.http_client == "aiohttp"

    monkeypatch.setenv("LLM_HTTP_CLIENT", "httpx")
    assert build_provider(spec).config.http_client == "httpx"


async def test_new_clients_share_one_tls_context_and_know_the_os_before_their_first_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading the CA store took ~20 ms per client, and the SDK found the OS in a thread per
    request of a client's first wave; both are now done once per process."""
    import ssl

    from codescribe.llm.providers import base

    loads: list[object] = []
    real = ssl.SSLContext.load_verify_locations
    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations",
                        lambda self, *args, **kwargs: (loads.append(args), real(self, *args, **kwargs))[1])  # fmt: skip
    base._tls_context.cache_clear()
    providers = [aiohttp_provider(name, "http://127.0.0.1:9") for name in (*PROTOCOLS, *PROTOCOLS)]

    clients = [provider.async_client for provider in providers]
    contexts = {id(client._client._transport.ssl_context) for client in clients}
    platforms = [client._platform for client in clients]
    for provider in providers:
        await provider.aclose()

    assert len(loads) <= 1, "the CA store is loaded once, not once per client"
    assert contexts == {id(base._tls_context())}
    assert all(platform is not None for platform in platforms), "no thread is needed to name the OS"
