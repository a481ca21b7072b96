"""The registry: names, aliases, registration, entry points and instance reuse."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from codescribe.llm import (
    ErrorType,
    LLMConfig,
    LLMError,
    LLMFactory,
    LLMProvider,
    available_providers,
    create_provider,
    register,
)
from codescribe.llm.providers.anthropic import AnthropicProvider
from codescribe.llm.providers.base import Request
from codescribe.llm.providers.openai import OpenAIProvider
from codescribe.llm.types import Capabilities, RawCompletion


class EchoProvider(LLMProvider):
    """A provider of our own, registered the way a plugin would be."""

    PROVIDER_NAME = "echo"
    DEFAULT_MODEL = "echo-1"
    REQUIRES_API_KEY = False
    LOCAL = True
    CAPABILITIES = Capabilities(streaming=True, caching="none")

    def _make_client(self, asynchronous: bool) -> Any:
        return None

    def _complete(self, request: Request) -> RawCompletion:
        return RawCompletion(text=request.prompt.upper(), model=self.model, input_tokens=1, output_tokens=1)

    def _stream(self, request: Request, emit: Any) -> RawCompletion:
        for word in request.prompt.split():
            emit(word)
        return self._complete(request)

    async def _acomplete(self, request: Request) -> RawCompletion:
        return self._complete(request)

    async def _astream(self, request: Request, emit: Any) -> RawCompletion:
        for word in request.prompt.split():
            await emit(word)
        return self._complete(request)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anthropic", AnthropicProvider),
        ("claude", AnthropicProvider),
        ("CLAUDE", AnthropicProvider),
        ("openai", OpenAIProvider),
        ("gpt", OpenAIProvider),
    ],
)
def test_names_and_aliases_find_their_class(name: str, expected: type) -> None:
    provider = create_provider(LLMConfig(provider=name, api_key="k"))

    assert type(provider) is expected
    assert provider.provider_name == expected.PROVIDER_NAME


def test_compatible_servers_are_data_rows_with_their_own_names() -> None:
    provider = create_provider(LLMConfig(provider="ollama", model="llama3.2"))

    assert provider.provider_name == "ollama"
    assert isinstance(provider, OpenAIProvider)
    assert provider.base_url == "http://127.0.0.1:11434/v1"
    assert provider.LOCAL
    assert create_provider(LLMConfig(provider="llama.cpp", model="m")).provider_name == "llamacpp"
    assert isinstance(
        create_provider(LLMConfig(provider="anthropic-compatible", model="m", base_url="http://x")), AnthropicProvider
    )


def test_every_built_in_is_listed() -> None:
    names = available_providers()

    for name in ("anthropic", "openai", "azure-openai", "openai-compatible", "anthropic-compatible", "ollama"):
        assert name in names


def test_same_config_reuses_the_instance_and_other_keys_do_not() -> None:
    first = create_provider(LLMConfig(provider="openai", api_key="key-a"))

    assert create_provider(LLMConfig(provider="gpt", api_key="key-a")) is first
    assert create_provider(LLMConfig(provider="openai", api_key="key-b")) is not first
    assert create_provider(LLMConfig(provider="openai", api_key="key-a", model="gpt-5.4")) is not first
    assert create_provider(LLMConfig(provider="openai", api_key="key-a", max_tokens=10)) is not first


def test_register_adds_a_provider_that_generates() -> None:
    factory = LLMFactory()
    factory.register("echo", EchoProvider, aliases=("shout",))

    provider = factory.create(LLMConfig(provider="shout"))
    result = provider.generate("hello world")

    assert result.text == "HELLO WORLD"
    assert result.metadata.provider == "echo"
    assert result.metadata.cost_usd == 0.0
    assert "echo" in factory.names()


def test_module_level_register_uses_the_default_factory() -> None:
    register("echo-default", EchoProvider)

    assert isinstance(create_provider(LLMConfig(provider="echo-default")), EchoProvider)


def test_entry_point_providers_load_by_the_same_path(monkeypatch: pytest.MonkeyPatch) -> None:
    entry_point = EntryPoint(name="plugin-echo", value=f"{__name__}:EchoProvider", group="codescribe.providers")
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [entry_point])
    factory = LLMFactory()

    provider = factory.create(LLMConfig(provider="plugin-echo"))

    assert isinstance(provider, EchoProvider)
    assert "plugin-echo" in factory.names()


def test_streaming_and_async_parity_on_a_registered_provider() -> None:
    import asyncio

    factory = LLMFactory()
    factory.register("echo", EchoProvider)
    provider = factory.create(LLMConfig(provider="echo"))
    sync_chunks: list[str] = []
    async_chunks: list[str] = []

    sync_result = provider.generate_with_streaming("a b c", sync_chunks.append)
    async_result = asyncio.run(provider.agenerate_with_streaming("a b c", async_chunks.append))

    assert sync_chunks == async_chunks == ["a", "b", "c"]
    assert sync_result.text == async_result.text
    assert sync_result.metadata.ttft_ms is not None
    assert async_result.metadata.ttft_ms is not None


def test_importing_codescribe_imports_no_sdk() -> None:
    code = (
        "import sys, codescribe; from codescribe.llm import create_provider, LLMConfig; "
        "create_provider(LLMConfig(provider='openai', api_key='k')); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'anthropic', 'openai', 'httpx2', 'httpx'}))"
    )

    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == "[]"


def test_a_missing_sdk_says_what_to_install_as_pip_will_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real_import = importlib.import_module

    def no_anthropic(name: str, package: str | None = None) -> Any:
        if name == "anthropic":
            raise ImportError("No module named 'anthropic'")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_anthropic)
    provider = create_provider(LLMConfig(provider="anthropic", api_key="k"))
    with pytest.raises(LLMError, match=r"needs the anthropic SDK: pip install 'anthropic[<>=]") as caught:
        provider.generate("Document this.")

    assert caught.value.error_type is ErrorType.VALIDATION


def test_a_plugin_provider_that_cannot_build_its_client_is_refused_when_built() -> None:
    # It used to build, and fail at its first call with an AttributeError on the SDK module "".
    class Clientless(EchoProvider):
        PROVIDER_NAME = "clientless"
        _make_client = LLMProvider._make_client  # the base class's, which needs SDK_MODULE and CLIENT_CLASSES

    with pytest.raises(TypeError, match=r"Clientless cannot build its SDK client: set SDK_MODULE and CLIENT_CLASSES"):
        Clientless(LLMConfig(provider="clientless"))
    assert EchoProvider(LLMConfig(provider="echo")).model == "echo-1"  # its own _make_client: built
